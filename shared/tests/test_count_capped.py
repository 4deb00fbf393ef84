"""Counts capped at COUNT_CAP: the same cost at ten thousand rows and at a million (issue 19)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from yiwang_shared.pagination import (
    COUNT_CAP,
    Page,
    PageParams,
    count_capped,
    page_of,
    page_of_rows,
    paginate,
)

rows = sa.Table(
    "rows", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True), sa.Column("k", sa.Integer)
)


class IntPage(Page[int]):
    """A page of integers."""


@pytest.fixture
async def session() -> AsyncIterator[AsyncSession]:
    engine = create_async_engine("sqlite+aiosqlite://")
    async with engine.begin() as conn:
        await conn.run_sync(rows.metadata.create_all)
        await conn.execute(rows.insert(), [{"id": i, "k": i % 3} for i in range(1, 31)])
    async with async_sessionmaker(engine)() as s:
        yield s
    await engine.dispose()


async def test_a_count_below_the_cap_is_exact_and_one_above_it_stops(session: AsyncSession) -> None:
    query = sa.select(rows).where(rows.c.k == 1).order_by(rows.c.id.desc())
    assert await count_capped(session, query) == 10
    assert await count_capped(session, query, cap=4) == 5  # stops at cap + 1
    assert await count_capped(session, sa.select(rows), cap=29) == 30
    assert await count_capped(session, sa.select(rows), cap=30) == 30


async def test_distinct_rows_are_counted_by_their_columns(session: AsyncSession) -> None:
    assert await count_capped(session, sa.select(rows.c.k).distinct()) == 3


async def test_counted_statement_reads_at_most_cap_plus_one_rows(session: AsyncSession) -> None:
    seen: list[str] = []
    sync_engine = session.bind.sync_engine  # type: ignore[union-attr]
    sa.event.listen(sync_engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    await count_capped(session, sa.select(rows).order_by(rows.c.id), cap=7)
    [sql] = seen
    assert "LIMIT" in sql and "ORDER BY" not in sql


def test_a_page_over_the_cap_reads_as_the_cap_and_inexact() -> None:
    over = IntPage(items=[1], total=COUNT_CAP + 1, limit=1, offset=0)
    assert (over.total, over.total_exact) == (COUNT_CAP, False)
    exact = IntPage(items=[1], total=COUNT_CAP, limit=1, offset=0)
    assert (exact.total, exact.total_exact) == (COUNT_CAP, True)
    in_memory = IntPage(**paginate(list(range(COUNT_CAP + 5)), PageParams(limit=2, offset=0)))  # type: ignore[arg-type]
    assert (in_memory.total, in_memory.total_exact, in_memory.items) == (COUNT_CAP, False, [0, 1])


async def test_page_of_counts_with_the_counted_query_and_pages_the_ordered_one(session: AsyncSession) -> None:
    query = sa.select(rows.c.id).where(rows.c.k == 1).order_by(rows.c.id.desc())
    items, total = await page_of(session, query, PageParams(limit=3, offset=1))
    assert (items, total) == ([25, 22, 19], 10)
    # A different statement counts the same matches (say, through an index in another order).
    counted = sa.select(rows.c.id).where(rows.c.k == 2)
    _, total = await page_of(session, query, PageParams(limit=3, offset=0), counted=counted)
    assert total == 10
    tuples, total = await page_of_rows(
        session, sa.select(rows.c.id, rows.c.k).order_by(rows.c.id), PageParams(limit=2)
    )
    assert [tuple(t) for t in tuples] == [(1, 1), (2, 2)] and total == 30
