"""The outbox relay publishes the rows a commit hands it, without reading them back, and marks
them sent in bulk; its scan still finds rows it was not handed (real NATS, both databases)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import nats
import pytest
import sqlalchemy as sa
from sqlalchemy import event
from waiting import eventually

from yiwang_shared.db import Database
from yiwang_shared.events.bus import EventBus
from yiwang_shared.events.envelope import envelope_json, make_event
from yiwang_shared.events.outbox import add_event, add_events
from yiwang_shared.events.relay import OutboxRelay
from yiwang_shared.metrics import EVENTS_PUBLISHED
from yiwang_shared.tables import outbox
from yiwang_shared.testing.nats import NatsServer


@pytest.fixture
def db(infra_db: Database) -> Database:
    """The infrastructure-only database (conftest's `infra_db`)."""
    return infra_db


@dataclass
class Relayed:
    """A running relay wired to `db` as the app wires it, on a stream of the test's own."""

    db: Database
    nats_url: str
    service: str = field(default_factory=lambda: "t" + uuid.uuid4().hex[:10])
    relays: list[tuple[OutboxRelay, EventBus]] = field(default_factory=list)

    @property
    def stream(self) -> str:
        return self.service.upper()

    async def start(self, *, poll_seconds: float = 60.0, mark_seconds: float | None = None) -> OutboxRelay:
        bus = EventBus(self.nats_url, name=self.service)
        await bus.start()
        relay = OutboxRelay(
            self.db,
            bus,
            service=self.service,
            stream=self.stream,
            subjects=[f"{self.service}.>"],
            poll_seconds=poll_seconds,
            mark_seconds=mark_seconds,
            backlog_refresh_seconds=0,
        )
        self.db.add_handoff_hook(relay.hand_off)
        await relay.start()
        self.relays.append((relay, bus))
        return relay

    async def close(self) -> None:
        for relay, bus in self.relays:
            await relay.stop()
            await bus.close()

    async def commit(self, *names: str, db: Database | None = None) -> list[str]:
        """Commit one transaction writing an event per name; returns their event ids."""
        async with (db or self.db).transaction() as session:
            envelopes = await add_events(
                session, [(f"{self.service}.thing.{n}", 1, {"n": n}) for n in names], producer=self.service
            )
        return [e.event_id for e in envelopes]

    async def on_stream(self) -> list[str]:
        """The Nats-Msg-Ids on the stream, in stream order ([] before it exists)."""
        nc = await nats.connect(self.nats_url)
        try:
            js = nc.jetstream()
            try:
                last = (await js.stream_info(self.stream)).state.last_seq
            except nats.js.errors.NotFoundError:
                return []
            ids = []
            for seq in range(1, last + 1):
                msg = await js.get_msg(self.stream, seq)
                ids.append((msg.headers or {})["Nats-Msg-Id"])
            return ids
        finally:
            await nc.close()

    async def unmarked(self) -> list[str]:
        """Event ids of outbox rows without published_at, in id order."""
        async with self.db.transaction(write=False) as session:
            query = sa.select(outbox.c.event_id).where(outbox.c.published_at.is_(None)).order_by(outbox.c.id)
            return list((await session.execute(query)).scalars())


@pytest.fixture
async def relayed(db: Database, nats_server: NatsServer) -> AsyncIterator[Relayed]:
    r = Relayed(db, nats_server.url)
    yield r
    await r.close()


async def _stream_is(r: Relayed, expected: list[str], timeout: float = 15.0) -> None:
    async def check() -> bool:
        return await r.on_stream() == expected

    try:
        await eventually(check, timeout)
    except AssertionError:
        raise AssertionError(f"stream {await r.on_stream()} != {expected}") from None


class _Statements:
    """The SQL statements an engine sends while listening."""

    def __init__(self, db: Database) -> None:
        self.engine = db.engine.sync_engine
        self.sent: list[str] = []

    def _record(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        self.sent.append(" ".join(statement.split()).lower())

    def __enter__(self) -> _Statements:
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *_: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._record)

    def on_outbox(self, verb: str) -> list[str]:
        return [s for s in self.sent if s.startswith(verb) and " outbox" in s]


async def test_committed_events_reach_the_stream_in_order_without_a_select(relayed: Relayed) -> None:
    relay = await relayed.start(mark_seconds=60)
    await relay.publish_pending()  # the start-up scan is over; the next one is a minute away
    with _Statements(relayed.db) as statements:
        ids: list[str] = []
        for step in range(5):
            ids += await relayed.commit(f"a{step}", f"b{step}", f"c{step}")
        ids += await relayed.commit("last")
        await _stream_is(relayed, ids)
        assert statements.on_outbox("select") == []
        assert statements.on_outbox("update") == []
        assert len(statements.on_outbox("insert")) == 6
        await relay.stop()
        # Marked in bulk: one UPDATE for the 16 rows of 6 commits.
        assert len(statements.on_outbox("update")) == 1
    assert await relayed.unmarked() == []


async def test_a_rolled_back_transaction_is_never_published(relayed: Relayed) -> None:
    await relayed.start(mark_seconds=0.2)
    with pytest.raises(RuntimeError):
        async with relayed.db.transaction() as session:
            await add_event(session, f"{relayed.service}.thing.lost", 1, {}, producer="t")
            raise RuntimeError("the request failed")
    # A savepoint released, then the transaction rolled back: nothing was committed.
    with pytest.raises(RuntimeError):
        async with relayed.db.transaction() as session:
            async with session.begin_nested():
                await add_event(session, f"{relayed.service}.thing.lost", 1, {}, producer="t")
            raise RuntimeError("failed after the savepoint")
    # A session rolled back and used again (hotline's Open311 answers do so): the second commit
    # hands only what it wrote.
    async with relayed.db.transaction() as session:
        await add_event(session, f"{relayed.service}.thing.lost", 1, {}, producer="t")
        await session.rollback()
        kept = [(await add_event(session, f"{relayed.service}.thing.kept", 1, {}, producer="t")).event_id]
    kept += await relayed.commit("kept")
    await _stream_is(relayed, kept)
    await asyncio.sleep(0.3)
    assert await relayed.on_stream() == kept


async def test_a_rolled_back_savepoint_is_not_published_and_the_rest_goes_out_in_order(
    relayed: Relayed,
) -> None:
    """Which rows a savepoint's rollback took away is not known: the relay scans for the rest."""
    relay = await relayed.start(mark_seconds=0.2)
    await relay.publish_pending()  # the start-up scan is over; the next one is a minute away
    async with relayed.db.transaction() as session:
        before = await add_event(session, f"{relayed.service}.thing.before", 1, {}, producer="t")
        savepoint = await session.begin_nested()
        await add_event(session, f"{relayed.service}.thing.undone", 1, {}, producer="t")
        await savepoint.rollback()
        after = await add_event(session, f"{relayed.service}.thing.after", 1, {}, producer="t")
    await _stream_is(relayed, [before.event_id, after.event_id], timeout=5)
    await eventually(lambda: _no_rows(relayed))


async def test_a_scan_asked_for_while_one_runs_is_not_lost(relayed: Relayed, database_url: str) -> None:
    """Rows not handed (a savepoint rolled back) and committed after a running scan's SELECT: that
    scan cannot see them, so another follows at once rather than a poll interval later."""
    relay = await relayed.start(mark_seconds=0.2)
    await relay.publish_pending()
    other = Database(database_url)
    late: list[str] = []

    def commit_behind_the_scan(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if late or not statement.lstrip().upper().startswith("SELECT") or "FROM outbox" not in statement:
            return
        envelope = make_event(f"{relayed.service}.thing.late", 1, {}, producer="t")
        with other.engine.sync_engine.begin() as conn:  # inside the scan's greenlet: runs now
            conn.execute(
                outbox.insert().values(
                    event_id=envelope.event_id,
                    subject=envelope.subject,
                    payload=envelope_json(envelope),
                    created_at=envelope.occurred_at,
                )
            )
        late.append(envelope.event_id)
        relay.hand_off(None)

    event.listen(relayed.db.engine.sync_engine, "after_cursor_execute", commit_behind_the_scan)
    try:
        relay.wake()
        await eventually(lambda: _is_true(bool(late)), timeout=5)
        await _stream_is(relayed, late, timeout=5)
    finally:
        event.remove(relayed.db.engine.sync_engine, "after_cursor_execute", commit_behind_the_scan)
        await other.dispose()


async def _is_true(value: bool) -> bool:
    return value


async def _no_rows(r: Relayed) -> bool:
    return await r.unmarked() == []


async def test_rows_from_another_process_are_found_by_the_scan(relayed: Relayed, database_url: str) -> None:
    relay = await relayed.start(poll_seconds=0.2, mark_seconds=0.2)
    other = Database(database_url)  # another process: its commits are not handed to this relay
    try:
        theirs = await relayed.commit("theirs", db=other)
        await _stream_is(relayed, theirs, timeout=5)
        ours = await relayed.commit("ours")
        await _stream_is(relayed, theirs + ours, timeout=5)
        more = await relayed.commit("theirs-again", db=other)
        await relay.publish_pending()  # published by the time it returns (by it, or the loop)
        assert await relayed.on_stream() == theirs + ours + more
        assert await relayed.unmarked() == []
    finally:
        await other.dispose()


async def test_after_nats_was_away_the_backlog_goes_out_in_commit_order(
    db: Database, fresh_nats: NatsServer, database_url: str
) -> None:
    r = Relayed(db, fresh_nats.url)
    other = Database(database_url)
    try:
        await r.start(poll_seconds=0.2, mark_seconds=0.2)
        first = await r.commit("first")
        await _stream_is(r, first)
        fresh_nats.kill()
        # Handed while NATS is away (their publish fails), and one from elsewhere in between.
        during = await r.commit("d1", "d2")
        during += await r.commit("d3", db=other)
        for n in range(4, 8):
            during += await r.commit(f"d{n}")
            await asyncio.sleep(0.1)
        fresh_nats.start()
        after = await r.commit("after")
        await _stream_is(r, first + during + after, timeout=30)
        await eventually(lambda: _no_rows(r))
        await asyncio.sleep(0.5)
        assert await r.on_stream() == first + during + after  # nothing twice, nothing late
    finally:
        await r.close()
        await other.dispose()


async def test_published_rows_are_marked_after_mark_seconds(relayed: Relayed) -> None:
    await relayed.start(mark_seconds=0.3)
    ids = await relayed.commit("a", "b")
    ids += await relayed.commit("c")
    await _stream_is(relayed, ids)
    await eventually(lambda: _no_rows(relayed), timeout=3)


async def test_a_relay_restarted_before_marking_sends_again_and_jetstream_keeps_one_copy(
    relayed: Relayed,
) -> None:
    crashed = await relayed.start(mark_seconds=60)
    await crashed.publish_pending()  # the start-up scan is over: the rows below are handed
    ids = await relayed.commit("a", "b", "c")
    await _stream_is(relayed, ids)
    assert await relayed.unmarked() == ids  # published, not yet marked
    _crash(crashed)
    _, bus = relayed.relays.pop(0)
    await bus.close()

    restarted = await relayed.start(mark_seconds=60)
    await restarted.publish_pending()
    assert await relayed.unmarked() == []
    later = await relayed.commit("d")
    await _stream_is(relayed, ids + later)  # a, b, c sent again and dropped as duplicates


def _crash(relay: OutboxRelay) -> None:
    """Stop the relay's tasks as a kill -9 would: nothing more is published or marked."""
    relay._stopping = True
    for task in (relay._task, relay._mark_task):
        assert task is not None
        task.cancel()


async def test_a_replica_leaves_another_replicas_published_rows_for_it_to_mark(
    relayed: Relayed, database_url: str
) -> None:
    """Two replicas on one PostgreSQL outbox: the one whose commit handed the rows publishes them;
    the other's timed scans see them unmarked for up to mark_seconds and leave them alone. Rows of
    a process with no relay (a loader) still go out through those scans once past the grace."""
    if relayed.db.sqlite:
        pytest.skip("one process per SQLite database: there are no replicas to share an outbox")
    first = await relayed.start(mark_seconds=1.0)
    await first.publish_pending()  # its start-up scan is over; the next one is a minute away
    second_db = Database(database_url)
    loader_db = Database(database_url)
    bus = EventBus(relayed.nats_url, name="second")
    await bus.start()
    label = relayed.service + "-second"
    second = OutboxRelay(
        second_db,
        bus,
        service=label,
        stream=relayed.stream,
        subjects=[f"{relayed.service}.>"],
        poll_seconds=0.1,
        backlog_refresh_seconds=0,
        scan_grace_seconds=3.0,
    )
    await second.start()
    await second.publish_pending()  # its start-up scan (which takes every unpublished row) is over
    try:
        ids: list[str] = []
        for n in range(10):
            ids += await relayed.commit(f"r{n}")
            await asyncio.sleep(0.05)
        await _stream_is(relayed, ids)
        await eventually(lambda: _no_rows(relayed), timeout=5)  # marked by the first replica
        assert _published(label) == 0, "the second replica sent rows the first had published"
        theirs = await relayed.commit("loaded", db=loader_db)
        await _stream_is(relayed, ids + theirs, timeout=10)
        assert _published(label) == 1
    finally:
        await second.stop()
        await bus.close()
        await second_db.dispose()
        await loader_db.dispose()


def _published(service: str) -> float:
    """Events the relay labelled `service` published (JetStream acknowledged)."""
    return float(EVENTS_PUBLISHED.labels(service)._value.get())
