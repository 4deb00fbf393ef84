"""The dispatcher: sends pending messages through the Sender, with retries, once per message.

Rows are claimed before sending: a claim is one conditional UPDATE (status pending and due, or a
`sending` row whose lease has run out after a crash) that stamps the dispatcher's token and
returns the rows it took (`NotificationRepository.claim`); on PostgreSQL the candidates are picked
with `FOR UPDATE SKIP LOCKED`, on SQLite the claim runs in a `BEGIN IMMEDIATE` transaction. A pass
woken by a commit that queued a message claims at once; a pass on the poll first looks (a read)
whether anything is due, so an idle poll never takes SQLite's write lock. Only the dispatcher whose
token is on the row sends it and marks it, so several replicas never send one message twice while
it is leased. A dispatcher that dies
after sending but before recording it leaves the row to be sent again when its lease runs out
(at least once, like any SMS gateway hand-off); the lease outlasts the send timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.db import Database
from yiwang_shared.orm import new_id, utcnow

from ..repositories.notifications import NotificationRepository
from .notification_senders import OutgoingSms, Sender
from .notification_settings import NotificationSettings

log = logging.getLogger("intake.notifications")


@dataclass(frozen=True)
class PassResult:
    """What one dispatcher pass did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0

    @property
    def claimed(self) -> int:
        """Messages this pass handled."""
        return self.sent + self.retried + self.failed


class NotificationDispatcher:
    """Sends pending notification rows through a Sender."""

    def __init__(self, db: Database, sender: Sender, settings: NotificationSettings | None = None) -> None:
        self.db = db
        self.sender = sender
        self.settings = settings or NotificationSettings()
        self.token = new_id()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        #: The next pass was woken by a commit that queued a message (or follows a full batch).
        self._woken = False

    def wake(self) -> None:
        """Send now rather than at the next poll."""
        self._wake.set()

    async def start(self) -> None:
        """Start the background loop."""
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name="intake-sms-dispatcher")

    async def stop(self) -> None:
        """Stop the loop after its current pass."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, timeout=self.settings.sms_send_timeout_seconds)
            except (TimeoutError, asyncio.CancelledError):
                self._task.cancel()
            self._task = None

    async def _run(self) -> None:
        while not self._stopping:
            try:
                result = await self.dispatch_pending()
            except Exception:
                log.exception("notification dispatch pass failed; will retry")
                result = PassResult()
            if result.claimed >= self.settings.sms_batch:
                self._woken = True
                continue  # more may be waiting
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.settings.sms_poll_seconds)
            self._woken = self._wake.is_set()
            self._wake.clear()

    async def dispatch_pending(self) -> PassResult:
        """Claim due messages, send them, and record the outcome of each."""
        claimed = await self._claim()
        sent = retried = failed = 0
        for sms in claimed:
            try:
                await asyncio.wait_for(self.sender.send(sms), timeout=self.settings.sms_send_timeout_seconds)
            except Exception as exc:  # any sender failure is retried, never lost
                if await self._record_failure(sms.message_id, exc):
                    failed += 1
                else:
                    retried += 1
            else:
                await self._record_sent(sms.message_id)
                sent += 1
        return PassResult(sent=sent, retried=retried, failed=failed)

    async def _claim(self) -> list[OutgoingSms]:
        if not self._woken:
            # A read first: an idle poll must not take SQLite's write lock from request writers.
            async with self.db.transaction(write=False) as session:
                if not await NotificationRepository(session).any_claimable():
                    return []
        self._woken = False
        now = utcnow()
        async with self.db.transaction(write=True) as session:
            rows = await NotificationRepository(session).claim(
                self.token,
                batch=self.settings.sms_batch,
                lease_until=now + timedelta(seconds=self.settings.sms_lease_seconds),
                skip_locked=not self.db.sqlite,
            )
        return [OutgoingSms(message_id=r.id, phone=r.phone or "", text=r.text, kind=r.kind) for r in rows]

    async def _record_sent(self, message_id: str) -> None:
        async with self.db.transaction(write=True) as session:
            await NotificationRepository(session).release(
                message_id, self.token, status="sent", sent_at=utcnow(), last_error=None
            )

    async def _record_failure(self, message_id: str, exc: BaseException) -> bool:
        """Schedule a retry with backoff, or mark failed after the last attempt; True if failed."""
        error = f"{type(exc).__name__}: {exc}"[:1000]
        async with self.db.transaction(write=True) as session:
            repo = NotificationRepository(session)
            attempts = await repo.attempts_held(message_id, self.token)
            if attempts is None:
                return False  # lease lost to another dispatcher: its outcome counts
            gave_up = attempts >= self.settings.sms_max_attempts
            delay = min(
                self.settings.sms_retry_base_seconds * 2 ** (attempts - 1),
                self.settings.sms_retry_max_seconds,
            )
            await repo.release(
                message_id,
                self.token,
                status="failed" if gave_up else "pending",
                next_attempt_at=utcnow() + timedelta(seconds=delay),
                last_error=error,
            )
        if gave_up:
            log.error("sms %s failed after %d attempts: %s", message_id, attempts, error)
        else:
            log.warning("sms %s attempt %d failed (%s); retry in %.0fs", message_id, attempts, error, delay)
        return gave_up


async def pending_count(session: AsyncSession) -> int:
    """Messages waiting to be sent (for tests and metrics)."""
    return await NotificationRepository(session).pending_count()


__all__ = ["NotificationDispatcher", "PassResult", "pending_count"]
