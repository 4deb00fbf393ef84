"""One page of a query, and how many rows match in all, counted up to the cap (docs/api.md: every
collection is a page)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.interfaces import ORMOption

from yiwang_shared.pagination import PageParams, count_capped

T = TypeVar("T")


async def fetch_page(
    session: AsyncSession,
    query: Select[T],
    page: PageParams,
    *,
    options: Sequence[ORMOption] = (),
    counted: Select[Any] | None = None,
) -> tuple[list[T], int]:
    """The page's rows of `query` (already ordered) and how many rows it matches, counted up to
    `COUNT_CAP` + 1 (a `Page` shows more as the cap, inexact); `options` (eager loads) apply to the
    page's rows only; `counted` is the same matches written for counting (an index that finds
    them fast need not give the page's order)."""
    total = await count_capped(session, query if counted is None else counted)
    rows = await session.execute(query.limit(page.limit).offset(page.offset).options(*options))
    return list(rows.scalars()), total
