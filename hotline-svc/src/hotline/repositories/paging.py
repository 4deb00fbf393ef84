"""One page of a query, and how many rows match in all (docs/api.md: every collection is a page)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.interfaces import ORMOption

from yiwang_shared.pagination import PageParams

T = TypeVar("T")


async def fetch_page(
    session: AsyncSession, query: Select[T], page: PageParams, *, options: Sequence[ORMOption] = ()
) -> tuple[list[T], int]:
    """The page's rows of `query` (already ordered) and the count of every row it matches;
    `options` (eager loads) apply to the page's rows only."""
    counted: Select[Any] = select(func.count()).select_from(query.order_by(None).subquery())
    total = int(await session.scalar(counted) or 0)
    rows = await session.execute(query.limit(page.limit).offset(page.offset).options(*options))
    return list(rows.scalars()), total
