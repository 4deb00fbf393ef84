"""One page of an ordered select, and how many rows match (counted up to `COUNT_CAP` + 1)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.pagination import PageParams, count_capped


async def page_of(session: AsyncSession, stmt: Select[Any], page: PageParams) -> tuple[list[Any], int]:
    """One page of an ordered select's entities and how many match (capped: `Page` shows the cap)."""
    # Capped: a full count reads every match, a million rows' worth on a big district.
    total = await count_capped(session, stmt)
    rows = (await session.execute(stmt.limit(page.limit).offset(page.offset))).scalars().all()
    return list(rows), total


async def rows_of(session: AsyncSession, stmt: Select[Any], page: PageParams) -> tuple[list[Any], int]:
    """One page of an ordered select's rows (tuples of its columns) and how many match (capped)."""
    total = await count_capped(session, stmt)
    rows = (await session.execute(stmt.limit(page.limit).offset(page.offset))).all()
    return list(rows), total
