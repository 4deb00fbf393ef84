"""The outbox relay: publishes committed outbox rows to JetStream, in order, exactly once.

Woken by the commit hook of any session that wrote an outbox row (so an event reaches NATS within
milliseconds of its commit) and by a poll every `poll_seconds` (to catch rows from other processes
and retry after NATS outages). Each row is published with `Nats-Msg-Id` = event id, so a row sent
twice (a crash between publish and marking it sent, or two replicas) is dropped by JetStream's
deduplication. On PostgreSQL rows are claimed with `FOR UPDATE SKIP LOCKED`, so replicas share work.
An event's `traceparent` (stored in its envelope) also goes out as a NATS header. The backlog
gauges are refreshed on their own timer, so they keep rising while NATS is down.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime

import orjson
from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..db import Database
from ..metrics import EVENTS_PUBLISHED, OUTBOX_BACKLOG, OUTBOX_OLDEST_AGE
from ..tables import outbox
from .bus import EventBus, NotConnected

log = logging.getLogger("yiwang.events.relay")


class _PassIncomplete(Exception):
    """A publish failed mid-batch; what went out before it is marked, the rest retries."""


class OutboxRelay:
    """Moves outbox rows to JetStream."""

    def __init__(
        self,
        db: Database,
        bus: EventBus,
        *,
        service: str,
        stream: str,
        subjects: list[str],
        poll_seconds: float = 1.0,
        batch: int = 200,
        backlog_refresh_seconds: float = 5.0,
    ) -> None:
        self.db = db
        self.bus = bus
        self.service = service
        self.stream = stream
        self.subjects = subjects
        self.poll_seconds = poll_seconds
        self.batch = batch
        self.backlog_refresh_seconds = backlog_refresh_seconds
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._backlog_task: asyncio.Task[None] | None = None
        self._stream_ready = False
        self._stopping = False

    def wake(self) -> None:
        """Ask the relay to publish now (called after a commit that wrote outbox rows)."""
        self._wake.set()

    async def start(self) -> None:
        """Create the stream if NATS is up, and start the relay loop."""
        if self.bus.connected:
            try:
                await self._ensure_stream()
            except Exception as exc:  # the loop retries
                log.warning("cannot ensure stream %s yet: %s", self.stream, exc)
        self._task = asyncio.create_task(self._run(), name=f"{self.service}-outbox-relay")
        if self.backlog_refresh_seconds > 0:
            self._backlog_task = asyncio.create_task(
                self._backlog_loop(), name=f"{self.service}-outbox-backlog"
            )

    async def stop(self) -> None:
        """Stop the loop after its current pass."""
        self._stopping = True
        self._wake.set()
        if self._backlog_task is not None:
            self._backlog_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._backlog_task
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, timeout=10)
            except (TimeoutError, asyncio.CancelledError):
                self._task.cancel()

    async def _run(self) -> None:
        first = True
        while not self._stopping:
            if not first:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
            first = False
            self._wake.clear()
            if self._stopping:
                break
            try:
                await self.publish_pending()
            except (NotConnected, _PassIncomplete):
                self._stream_ready = False
                await asyncio.sleep(min(self.poll_seconds, 0.5))
            except Exception:
                self._stream_ready = False
                log.exception("outbox relay pass failed; will retry")
                await asyncio.sleep(min(self.poll_seconds, 1.0))

    async def _backlog_loop(self) -> None:
        while not self._stopping:
            try:
                await self.record_backlog()
            except Exception as exc:  # the database may be briefly away; keep the last values
                log.debug("outbox backlog not read: %s", exc)
            await asyncio.sleep(self.backlog_refresh_seconds)

    async def _ensure_stream(self) -> None:
        if not self._stream_ready:
            await self.bus.ensure_stream(self.stream, self.subjects)
            self._stream_ready = True

    async def publish_pending(self) -> int:
        """Publish every unpublished row; returns how many were published."""
        await self._ensure_stream()
        total = 0
        while True:
            sent = await (self._pass_locked() if not self.db.sqlite else self._pass_sqlite())
            total += sent
            if sent < self.batch:
                break
        return total

    async def _publish_rows(
        self, rows: list[tuple[int, str, str, bytes]]
    ) -> tuple[list[int], BaseException | None]:
        # Send the whole batch, then await the acks: the client writes them in order.
        futures = [
            asyncio.ensure_future(
                self.bus.publish(subject, payload, msg_id=event_id, headers=_trace_headers(payload))
            )
            for (_id, event_id, subject, payload) in rows
        ]
        done: list[int] = []
        error: BaseException | None = None
        for (row_id, *_), fut in zip(rows, futures, strict=True):
            try:
                await fut
                if error is None:
                    done.append(row_id)
            except Exception as exc:
                error = error or exc
        if error is not None:
            self._stream_ready = False
            log.warning("publishing stopped after %d of %d: %s", len(done), len(rows), error)
        EVENTS_PUBLISHED.labels(self.service).inc(len(done))
        return done, error

    def _select(self) -> Select[int, str, str, bytes]:
        return (
            select(outbox.c.id, outbox.c.event_id, outbox.c.subject, outbox.c.payload)
            .where(outbox.c.published_at.is_(None))
            .order_by(outbox.c.id)
            .limit(self.batch)
        )

    async def _pass_locked(self) -> int:
        # PostgreSQL: rows stay locked (SKIP LOCKED for other replicas) until marked.
        async with self.db.transaction(write=True) as session:
            result = await session.execute(self._select().with_for_update(skip_locked=True))
            rows = [(r[0], r[1], r[2], r[3]) for r in result.all()]
            if not rows:
                return 0
            done, error = await self._publish_rows(rows)
            await _mark_published(session, done)
        return _outcome(done, error)

    async def _pass_sqlite(self) -> int:
        # Publish outside the write lock so request writers are never held up by the network;
        # a crash before marking re-sends rows that JetStream then drops as duplicates.
        async with self.db.transaction(write=False) as session:
            rows = [(r[0], r[1], r[2], r[3]) for r in (await session.execute(self._select())).all()]
        if not rows:
            return 0
        done, error = await self._publish_rows(rows)
        async with self.db.transaction(write=True) as session:
            await _mark_published(session, done)
        return _outcome(done, error)

    async def record_backlog(self) -> None:
        """Set the backlog gauges: unpublished rows and the age of the oldest."""
        async with self.db.transaction(write=False) as session:
            count, oldest = (
                await session.execute(
                    select(func.count(), func.min(outbox.c.created_at)).where(outbox.c.published_at.is_(None))
                )
            ).one()
        OUTBOX_BACKLOG.labels(self.service).set(count)
        if oldest is not None:
            if oldest.tzinfo is None:
                oldest = oldest.replace(tzinfo=UTC)
            OUTBOX_OLDEST_AGE.labels(self.service).set((datetime.now(UTC) - oldest).total_seconds())
        else:
            OUTBOX_OLDEST_AGE.labels(self.service).set(0)


async def _mark_published(session: AsyncSession, ids: list[int]) -> None:
    if ids:
        await session.execute(
            update(outbox).where(outbox.c.id.in_(ids)).values(published_at=datetime.now(UTC))
        )


def _trace_headers(payload: bytes) -> dict[str, str] | None:
    """{traceparent} for the NATS message when the stored envelope carries one."""
    if b'"traceparent"' not in payload:  # the common case, tracing off: no parsing
        return None
    value = orjson.loads(payload).get("traceparent")
    return {"traceparent": value} if isinstance(value, str) else None


def _outcome(done: list[int], error: BaseException | None) -> int:
    if error is not None:
        raise _PassIncomplete(len(done)) from error
    return len(done)
