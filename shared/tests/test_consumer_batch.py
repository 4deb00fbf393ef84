"""A fetch's events applied in one transaction, and what happens when one of them fails."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import sqlalchemy as sa
from nats.aio.msg import Msg
from nats.js.errors import NotFoundError
from nats_support import dead_letters
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from prometheus_client import REGISTRY
from sample_service.app import SERVICE_DIR, seen
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.context import request_id_var, traceparent_var
from yiwang_shared.db import Database
from yiwang_shared.events import EventEnvelope, PermanentError, make_event
from yiwang_shared.events.bus import EventBus
from yiwang_shared.events.consumer import APPLY_BATCH, Consumer, ConsumerRunner
from yiwang_shared.events.envelope import envelope_json
from yiwang_shared.migrations import migrate
from yiwang_shared.tables import processed_events
from yiwang_shared.testing.nats import NatsServer
from yiwang_shared.tracing import Tracing

SERVICE = "batchtest"


@dataclass
class Rig:
    """A migrated database, a connected bus, a stream of this test's own, and what was seen."""

    db: Database
    bus: EventBus
    nats_url: str
    prefix: str
    #: Event ids in the order the handler was called (a batch rolled back and redone shows twice).
    calls: list[str] = field(default_factory=list)
    #: (request id, traceparent) the handler saw, per call.
    context: list[tuple[str | None, str | None]] = field(default_factory=list)
    #: Failures still to raise per event id (-1: always).
    failures: Counter[str] = field(default_factory=Counter)
    #: Event ids whose handler raises PermanentError.
    rejected: set[str] = field(default_factory=set)
    #: Write transactions begun, committed; statements sent on write connections.
    begins: int = 0
    commits: int = 0
    statements: int = 0

    @property
    def stream(self) -> str:
        return self.prefix.upper()

    @property
    def consumer_name(self) -> str:
        return f"{self.prefix}__note_created"

    def event(self, n: int) -> EventEnvelope:
        """The n-th event of this test, with a correlation id and traceparent of its own."""
        return make_event(
            f"{self.prefix}.note.created",
            1,
            {"note_id": n},
            producer="test",
            correlation_id=f"req-{n}",
            traceparent=f"00-{uuid.uuid4().hex}-{uuid.uuid4().hex[:16]}-01",
        )

    async def handle(self, session: AsyncSession, envelope: EventEnvelope) -> None:
        self.calls.append(envelope.event_id)
        self.context.append((request_id_var.get(), traceparent_var.get()))
        # Write first, then maybe fail: the write must roll back with the failure.
        await session.execute(
            seen.insert().values(event_id=envelope.event_id, note_id=envelope.data["note_id"])
        )
        if envelope.event_id in self.rejected:
            raise PermanentError("payload refused on purpose")
        if self.failures[envelope.event_id]:
            self.failures[envelope.event_id] -= 1
            raise ValueError("handler failed on purpose")

    def consumer(self) -> Consumer:
        return Consumer(
            name=self.consumer_name,
            stream=self.stream,
            subject=f"{self.prefix}.note.created.v1",
            handler=self.handle,
            max_deliver=2,
            backoff=(0.1,),
        )

    async def publish(self, envelope: EventEnvelope, msg_id: str | None = None) -> None:
        await self.bus.js.publish(
            envelope.subject, envelope_json(envelope), headers={"Nats-Msg-Id": msg_id or envelope.event_id}
        )

    async def count(self, table: sa.Table) -> int:
        async with self.db.transaction(write=False) as session:
            return int((await session.execute(sa.select(sa.func.count()).select_from(table))).scalar_one())

    async def ids(self, table: sa.Table) -> set[str]:
        async with self.db.transaction(write=False) as session:
            return set((await session.execute(sa.select(table.c.event_id))).scalars())

    async def run_until(
        self, done: Callable[[], Awaitable[bool]], *, batch: int = 50, tracing: Tracing | None = None
    ) -> None:
        """Run a ConsumerRunner until `done()` (a read); fail after ten seconds."""
        runner = ConsumerRunner(
            self.db,
            self.bus,
            [self.consumer()],
            service=SERVICE,
            batch=batch,
            tracing=tracing,
            lag_refresh_seconds=0,
        )
        await runner.start()
        try:
            deadline = time.monotonic() + 10
            while not await done():
                assert time.monotonic() < deadline, "condition not met in time"
                await asyncio.sleep(0.05)
        finally:
            await runner.stop()

    async def dead_letters(self) -> list[Msg]:
        return await dead_letters(self.nats_url, f"deadletter.{SERVICE}.{self.consumer_name}")


