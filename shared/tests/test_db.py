"""Database plumbing: concurrent writers, the single commit point, commit-anyway refusals."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import sqlalchemy as sa

from yiwang_shared.db import Database
from yiwang_shared.errors import Conflict, UnprocessableEntity

metadata = sa.MetaData()
counters = sa.Table(
    "counters",
    metadata,
    sa.Column("name", sa.String(20), primary_key=True),
    sa.Column("value", sa.Integer, nullable=False),
)


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    async with database.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    async with database.transaction() as session:
        await session.execute(counters.insert().values(name="c", value=0))
    yield database
    await database.dispose()


async def _value(db: Database) -> int:
    async with db.transaction(write=False) as session:
        return int((await session.execute(sa.select(counters.c.value))).scalar_one())


async def test_concurrent_read_modify_write_transactions_all_succeed(db: Database) -> None:
    # Read then write in one transaction: on SQLite a deferred transaction would fail with
    # "database is locked" when upgrading; BEGIN IMMEDIATE (and row locks on PostgreSQL) serialise.
    async def bump() -> None:
        async with db.transaction() as session:
            query = sa.select(counters.c.value).where(counters.c.name == "c")
            if not db.sqlite:
                query = query.with_for_update()
            current = (await session.execute(query)).scalar_one()
            await asyncio.sleep(0.001)
            await session.execute(counters.update().values(value=current + 1))

    await asyncio.gather(*(bump() for _ in range(40)))
    assert await _value(db) == 40


async def test_error_rolls_back_everything(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction() as session:
            await session.execute(counters.update().values(value=99))
            raise RuntimeError("boom")
    assert await _value(db) == 0


async def test_text_with_nul_is_refused_alike_on_every_backend(db: Database) -> None:
    # PostgreSQL cannot store U+0000 in text (a driver error, a 500); SQLite would. Both refuse.
    for query in (
        counters.insert().values(name="a\x00b", value=1),
        counters.insert().values([{"name": "d", "value": 1}, {"name": "e\x00", "value": 2}]),
        sa.select(counters.c.value).where(counters.c.name == "c\x00"),
    ):
        with pytest.raises(UnprocessableEntity) as caught:
            async with db.transaction() as session:
                await session.execute(query)
        assert caught.value.code == "nul_character" and caught.value.status == 422
    assert await _value(db) == 0
    # Many rows at once (insertmanyvalues: one flat parameter list) still go through.
    async with db.transaction() as session:
        rows = [{"name": f"n{i}", "value": i} for i in range(3)]
        done = await session.execute(counters.insert().returning(counters.c.name), rows)
        assert sorted(done.scalars()) == ["n0", "n1", "n2"]


async def test_refusal_marked_commit_changes_keeps_its_writes(db: Database) -> None:
    with pytest.raises(Conflict):
        async with db.transaction() as session:
            await session.execute(counters.update().values(value=5))
            raise Conflict("refused, but the attempt is recorded", commit_changes=True)
    assert await _value(db) == 5


async def test_commit_hook_runs_only_for_outbox_writes(db: Database) -> None:
    from yiwang_shared.db import OUTBOX_DIRTY

    calls: list[int] = []
    db.add_commit_hook(lambda: calls.append(1))
    async with db.transaction() as session:
        await session.execute(counters.update().values(value=1))
    assert calls == []
    async with db.transaction() as session:
        await session.execute(counters.update().values(value=2))
        session.info[OUTBOX_DIRTY] = True
    assert calls == [1]


async def test_a_commit_hook_on_its_own_flag_wakes_only_for_its_writes(db: Database) -> None:
    """A worker (intake's SMS dispatcher) is woken by commits that gave it work, not by every
    commit that wrote an event."""
    from yiwang_shared.db import OUTBOX_DIRTY

    events: list[int] = []
    messages: list[int] = []
    db.add_commit_hook(lambda: events.append(1))
    db.add_commit_hook(lambda: messages.append(1), flag="test_messages_dirty")
    async with db.transaction() as session:
        await session.execute(counters.update().values(value=1))
        session.info[OUTBOX_DIRTY] = True
    assert (events, messages) == ([1], [])
    async with db.transaction() as session:
        await session.execute(counters.update().values(value=2))
        session.info["test_messages_dirty"] = True
    assert (events, messages) == ([1], [1])


# --- pooled PostgreSQL connections: checked before use without a round trip in steady use -------


async def _backend_pid(db: Database) -> int:
    async with db.transaction(write=False) as session:
        return int(await session.scalar(sa.text("SELECT pg_backend_pid()")) or 0)


def _count_pings(db: Database, monkeypatch: pytest.MonkeyPatch, *, fail_first: bool = False) -> list[int]:
    """Count (and optionally fail the first of) the pings the engine's dialect sends."""
    dialect = db.engine.sync_engine.dialect
    original = dialect.do_ping
    pings: list[int] = []

    def counted(dbapi_connection: object) -> bool:
        pings.append(1)
        if fail_first and len(pings) == 1:
            raise ConnectionResetError("the connection went away")
        return bool(original(dbapi_connection))

    monkeypatch.setattr(dialect, "do_ping", counted)
    return pings


async def test_a_connection_in_steady_use_is_not_pinged(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 19: SQLAlchemy's pre-ping cost three round trips (BEGIN, `;`, ROLLBACK on asyncpg)
    before every transaction; a connection back in the pool moments ago is used as it is."""
    if "postgresql" not in database_url:
        pytest.skip("PostgreSQL's connection pool")
    db = Database(database_url, pool_size=1)
    try:
        pings = _count_pings(db, monkeypatch)
        pids = {await _backend_pid(db) for _ in range(5)}
        assert len(pids) == 1 and pings == []
    finally:
        await db.dispose()


async def test_a_connection_the_server_closed_is_replaced_before_use(database_url: str) -> None:
    """A terminated backend (as after a server restart) is noticed from the closed socket: the
    next transaction gets a new connection instead of an error."""
    if "postgresql" not in database_url:
        pytest.skip("PostgreSQL's connection pool")
    db, admin = Database(database_url, pool_size=1), Database(database_url, pool_size=1)
    try:
        first = await _backend_pid(db)
        async with admin.transaction() as session:
            await session.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        await asyncio.sleep(0.3)  # the driver reads the server's goodbye
        assert await _backend_pid(db) not in (0, first)
    finally:
        await db.dispose()
        await admin.dispose()


async def test_a_connection_idle_too_long_is_pinged_and_replaced_when_the_ping_fails(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One idle past `PING_AFTER_IDLE_SECONDS` may have died with its socket still open (a network
    cut): it is pinged first, and a failed ping gives the transaction a fresh connection."""
    if "postgresql" not in database_url:
        pytest.skip("PostgreSQL's connection pool")
    from yiwang_shared import db as db_module

    db = Database(database_url, pool_size=1)
    try:
        first = await _backend_pid(db)
        monkeypatch.setattr(db_module, "PING_AFTER_IDLE_SECONDS", 0.05)
        pings = _count_pings(db, monkeypatch, fail_first=True)
        await asyncio.sleep(0.1)
        second = await _backend_pid(db)
        assert pings == [1] and second not in (0, first)
    finally:
        await db.dispose()
