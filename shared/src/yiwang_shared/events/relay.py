"""The outbox relay: publishes committed outbox rows to JetStream, in commit order.

Two ways in, taken by one task, one at a time:
- **Hand-off.** After a commit that wrote outbox rows the relay is handed those rows
  (`Database.add_handoff_hook`) and publishes them as they are, in the order they were committed
  in this process, without reading them back: an event reaches NATS within milliseconds of its
  commit and the database is not asked.
- **Scan.** Every `poll_seconds`, at start and after any failure it selects the unpublished rows:
  rows of other processes or replicas, of a transaction whose savepoint rolled back (not handed,
  see `OUTBOX_ROWS`), or left behind by a failed publish. After a failure handed rows are not
  published directly until a scan has caught up (they are in the table), so within this process
  an event is never published before an earlier-committed one that is still unpublished.

Each row is published with `Nats-Msg-Id` = event id, and JetStream drops a second copy within its
duplicate window (`bus.DUPLICATE_WINDOW_SECONDS`: 10 minutes, set when `EventBus.ensure_stream`
creates the stream). That makes lazy marking safe: rows published from the hand-off are marked
sent (`published_at`) in bulk, one UPDATE by event id at most every `mark_seconds` (default: the
poll interval) and on stop, by a task of their own so publishing never waits for a write lock.
A crash in between leaves them unmarked; the next process's scan sends them again and JetStream
drops the copies, provided it starts within the window (later, consumers absorb the second copy:
they record handled event ids). The scan skips rows published here and not yet marked, and marks
what it publishes at once. On PostgreSQL the scan claims rows with `FOR UPDATE SKIP LOCKED`, so
replicas share that work. The hand-off takes no lock, so a row another replica has published and
not yet marked looks unpublished: a timed scan there (not one at start, after a failure, or asked
for) leaves a row alone until it has seen it unpublished for `scan_grace_seconds` (by its own
monotonic clock, so no two machines' clocks are compared), by which time its own relay has marked
it. A replica killed before marking leaves its rows to the others' scans after that grace; any copy
sent is dropped likewise.

An event's `traceparent` (stored in its envelope) also goes out as a NATS header. The backlog
gauges are refreshed on their own timer, so they keep rising while NATS is down; rows published
but not yet marked count in them for up to `mark_seconds`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence
from datetime import UTC, datetime

import orjson
from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..db import Database
from ..metrics import EVENTS_PUBLISHED, OUTBOX_BACKLOG, OUTBOX_OLDEST_AGE
from ..tables import outbox
from .bus import DUPLICATE_WINDOW_SECONDS, EventBus, NotConnected
from .outbox import OutboxRow

log = logging.getLogger("yiwang.events.relay")

#: Handed rows held at most; past that (publishing stalled) they are left to a scan, in order.
MAX_HANDED = 10_000
#: Event ids per marking UPDATE, far below either database's limit on bound parameters.
MARK_CHUNK = 1_000


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
        mark_seconds: float | None = None,
        batch: int = 200,
        backlog_refresh_seconds: float = 5.0,
        scan_grace_seconds: float | None = None,
    ) -> None:
        self.db = db
        self.bus = bus
        self.service = service
        self.stream = stream
        self.subjects = subjects
        self.poll_seconds = poll_seconds
        self.mark_seconds = poll_seconds if mark_seconds is None else mark_seconds
        if self.mark_seconds * 10 > DUPLICATE_WINDOW_SECONDS:
            # A crash re-sends up to mark_seconds of events; JetStream must still know them. A
            # deployment's setting, refused at start-up:
            # not user-facing
            raise ValueError(f"mark_seconds {self.mark_seconds} too long for the duplicate window")
        self.batch = batch
        self.backlog_refresh_seconds = backlog_refresh_seconds
        # Another replica marks what it publishes within mark_seconds (and its commit's own time).
        grace = 2 * self.mark_seconds + 1.0
        self.scan_grace_seconds = grace if scan_grace_seconds is None else scan_grace_seconds
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._backlog_task: asyncio.Task[None] | None = None
        self._mark_task: asyncio.Task[None] | None = None
        self._marks_stop = asyncio.Event()
        self._stream_ready = False
        self._stopping = False
        # One pass at a time (the loop's, or publish_pending's): scan and hand-off never overlap.
        self._turn = asyncio.Lock()
        self._mark_lock = asyncio.Lock()
        self._handed: list[OutboxRow] = []
        self._scan_due = True
        self._next_scan = 0.0
        # Event ids published from the hand-off and not yet marked; `_recent` also holds the last
        # marked round, which a scan that selected before that UPDATE committed may still return.
        self._unmarked: list[str] = []
        self._marked_last: list[str] = []
        self._recent: set[str] = set()
        # PostgreSQL, timed scans: when each unpublished row of another process was first seen.
        self._first_seen: dict[str, float] = {}

    def hand_off(self, rows: list[OutboxRow] | None) -> None:
        """Take the rows a commit wrote, in order, to publish them (None: not known, so scan)."""
        if self._stopping:
            return  # committed: the next process's scan publishes them
        if rows is None or len(self._handed) + len(rows) > MAX_HANDED:
            self._scan_due = True
        else:
            self._handed.extend(rows)
        self._wake.set()

    def wake(self) -> None:
        """Ask the relay to scan the outbox now (for rows it was not handed)."""
        self._scan_due = True
        self._wake.set()

    async def start(self) -> None:
        """Create the stream if NATS is up, and start the relay loop and the marking task."""
        if self.bus.connected:
            try:
                await self._ensure_stream()
            except Exception as exc:  # the loop retries
                log.warning("cannot ensure stream %s yet: %s", self.stream, exc)
        self._task = asyncio.create_task(self._run(), name=f"{self.service}-outbox-relay")
        self._mark_task = asyncio.create_task(self._mark_loop(), name=f"{self.service}-outbox-marks")
        if self.backlog_refresh_seconds > 0:
            self._backlog_task = asyncio.create_task(
                self._backlog_loop(), name=f"{self.service}-outbox-backlog"
            )

    async def stop(self) -> None:
        """Stop the loop after its current pass, then mark what it published."""
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
        self._marks_stop.set()
        if self._mark_task is not None:
            try:
                await asyncio.wait_for(self._mark_task, timeout=10)
            except (TimeoutError, asyncio.CancelledError):
                self._mark_task.cancel()

    async def _run(self) -> None:
        while not self._stopping:
            await self._wait()
            if self._stopping:
                break
            try:
                async with self._turn:
                    await self._step()
            except (NotConnected, _PassIncomplete):
                self._stream_ready = False
                await asyncio.sleep(min(self.poll_seconds, 0.5))
            except Exception:
                self._stream_ready = False
                log.exception("outbox relay pass failed; will retry")
                await asyncio.sleep(min(self.poll_seconds, 1.0))

    async def _wait(self) -> None:
        """Until handed rows (or a wake) arrive, or the next scan is due."""
        timeout = 0.0 if self._scan_due else self._next_scan - time.monotonic()
        if timeout > 0 and not self._wake.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=timeout)
        self._wake.clear()

    async def _step(self) -> None:
        try:
            await self._ensure_stream()
            if self._scan_due or time.monotonic() >= self._next_scan:
                await self._scan(timed=not self._scan_due)
            elif self._handed:
                await self._publish_handed()
        except BaseException:
            self._scan_due = True  # handed rows wait until a scan has caught up
            raise

    async def _mark_loop(self) -> None:
        while not self._marks_stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._marks_stop.wait(), timeout=self.mark_seconds)
            try:
                await self._flush_marks()
            except Exception as exc:  # kept for the next round; a crash re-sends them (deduplicated)
                log.warning("marking %d published outbox rows failed: %s", len(self._unmarked), exc)

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
        """Publish every unpublished row (handed or not) and mark it sent; returns how many the
        scan published."""
        async with self._turn:
            try:
                await self._ensure_stream()
                total = await self._scan()
            except BaseException:
                self._scan_due = True
                raise
        await self._flush_marks()
        return total

    async def _publish_handed(self) -> None:
        rows, self._handed = self._handed[: self.batch], self._handed[self.batch :]
        if self._handed:
            self._wake.set()
        done, error = await self._publish_rows(rows)
        ids = [r.event_id for r in rows[:done]]
        self._unmarked.extend(ids)
        self._recent.update(ids)
        if error is not None:
            raise _PassIncomplete(done) from error

    async def _scan(self, *, timed: bool = False) -> int:
        """Publish the table's unpublished rows in id order, batch by batch, to the end (a timed
        scan on PostgreSQL: those of other processes only once past their grace)."""
        total = 0
        more = True
        own: set[str] = set()
        while more:
            # Rows handed so far are committed: this pass or a later one selects them. A scan asked
            # for from now on (rows not handed, committed after this SELECT) leaves _scan_due set.
            own.update(r.event_id for r in self._handed)
            self._handed.clear()
            self._scan_due = False
            more, sent = await (
                self._pass_locked(own if timed else None) if not self.db.sqlite else self._pass_sqlite()
            )
            total += len(sent)
            if self._handed and sent:  # handed while this pass selected: sent already
                self._handed = [r for r in self._handed if r.event_id not in sent]
        self._next_scan = time.monotonic() + self.poll_seconds
        return total

    async def _publish_rows(self, rows: Sequence[OutboxRow]) -> tuple[int, BaseException | None]:
        """Publish `rows` in order; returns how many went out before the first failure, and it."""
        # Send the whole batch, then await the acks: the client writes them in order.
        futures = [
            asyncio.ensure_future(
                self.bus.publish(r.subject, r.payload, msg_id=r.event_id, headers=_trace_headers(r.payload))
            )
            for r in rows
        ]
        done = 0
        error: BaseException | None = None
        for fut in futures:
            try:
                await fut
                if error is None:
                    done += 1
            except Exception as exc:
                error = error or exc
        if error is not None:
            self._stream_ready = False
            log.warning("publishing stopped after %d of %d: %s", done, len(rows), error)
        EVENTS_PUBLISHED.labels(self.service).inc(done)
        return done, error

    def _select(self, limit: int) -> Select[int, str, str, bytes]:
        return (
            select(outbox.c.id, outbox.c.event_id, outbox.c.subject, outbox.c.payload)
            .where(outbox.c.published_at.is_(None))
            .order_by(outbox.c.id)
            .limit(limit)
        )

    def _unsent(self, selected: Sequence[tuple[int, str, str, bytes]]) -> list[tuple[int, OutboxRow]]:
        """The selected rows not published here already (those wait for their marking round)."""
        return [
            (row_id, OutboxRow(event_id, subject, payload))
            for row_id, event_id, subject, payload in selected
            if event_id not in self._recent
        ]

    def _settled(self, rows: list[tuple[int, OutboxRow]], own: set[str]) -> list[tuple[int, OutboxRow]]:
        """The rows a timed scan may publish: this process's own, and others' seen unpublished for
        the grace period (their relay has had time to mark them); remembers when each was seen."""
        now = time.monotonic()
        seen: dict[str, float] = {}
        settled = []
        for row_id, row in rows:
            first = seen[row.event_id] = self._first_seen.get(row.event_id, now)
            if row.event_id in own or now - first >= self.scan_grace_seconds:
                settled.append((row_id, row))
        self._first_seen = seen  # rows no longer selected were published or marked meanwhile
        return settled

    async def _pass_locked(self, own: set[str] | None) -> tuple[bool, set[str]]:
        # PostgreSQL: rows stay locked (SKIP LOCKED for other replicas) until marked. `own`: a
        # timed scan, with the event ids this process was handed.
        limit = self.batch + len(self._recent)
        async with self.db.transaction(write=True) as session:
            result = await session.execute(self._select(limit).with_for_update(skip_locked=True))
            selected = [(r[0], r[1], r[2], r[3]) for r in result.all()]
            rows = self._unsent(selected)
            if own is not None:
                rows = self._settled(rows, own)
                if not rows:
                    return False, set()  # what is left is in its grace: the next timed scan looks again
            if not rows:
                return len(selected) == limit, set()
            done, error = await self._publish_rows([row for _id, row in rows])
            await _mark_published(session, [row_id for row_id, _row in rows[:done]])
        return _outcome(len(selected) == limit, rows[:done], error)

    async def _pass_sqlite(self) -> tuple[bool, set[str]]:
        # Publish outside the write lock so request writers are never held up by the network;
        # a crash before marking re-sends rows that JetStream then drops as duplicates.
        limit = self.batch + len(self._recent)
        async with self.db.transaction(write=False) as session:
            selected = [(r[0], r[1], r[2], r[3]) for r in (await session.execute(self._select(limit))).all()]
        rows = self._unsent(selected)
        if not rows:
            return len(selected) == limit, set()
        done, error = await self._publish_rows([row for _id, row in rows])
        if done:
            async with self.db.transaction(write=True) as session:
                await _mark_published(session, [row_id for row_id, _row in rows[:done]])
        return _outcome(len(selected) == limit, rows[:done], error)

    async def _flush_marks(self) -> None:
        """Mark every row published from the hand-off so far, in one UPDATE (per MARK_CHUNK)."""
        async with self._mark_lock:
            ids, self._unmarked = self._unmarked, []
            if not ids:
                return
            try:
                async with self.db.transaction(write=True) as session:
                    now = datetime.now(UTC)
                    for start in range(0, len(ids), MARK_CHUNK):
                        chunk = ids[start : start + MARK_CHUNK]
                        await session.execute(
                            update(outbox).where(outbox.c.event_id.in_(chunk)).values(published_at=now)
                        )
            except BaseException:
                self._unmarked = ids + self._unmarked
                raise
            self._recent.difference_update(self._marked_last)
            self._marked_last = ids

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


def _outcome(
    more: bool, sent: list[tuple[int, OutboxRow]], error: BaseException | None
) -> tuple[bool, set[str]]:
    """(more rows may follow, event ids sent); raises when the pass stopped at a failure."""
    if error is not None:
        raise _PassIncomplete(len(sent)) from error
    return more, {row.event_id for _id, row in sent}
