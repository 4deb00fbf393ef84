"""One page of an ordered select, and how many rows match in all."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.pagination import PageParams


async def _total(session: AsyncSession, stmt: Select[Any]) -> int:
    count = select(func.count()).select_from(stmt.order_by(None).subquery())
    return int((await session.execute(count)).scalar_one())


async def page_of(session: AsyncSession, stmt: Select[Any], page: PageParams) -> tuple[list[Any], int]:
    """One page of an ordered select's entities and how many match in all."""
    total = await _total(session, stmt)
    rows = (await session.execute(stmt.limit(page.limit).offset(page.offset))).scalars().all()
    return list(rows), total


async def rows_of(session: AsyncSession, stmt: Select[Any], page: PageParams) -> tuple[list[Any], int]:
    """One page of an ordered select's rows (tuples of its columns) and how many match in all."""
    total = await _total(session, stmt)
    rows = (await session.execute(stmt.limit(page.limit).offset(page.offset))).all()
    return list(rows), total
