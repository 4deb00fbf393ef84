"""Read models kept in memory: one statement per unit of work while nothing changed, the change
seen by the next unit of work, on a real database."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.db import Database
from yiwang_shared.read_model_cache import CachedReadModel, ReadModelCache, UnversionedTable
from yiwang_shared.tables import create_read_model_versions_v1

metadata = sa.MetaData()
units = sa.Table(
    "units",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
people = sa.Table(
    "people",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("unit_id", sa.String(36), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
T0 = datetime(2026, 12, 1, tzinfo=UTC)

loads: list[str] = []


async def _load_units(session: AsyncSession) -> dict[str, str]:
    loads.append("units")
    rows = await session.execute(sa.select(units.c.id, units.c.name))
    return {i: n for i, n in rows}


async def _load_people(session: AsyncSession) -> dict[str, str]:
    loads.append("people")
    rows = await session.execute(sa.select(people.c.id, people.c.unit_id))
    return {i: u for i, u in rows}


UNITS = CachedReadModel("units", units, _load_units)
PEOPLE = CachedReadModel("people", people, _load_people)


def _create(sync_conn: sa.Connection) -> None:
    ops = Operations(MigrationContext.configure(sync_conn))  # as a migration would
    ops.create_table(
        "units",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    ops.create_table(
        "people",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("unit_id", sa.String(36), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    create_read_model_versions_v1(ops, ["units", "people"])


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    async with database.engine.begin() as conn:
        await conn.run_sync(_create)
    async with database.transaction() as session:
        await session.execute(sa.insert(units), [{"id": "u1", "name": "政务服务中心", "updated_at": T0}])
        await session.execute(sa.insert(people), [{"id": "p1", "unit_id": "u1", "updated_at": T0}])
    loads.clear()
    try:
        yield database
    finally:
        await database.dispose()


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not statement.startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            seen.append(statement)

    engine = db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def test_one_statement_per_unit_of_work_while_nothing_changes(db: Database) -> None:
    cache = ReadModelCache(UNITS, PEOPLE)
    async with db.transaction(write=False) as session:
        assert await cache.get(session, UNITS) == {"u1": "政务服务中心"}
        assert await cache.get(session, PEOPLE) == {"p1": "u1"}
    assert loads == ["units", "people"]
    with statements(db) as seen:
        for _ in range(3):
            async with db.transaction(write=False) as session:
                assert await cache.get(session, UNITS) == {"u1": "政务服务中心"}
                assert await cache.get(session, PEOPLE) == {"p1": "u1"}
    assert loads == ["units", "people"]
    assert len(seen) == 3  # the fingerprints of both tables, once a unit of work


async def test_a_change_is_seen_by_the_next_unit_of_work_and_reloads_only_its_model(db: Database) -> None:
    cache = ReadModelCache(UNITS, PEOPLE)
    async with db.transaction(write=False) as session:
        await cache.get(session, UNITS)
        await cache.get(session, PEOPLE)
    async with db.transaction() as session:  # a consumer renames the unit
        await session.execute(
            sa.update(units)
            .where(units.c.id == "u1")
            .values(name="街道便民服务中心", updated_at=T0 + timedelta(1))
        )
    async with db.transaction(write=False) as session:
        assert await cache.get(session, UNITS) == {"u1": "街道便民服务中心"}
        assert await cache.get(session, PEOPLE) == {"p1": "u1"}
    assert loads == ["units", "people", "units"]
    async with db.transaction() as session:  # a row added with an older time still counts
        await session.execute(sa.insert(units), [{"id": "u0", "name": "社区", "updated_at": T0}])
    async with db.transaction(write=False) as session:
        assert set(await cache.get(session, UNITS)) == {"u0", "u1"}


async def test_within_a_unit_of_work_the_model_stays_as_first_read_unless_forgotten(db: Database) -> None:
    cache = ReadModelCache(UNITS)
    async with db.transaction() as session:
        assert await cache.get(session, UNITS) == {"u1": "政务服务中心"}
        await session.execute(sa.insert(units), [{"id": "u2", "name": "新单位", "updated_at": T0}])
        assert set(await cache.get(session, UNITS)) == {"u1"}  # the fingerprint is per session
        cache.forget(session)
        assert set(await cache.get(session, UNITS)) == {"u1", "u2"}


async def test_each_database_keeps_its_own_copy(db: Database, tmp_path: Any) -> None:
    cache = ReadModelCache(UNITS)
    other = Database(f"sqlite+aiosqlite:///{tmp_path / 'other.db'}")
    try:
        async with other.engine.begin() as conn:
            await conn.run_sync(_create)
        async with other.transaction(write=False) as session:
            assert await cache.get(session, UNITS) == {}
        async with db.transaction(write=False) as session:
            assert await cache.get(session, UNITS) == {"u1": "政务服务中心"}
    finally:
        await other.dispose()


def test_a_model_of_another_cache_and_twice_the_same_name_are_refused() -> None:
    with pytest.raises(ValueError):
        ReadModelCache(UNITS, CachedReadModel("units", people, _load_people))
    cache = ReadModelCache(UNITS)

    with pytest.raises(KeyError):
        asyncio.run(cache.get(None, PEOPLE))  # type: ignore[arg-type]


async def test_a_change_that_keeps_the_row_count_and_the_latest_time_is_seen(db: Database) -> None:
    """A count and a latest `updated_at` missed these (a unit replaced by another with the same
    time, a rename that kept the time, as a category's did); the table's version does not."""
    cache = ReadModelCache(UNITS)
    async with db.transaction(write=False) as session:
        assert await cache.get(session, UNITS) == {"u1": "政务服务中心"}
    async with db.transaction() as session:
        await session.execute(sa.delete(units).where(units.c.id == "u1"))
        await session.execute(sa.insert(units), [{"id": "u9", "name": "新中心", "updated_at": T0}])
    async with db.transaction(write=False) as session:
        assert await cache.get(session, UNITS) == {"u9": "新中心"}
    async with db.transaction() as session:
        await session.execute(sa.update(units).where(units.c.id == "u9").values(name="改名中心"))
    async with db.transaction(write=False) as session:
        assert await cache.get(session, UNITS) == {"u9": "改名中心"}


async def test_the_check_reads_a_row_per_table_not_the_tables(db: Database) -> None:
    cache = ReadModelCache(UNITS, PEOPLE)
    async with db.transaction(write=False) as session:
        await cache.get(session, UNITS)
        await cache.get(session, PEOPLE)
    with statements(db) as seen:
        async with db.transaction(write=False) as session:
            await cache.get(session, UNITS)
            await cache.get(session, PEOPLE)
    assert len(seen) == 1 and "read_model_versions" in seen[0]
    assert " units" not in seen[0] and " people" not in seen[0]


async def test_a_table_without_its_version_row_is_refused_loudly(db: Database) -> None:
    cache = ReadModelCache(UNITS)
    async with db.transaction() as session:
        await session.execute(sa.text("DELETE FROM read_model_versions WHERE table_name = 'units'"))
    async with db.transaction(write=False) as session:
        with pytest.raises(UnversionedTable, match="units"):
            await cache.get(session, UNITS)