@pytest.fixture
async def rig(database_url: str, nats_server: NatsServer) -> AsyncIterator[Rig]:
    await migrate(SERVICE_DIR, database_url)
    db = Database(database_url)
    bus = EventBus(nats_server.url, name="batch-test")
    await bus.start()
    prefix = f"b{uuid.uuid4().hex[:10]}"
    await bus.ensure_stream(prefix.upper(), [f"{prefix}.>"])
    rig = Rig(db=db, bus=bus, nats_url=nats_server.url, prefix=prefix)

    def on_begin(conn: Any) -> None:
        if conn.get_execution_options().get("yiwang_write"):
            rig.begins += 1

    def on_commit(conn: Any) -> None:
        if conn.get_execution_options().get("yiwang_write"):
            rig.commits += 1

    def on_statement(conn: Any, *_: Any) -> None:
        if conn.get_execution_options().get("yiwang_write"):
            rig.statements += 1

    sync_engine = db.engine.sync_engine
    event.listen(sync_engine, "begin", on_begin)
    event.listen(sync_engine, "commit", on_commit)
    event.listen(sync_engine, "before_cursor_execute", on_statement)
    try:
        yield rig
    finally:
        await bus.close()
        await db.dispose()


def _handled(outcome: str, rig: Rig) -> float:
    labels = {"service": SERVICE, "consumer": rig.consumer_name, "outcome": outcome}
    return REGISTRY.get_sample_value("yiwang_events_handled_total", labels) or 0.0


@pytest.mark.parametrize(("batch", "transactions"), [(50, 2), (1, 25)])
async def test_a_fetch_is_applied_in_transactions_of_up_to_twenty_in_stream_order(
    rig: Rig, batch: int, transactions: int
) -> None:
    events = [rig.event(n) for n in range(25)]
    for e in events:
        await rig.publish(e)

    async def all_applied() -> bool:
        return await rig.count(processed_events) == 25

    await rig.run_until(all_applied, batch=batch)
    assert APPLY_BATCH == 20
    # One fetch of 25 (batch=50): a transaction of 20 and one of 5; fetching one at a time: 25.
    assert (rig.begins, rig.commits) == (transactions, transactions)
    assert rig.calls == [e.event_id for e in events]  # stream order, each once
    assert await rig.ids(seen) == {e.event_id for e in events}
    # Each handler ran with its own event's request id and trace context, batched or not.
    assert rig.context == [(e.correlation_id, e.traceparent) for e in events]
    assert _handled("handled", rig) == 25
    # A handler's one statement, and per transaction the processed_events insert (and on SQLite
    # the BEGIN IMMEDIATE): 29 statements for 25 events instead of 75 (PostgreSQL: 27, 50).
    per_transaction = 2 if rig.db.sqlite else 1
    assert rig.statements == 25 + per_transaction * transactions


async def test_a_failing_handler_costs_the_others_nothing_and_is_retried_then_dead_lettered(
    rig: Rig,
) -> None:
    events = [rig.event(n) for n in range(5)]
    poison = events[2].event_id
    rig.failures[poison] = 99
    for e in events:
        await rig.publish(e)

    async def parked() -> bool:
        return len(await rig.dead_letters()) == 1

    await rig.run_until(parked)
    assert await rig.ids(seen) == {e.event_id for e in events} - {poison}
    assert await rig.ids(processed_events) == {e.event_id for e in events} - {poison}
    # The batch ran up to the poison and was rolled back; then each alone: the poison's attempt 1
    # (nak), and its attempt 2 (max_deliver) alone again, dead-lettered.
    first, second, _, fourth, fifth = (e.event_id for e in events)
    assert Counter(rig.calls) == {first: 2, second: 2, poison: 3, fourth: 1, fifth: 1}
    assert (rig.begins, rig.commits) == (7, 4)  # the batch, five alone, the redelivery
    [parked_msg] = await rig.dead_letters()
    assert parked_msg.headers is not None
    assert parked_msg.headers["Yiwang-Error"] == "ValueError: handler failed on purpose"
    assert EventEnvelope.model_validate_json(parked_msg.data).event_id == poison
    # Metrics as for one-at-a-time handling: the batch attempt is not counted.
    assert _handled("handled", rig) == 4
    assert _handled("error", rig) == 2


