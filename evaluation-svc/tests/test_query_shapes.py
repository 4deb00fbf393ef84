"""Issue 19: the lists and indicator reads keep their cost as the district's history grows.

Speed is measured by bench/scale, never here; these tests hold the shapes that make it: a list's
total is counted up to the cap (its count has a LIMIT), and the statements the repositories run
are planned on the index made for them (SQLite's EXPLAIN QUERY PLAN, without statistics, as the
services run it).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from evaluation.repositories.cases import BadReviewCaseRepository
from evaluation.repositories.hotline_responses import HotlineResponseRepository
from evaluation.repositories.ratings import RatingRepository
from evaluation.repositories.scopes import UnitScope
from evaluation.repositories.service_events import ServiceEventRepository
from yiwang_shared.db import Database, is_sqlite
from yiwang_shared.pagination import PageParams

EVERYTHING = UnitScope(everything=True)


@contextmanager
def statements(database: Database) -> Iterator[list[tuple[str, Any]]]:
    """The (SQL, parameters) the database is sent meanwhile."""
    seen: list[tuple[str, Any]] = []

    def grab(_conn: Any, _cursor: Any, sql: str, params: Any, _context: Any, _many: bool) -> None:
        if sql.lstrip().upper().startswith("SELECT"):  # not SQLite's BEGIN
            seen.append((sql, params))

    event.listen(database.engine.sync_engine, "before_cursor_execute", grab)
    try:
        yield seen
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", grab)


async def plan(session: AsyncSession, sql: str, params: Any) -> str:
    """SQLite's query plan of a statement, one step a line."""
    conn = await session.connection()
    rows = (await conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params)).all()
    return "\n".join(str(r[-1]) for r in rows)


def sqlite_only(database_url: str) -> None:
    if not is_sqlite(database_url):
        pytest.skip("PostgreSQL plans by its statistics; SQLite's plan is fixed by the shape")


@pytest.mark.parametrize(
    ("status", "overdue"), [(None, None), ("open", None), (None, True)], ids=["all", "status", "overdue"]
)
async def test_a_bad_review_list_counts_up_to_the_cap(
    db: Database, status: str | None, overdue: bool | None
) -> None:
    async with db.transaction(write=False) as s:
        with statements(db) as seen:
            await BadReviewCaseRepository(s).page(
                scope=EVERYTHING, status=status, overdue=overdue, page=PageParams()
            )
    counts = [sql for sql, _ in seen if "count(" in sql.lower()]
    assert len(counts) == 1 and "LIMIT" in counts[0].upper(), counts


async def test_every_page_of_service_events_and_ratings_counts_up_to_the_cap(db: Database) -> None:
    async with db.transaction(write=False) as s:
        with statements(db) as seen:
            await ServiceEventRepository(s).page_of_source("A-1", scope=EVERYTHING, page=PageParams())
            await ServiceEventRepository(s).page_of_served("c-1", rated=False, page=PageParams())
            await RatingRepository(s).page_of_rater("c-1", PageParams())
            await BadReviewCaseRepository(s).page_of_rater("c-1", PageParams())
    counts = [sql for sql, _ in seen if "count(" in sql.lower()]
    assert len(counts) == 4 and all("LIMIT" in sql.upper() for sql in counts), counts


@pytest.mark.parametrize(
    ("status", "overdue", "index"),
    [
        (None, None, "ix_bad_review_cases_opened"),
        ("open", None, "ix_bad_review_cases_status_opened"),
        (None, True, "ix_bad_review_cases_overdue_opened"),
    ],
    ids=["all", "status", "overdue"],
)
async def test_a_bad_review_page_walks_the_index_of_its_order(
    db: Database, database_url: str, status: str | None, overdue: bool | None, index: str
) -> None:
    sqlite_only(database_url)
    async with db.transaction(write=False) as s:
        with statements(db) as seen:
            await BadReviewCaseRepository(s).page(
                scope=EVERYTHING, status=status, overdue=overdue, page=PageParams()
            )
        sql, params = next((sql, p) for sql, p in seen if "count(" not in sql.lower())
        assert index in await plan(s, sql, params)


async def test_the_service_events_of_a_source_are_found_by_its_index(db: Database, database_url: str) -> None:
    sqlite_only(database_url)
    async with db.transaction(write=False) as s:
        with statements(db) as seen:
            await ServiceEventRepository(s).page_of_source("A-1", scope=EVERYTHING, page=PageParams())
        for sql, params in seen:
            assert "ix_service_events_source_id" in await plan(s, sql, params), sql


async def test_the_ratings_a_flag_holds_are_found_by_their_index(db: Database, database_url: str) -> None:
    sqlite_only(database_url)
    async with db.transaction(write=False) as s:
        with statements(db) as seen:
            await RatingRepository(s).held_counts(dimension="staff", month="2026-11", good_max=2, bad_min=4)
        [(sql, params)] = seen
        assert "ix_ratings_held_month" in await plan(s, sql, params)


async def test_a_months_response_obligations_are_counted_from_the_index_alone(
    db: Database, database_url: str
) -> None:
    sqlite_only(database_url)
    start, end = datetime(2026, 10, 31, 16, tzinfo=UTC), datetime(2026, 11, 30, 16, tzinfo=UTC)
    async with db.transaction(write=False) as s:
        with statements(db) as seen:
            await HotlineResponseRepository(s).counts(start=start, end=end, now=end, prefix="110105-MZJ")
        [(sql, params)] = seen
        assert "COVERING INDEX ix_hotline_responses_due" in await plan(s, sql, params)
