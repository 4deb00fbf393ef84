"""Durable, idempotent consumers: ack only after the handler's own commit.

Each `Consumer` is a JetStream pull consumer with a durable name (`<service>__<event>`), so every
replica of a service shares it (each event goes to one replica) and it survives restarts. The
runner opens a write transaction, records `(consumer, event_id)` in `processed_events` (a second
delivery of the same event finds it there and does nothing more), runs the handler, commits, and
only then acks. The messages of one fetch share that transaction, up to `APPLY_BATCH` of them:
one multi-row insert tells which events are new, their handlers run in stream order (each with
its own consumer span and request id, the session flushed and its identity map emptied between
them), one commit, then every message is acked. A redelivered message (it may have failed before)
is applied on its own. If anything in a batch fails the batch is rolled back and its messages are
handled one at a time, each in a transaction of its own, by the rules that follow. A failing
handler is retried with backoff; after `max_deliver` attempts the message is parked on
`deadletter.<service>.<durable>` with the error, and acked so the stream moves on. A malformed
message is parked at once, and so is an event whose handler raises `PermanentError` (input that
no retry can fix): nothing of that handler's transaction is kept, not even its `processed_events`
row, so a corrected redelivery still applies.

Handlers of one batch share a session: a read model cached per unit of work (`ReadModelCache`)
is read as of the batch's first read, so a consumer must not read a cached model whose table its
own handler writes (none does).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from pydantic import ValidationError
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from ..context import request_id_var, traceparent_var, valid_traceparent
from ..db import Database
from ..metrics import (
    CONSUMER_ACK_PENDING,
    CONSUMER_PENDING,
    EVENTS_DEAD_LETTERED,
    EVENTS_HANDLED,
    EVENTS_REDELIVERED,
)
from ..tables import processed_events
from ..tracing import Tracing, mark_error, span_traceparent
from .bus import EventBus
from .envelope import EventEnvelope

log = logging.getLogger("yiwang.events.consumer")

Handler = Callable[[AsyncSession, EventEnvelope], Awaitable[None]]

#: At most this many events are applied in one transaction. On SQLite a write transaction holds
#: the database's one write lock, which every request of the service waits for, from its BEGIN
#: IMMEDIATE to its COMMIT: 20 events of a few milliseconds each keep that wait short, and already
#: spread the cost of a transaction (BEGIN, the processed_events insert, COMMIT) over 20 events.
APPLY_BATCH = 20

DEADLETTER_STREAM = "DEADLETTER"
DEADLETTER_SUBJECTS = ["deadletter.>"]


class PermanentError(Exception):
    """Raised by a handler for input that will never succeed: dead-lettered at once, no retries."""


@dataclass(frozen=True)
class Consumer:
    """One durable subscription: a subject on a stream, handled by `handler`."""

    name: str
    stream: str
    subject: str
    handler: Handler
    max_deliver: int = 5
    backoff: Sequence[float] = (0.5, 2.0, 5.0, 15.0)
    ack_wait_seconds: float = 60.0

    def delay_after(self, attempt: int) -> float:
        """Seconds to wait before redelivery after failed `attempt` (1-based)."""
        return float(self.backoff[min(attempt - 1, len(self.backoff) - 1)])


class ConsumerRunner:
    """Runs a set of consumers for one service until stopped; resubscribes after outages."""

    def __init__(
        self,
        db: Database,
        bus: EventBus,
        consumers: list[Consumer],
        *,
        service: str,
        batch: int = 50,
        tracing: Tracing | None = None,
        lag_refresh_seconds: float = 5.0,
    ) -> None:
        self.db = db
        self.bus = bus
        self.consumers = consumers
        self.service = service
        self.batch = batch
        self.tracing = tracing
        self.lag_refresh_seconds = lag_refresh_seconds
        self._tasks: list[asyncio.Task[None]] = []
        #: The loops now waiting in a fetch (nothing in hand): stop() cancels these at once.
        self._waiting: set[asyncio.Task[None]] = set()
        self._stopping = asyncio.Event()

    async def start(self) -> None:
        """Start one pull loop per consumer, and the lag gauges' refresh."""
        for consumer in self.consumers:
            self._tasks.append(asyncio.create_task(self._loop(consumer), name=f"consumer-{consumer.name}"))
        if self.lag_refresh_seconds > 0 and self.consumers:
            self._tasks.append(asyncio.create_task(self._lag_loop(), name=f"{self.service}-consumer-lag"))

    async def refresh_lag(self) -> None:
        """Set the pending / ack-pending gauges from each durable consumer's JetStream info."""
        for consumer in self.consumers:
            try:
                info = await self.bus.js.consumer_info(consumer.stream, consumer.name, timeout=2)
            except Exception as exc:  # NATS down or consumer not created yet: keep the last value
                log.debug("consumer %s: no info (%s)", consumer.name, exc)
                continue
            CONSUMER_PENDING.labels(self.service, consumer.name).set(info.num_pending or 0)
            CONSUMER_ACK_PENDING.labels(self.service, consumer.name).set(info.num_ack_pending or 0)

    async def _lag_loop(self) -> None:
        # On a timer rather than per message: lag matters most when nothing is being handled.
        while not self._stopping.is_set():
            if self.bus.connected:
                await self.refresh_lag()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=self.lag_refresh_seconds)

    async def stop(self) -> None:
        """Stop the loops (in-flight handlers finish their transaction first)."""
        self._stopping.set()
        # A loop waiting for messages is stopped at once, not after its fetch's one-second timeout
        # (every service restart and every test paid for it); one handling a message finishes it.
        for task in self._waiting:
            task.cancel()
        for task in self._tasks:
            try:
                await asyncio.wait_for(task, timeout=10)
            except (TimeoutError, asyncio.CancelledError):
                task.cancel()
        self._tasks.clear()

    async def _subscribe(self, consumer: Consumer):  # type: ignore[no-untyped-def]
        config = ConsumerConfig(
            durable_name=consumer.name,
            deliver_policy=DeliverPolicy.ALL,
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=consumer.ack_wait_seconds,
            max_deliver=-1,
            filter_subject=consumer.subject,
        )
        return await self.bus.js.pull_subscribe(
            consumer.subject, durable=consumer.name, stream=consumer.stream, config=config
        )

    async def _loop(self, consumer: Consumer) -> None:
        me = asyncio.current_task()
        assert me is not None  # a loop always runs as its own task
        sub = None
        delay = 0.2
        while not self._stopping.is_set():
            try:
                if sub is None:
                    if not self.bus.connected:
                        await self._pause(delay)
                        continue
                    sub = await self._subscribe(consumer)
                    delay = 0.2
                self._waiting.add(me)
                try:
                    msgs = await sub.fetch(self.batch, timeout=1.0)
                except (NatsTimeoutError, TimeoutError):
                    continue
                finally:
                    self._waiting.discard(me)
                await self._handle_fetched(consumer, msgs)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                # NATS down, the stream or consumer missing after a reset, ...: resubscribe.
                log.info("consumer %s: %s; resubscribing", consumer.name, exc)
                if sub is not None:
                    with contextlib.suppress(Exception):
                        await sub.unsubscribe()
                sub = None
                await self._pause(delay)
                delay = min(delay * 2, 5.0)

    async def _pause(self, seconds: float) -> None:
        """Wait before trying again, or less if the runner is being stopped."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)

    async def _handle_fetched(self, consumer: Consumer, msgs: list[Any]) -> None:
        """Handle a fetch's messages in stream order: first deliveries in batches, the rest alone."""
        batch: list[tuple[Any, EventEnvelope]] = []
        for msg in msgs:
            if _attempt(msg) > 1:
                # It failed before and will likely fail again: alone it cannot roll back others.
                await self._apply_batch(consumer, batch)
                batch = []
                await self._handle(consumer, msg)
                continue
            envelope = await self._parse(consumer, msg)
            if envelope is None:
                continue
            batch.append((msg, envelope))
            if len(batch) == APPLY_BATCH:
                await self._apply_batch(consumer, batch)
                batch = []
        await self._apply_batch(consumer, batch)

    async def _apply_batch(self, consumer: Consumer, batch: list[tuple[Any, EventEnvelope]]) -> None:
        """Apply first deliveries in one transaction, else (on any failure) one at a time."""
        if len(batch) < 2:
            for msg, envelope in batch:
                await self._handle_envelope_msg(consumer, msg, envelope, 1)
            return
        try:
            outcomes = await self._apply_together(consumer, batch)
        except Exception as exc:
            # Rolled back whole: each message again in a transaction of its own, so only the one
            # that fails is retried or dead-lettered, by the usual rules.
            log.info(
                "consumer %s: batch of %d rolled back (%s: %s); one at a time",
                consumer.name,
                len(batch),
                type(exc).__name__,
                exc,
            )
            for msg, envelope in batch:
                await self._handle_envelope_msg(consumer, msg, envelope, 1)
            return
        # Committed: acks only from here on (a failing ack is a NATS outage, and a redelivery is a
        # duplicate), never a second application.
        for (msg, _), outcome in zip(batch, outcomes, strict=True):
            EVENTS_HANDLED.labels(self.service, consumer.name, outcome).inc()
            await msg.ack()

    async def _apply_together(self, consumer: Consumer, batch: list[tuple[Any, EventEnvelope]]) -> list[str]:
        """Record and handle a batch in one transaction; each message's 'handled' or 'duplicate'."""
        outcomes: list[str] = []
        async with self.db.transaction(write=True) as session:
            new = await self._record_new(session, consumer, [envelope for _, envelope in batch])
            for msg, envelope in batch:
                if envelope.event_id not in new:
                    outcomes.append("duplicate")
                    continue
                new.discard(envelope.event_id)  # a second copy in this batch is a duplicate
                with self._event_context(consumer, msg, envelope, 1) as span:
                    try:
                        await consumer.handler(session, envelope)
                        await session.flush()  # its failure is this event's, not the next one's
                    except Exception as exc:
                        if span is not None:
                            mark_error(span, exc)
                        raise
                # The next handler starts with an empty identity map, as in a session of its own
                # (no object it reads is a stale copy of a row an earlier handler changed).
                session.expunge_all()
                outcomes.append("handled")
        return outcomes

    async def _parse(self, consumer: Consumer, msg: Any) -> EventEnvelope | None:
        """The message's envelope; a malformed one is dead-lettered at once (None)."""
        try:
            return EventEnvelope.model_validate_json(msg.data)
        except ValidationError as exc:
            await self._dead_letter(consumer, msg, f"malformed envelope: {exc}")
            return None

    @contextlib.contextmanager
    def _event_context(
        self, consumer: Consumer, msg: Any, envelope: EventEnvelope, attempt: int
    ) -> Iterator[Any]:
        """The event's request id, consumer span (yielded, None without tracing) and traceparent."""
        token = request_id_var.set(envelope.correlation_id)
        span = self._start_span(consumer, msg, envelope, attempt)
        tp_token = traceparent_var.set(
            span_traceparent(span) if span is not None else _traceparent(msg, envelope)
        )
        try:
            yield span
        finally:
            if span is not None:
                span.end()
            traceparent_var.reset(tp_token)
            request_id_var.reset(token)

    async def _handle(self, consumer: Consumer, msg: Any) -> None:
        attempt = _attempt(msg)
        if attempt > 1:
            EVENTS_REDELIVERED.labels(self.service, consumer.name).inc()
        envelope = await self._parse(consumer, msg)
        if envelope is not None:
            await self._handle_envelope_msg(consumer, msg, envelope, attempt)

    async def _handle_envelope_msg(
        self, consumer: Consumer, msg: Any, envelope: EventEnvelope, attempt: int
    ) -> None:
        """One message in a transaction of its own: ack, retry later or dead-letter."""
        with self._event_context(consumer, msg, envelope, attempt) as span:
            try:
                outcome = await self.handle_envelope(consumer, envelope)
                EVENTS_HANDLED.labels(self.service, consumer.name, outcome).inc()
                await msg.ack()
            except PermanentError as exc:
                # The transaction rolled back with the exception, so no processed_events row is kept.
                EVENTS_HANDLED.labels(self.service, consumer.name, "rejected").inc()
                if span is not None:
                    mark_error(span, exc)
                log.error("consumer %s rejected event %s for good: %s", consumer.name, envelope.event_id, exc)
                await self._dead_letter(consumer, msg, f"PermanentError: {exc}")
            except Exception as exc:
                EVENTS_HANDLED.labels(self.service, consumer.name, "error").inc()
                if span is not None:
                    mark_error(span, exc)
                if attempt >= consumer.max_deliver:
                    log.error(
                        "consumer %s gave up on event %s after %d attempts: %s",
                        consumer.name,
                        envelope.event_id,
                        attempt,
                        exc,
                    )
                    await self._dead_letter(consumer, msg, f"{type(exc).__name__}: {exc}")
                else:
                    log.warning(
                        "consumer %s failed on event %s (attempt %d): %s",
                        consumer.name,
                        envelope.event_id,
                        attempt,
                        exc,
                    )
                    await msg.nak(delay=consumer.delay_after(attempt))

    def _start_span(self, consumer: Consumer, msg, envelope: EventEnvelope, attempt: int):  # type: ignore[no-untyped-def]
        """With tracing on, a consumer span, child of the publishing request's span."""
        tracing = self.tracing
        if tracing is None or tracing.tracer is None:
            return None
        from opentelemetry.trace import SpanKind

        return tracing.start_span(
            f"{msg.subject} process",
            SpanKind.CONSUMER,
            parent=_traceparent(msg, envelope),
            attributes={
                "messaging.system": "nats",
                "messaging.operation.type": "process",
                "messaging.destination.name": msg.subject,
                "messaging.consumer.group.name": consumer.name,
                "messaging.message.id": envelope.event_id,
                "messaging.message.conversation_id": envelope.correlation_id or "",
                "yiwang.delivery_attempt": attempt,
            },
        )

    async def handle_envelope(self, consumer: Consumer, envelope: EventEnvelope) -> str:
        """Handle one event in its own transaction; 'handled' or 'duplicate'."""
        async with self.db.transaction(write=True) as session:
            if not await self._record_new(session, consumer, [envelope]):
                return "duplicate"
            await consumer.handler(session, envelope)
        return "handled"

    async def _record_new(
        self, session: AsyncSession, consumer: Consumer, envelopes: list[EventEnvelope]
    ) -> set[str]:
        """Record the events in processed_events (one statement); the ids not recorded before."""
        at = datetime.now(UTC)
        ids = dict.fromkeys(e.event_id for e in envelopes)  # once each, in order
        insert = (sqlite.insert if self.db.sqlite else postgresql.insert)(processed_events)
        result = await session.execute(
            insert.values([{"consumer": consumer.name, "event_id": i, "handled_at": at} for i in ids])
            .on_conflict_do_nothing()
            .returning(processed_events.c.event_id)
        )
        return set(result.scalars())

    async def _dead_letter(self, consumer: Consumer, msg, error: str) -> None:  # type: ignore[no-untyped-def]
        subject = f"deadletter.{self.service}.{consumer.name}"
        await self.bus.ensure_stream(DEADLETTER_STREAM, DEADLETTER_SUBJECTS)
        seq = msg.metadata.sequence.stream if msg.metadata else 0
        await self.bus.js.publish(
            subject,
            msg.data,
            headers={
                "Nats-Msg-Id": f"{consumer.name}:{seq}",
                "Yiwang-Error": error[:1000].replace("\n", " "),
                "Yiwang-Original-Subject": msg.subject,
                "Yiwang-Consumer": consumer.name,
            },
        )
        EVENTS_DEAD_LETTERED.labels(self.service, consumer.name).inc()
        await msg.ack()


def _attempt(msg: Any) -> int:
    """Which delivery of the message this is (1 for the first)."""
    return int(msg.metadata.num_delivered) if msg.metadata else 1


def _traceparent(msg, envelope: EventEnvelope) -> str | None:  # type: ignore[no-untyped-def]
    """The event's trace context: the NATS header, else the envelope field (outbox rows)."""
    headers = msg.headers or {}
    return valid_traceparent(headers.get("traceparent")) or valid_traceparent(envelope.traceparent)