async def test_a_handler_failing_once_in_a_batch_is_retried_and_applied(rig: Rig) -> None:
    events = [rig.event(n) for n in range(4)]
    flaky = events[1].event_id
    rig.failures[flaky] = 2  # the batch attempt and attempt 1 alone; attempt 2 succeeds

    for e in events:
        await rig.publish(e)

    async def all_applied() -> bool:
        return await rig.count(processed_events) == 4

    await rig.run_until(all_applied)
    assert await rig.ids(seen) == {e.event_id for e in events}
    assert Counter(rig.calls) == {
        events[0].event_id: 2,
        flaky: 3,
        events[2].event_id: 1,
        events[3].event_id: 1,
    }
    assert await rig.dead_letters() == []


async def test_a_permanent_error_in_a_batch_is_dead_lettered_and_keeps_nothing(rig: Rig) -> None:
    events = [rig.event(n) for n in range(5)]
    refused = events[1].event_id
    rig.rejected.add(refused)
    for e in events:
        await rig.publish(e)

    async def parked_and_rest_applied() -> bool:
        return await rig.count(processed_events) == 4 and len(await rig.dead_letters()) == 1

    await rig.run_until(parked_and_rest_applied)
    await asyncio.sleep(0.3)  # longer than the backoff: a retry would have happened by now
    assert await rig.ids(seen) == {e.event_id for e in events} - {refused}
    assert refused not in await rig.ids(processed_events)  # so a corrected redelivery still applies
    assert Counter(rig.calls)[refused] == 2  # the batch, then alone: no retries
    assert all(Counter(rig.calls)[e.event_id] <= 2 for e in events)
    [parked_msg] = await rig.dead_letters()
    assert parked_msg.headers is not None
    assert parked_msg.headers["Yiwang-Error"] == "PermanentError: payload refused on purpose"
    assert _handled("rejected", rig) == 1


async def test_duplicates_in_a_batch_have_one_effect_and_are_all_acked(rig: Rig) -> None:
    earlier = rig.event(0)
    runner = ConsumerRunner(rig.db, rig.bus, [rig.consumer()], service=SERVICE, lag_refresh_seconds=0)
    assert await runner.handle_envelope(rig.consumer(), earlier) == "handled"
    twice = rig.event(1)
    fresh = rig.event(2)
    await rig.publish(earlier)  # already handled before
    await rig.publish(twice, f"{twice.event_id}-a")
    await rig.publish(fresh)
    await rig.publish(twice, f"{twice.event_id}-b")  # the same event again, another message id
    begins_before = rig.begins

    async def all_acked() -> bool:
        try:
            info = await rig.bus.js.consumer_info(rig.stream, rig.consumer_name)
        except NotFoundError:
            return False  # the runner has not subscribed yet
        return bool(info.num_pending == 0 and info.num_ack_pending == 0 and info.delivered.stream_seq == 4)

    await rig.run_until(all_acked)
    assert Counter(rig.calls) == {earlier.event_id: 1, twice.event_id: 1, fresh.event_id: 1}
    assert await rig.count(seen) == 3 and await rig.count(processed_events) == 3
    assert rig.begins - begins_before == 1  # the four messages in one transaction
    assert _handled("duplicate", rig) == 2 and _handled("handled", rig) == 2


async def test_each_event_of_a_batch_has_its_own_consumer_span(rig: Rig) -> None:
    spans = InMemorySpanExporter()
    tracing = Tracing(SERVICE)
    tracing.start("otlp", span_exporter=spans)
    events = [rig.event(n) for n in range(3)]
    for e in events:
        await rig.publish(e)

    async def all_applied() -> bool:
        return await rig.count(processed_events) == 3

    try:
        await rig.run_until(all_applied, tracing=tracing)
    finally:
        tracing.shutdown()
    assert rig.begins == 1
    consumer_spans = [s for s in spans.get_finished_spans() if s.kind == SpanKind.CONSUMER]
    by_event = {s.attributes["messaging.message.id"]: s for s in consumer_spans if s.attributes}
    assert len(consumer_spans) == 3 and set(by_event) == {e.event_id for e in events}
    for e, (request_id, traceparent) in zip(events, rig.context, strict=True):
        span = by_event[e.event_id]
        assert e.traceparent is not None and span.parent is not None and span.context is not None
        # A child of the publisher's span, and the trace context the handler saw names it.
        assert f"{span.parent.trace_id:032x}" == e.traceparent[3:35]
        assert f"{span.parent.span_id:016x}" == e.traceparent[36:52]
        assert traceparent == f"00-{span.context.trace_id:032x}-{span.context.span_id:016x}-01"
        assert request_id == e.correlation_id
