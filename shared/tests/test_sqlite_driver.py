"""SQLite statements cost one hand-off to aiosqlite's thread (issue 19), and behave as before."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from yiwang_shared.db import Database

meta = sa.MetaData()
things = sa.Table(
    "things",
    meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String, unique=True),
)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path}/t.db")
    async with database.engine.begin() as conn:
        await conn.run_sync(meta.create_all)
    yield database
    await database.dispose()


class _CountingQueue:
    """aiosqlite's queue to its thread, counting what is put on it (the thread reads the original)."""

    def __init__(self, queue: Any, seen: list[int]) -> None:
        self.queue, self.seen = queue, seen

    def put_nowait(self, item: Any) -> None:
        self.seen[0] += 1
        self.queue.put_nowait(item)


def _count_hand_offs(database: Database) -> list[int]:
    """A counter of the calls the next statements queue on aiosqlite's thread."""
    seen = [0]

    def on_checkout(dbapi_conn: Any, *_: Any) -> None:
        connection = dbapi_conn._connection
        if not isinstance(connection._tx, _CountingQueue):
            connection._tx = _CountingQueue(connection._tx, seen)

    sa.event.listen(database.engine.sync_engine, "checkout", on_checkout)
    return seen


async def test_a_select_and_an_insert_are_one_hand_off_each(db: Database) -> None:
    seen = _count_hand_offs(db)
    async with db.transaction(write=True) as session:
        seen[0] = 0
        await session.execute(things.insert().values(name="a"))
        await session.scalar(sa.select(things.c.name))
        during = seen[0]
    # BEGIN IMMEDIATE, the INSERT, the SELECT; stock aiosqlite: 3 + 3 (cursor, execute, close) + 4 (and fetch)
    assert during == 3


async def test_rows_row_counts_ids_and_errors_are_as_the_driver_gives_them(db: Database) -> None:
    async with db.transaction(write=True) as session:
        result = await session.execute(things.insert().values(name="a"))
        assert result.inserted_primary_key == (1,)
        await session.execute(things.insert(), [{"name": "b"}, {"name": "c"}])  # executemany
        returned = await session.execute(things.insert().values(name="d").returning(things.c.id))
        assert returned.scalar_one() == 4
        bang = things.update().where(things.c.id > 2).values(name=things.c.name + "!")
        updated = await session.execute(bang)
        assert updated.rowcount == 2
        rows = (await session.execute(sa.select(things).order_by(things.c.id))).all()
        assert [tuple(r) for r in rows] == [(1, "a"), (2, "b"), (3, "c!"), (4, "d!")]
        assert (await session.execute(sa.select(things).where(things.c.id == 99))).first() is None
    with pytest.raises(IntegrityError):
        async with db.transaction(write=True) as session:
            await session.execute(things.insert().values(name="a"))
    async with db.transaction(write=False) as session:  # the failed one left nothing behind
        assert await session.scalar(sa.select(sa.func.count()).select_from(things)) == 4
        streamed = [r.name async for r in await session.stream(sa.select(things).order_by(things.c.id))]
        assert streamed == ["a", "b", "c!", "d!"]
