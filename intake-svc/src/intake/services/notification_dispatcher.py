"""The dispatcher: sends pending messages through the Sender, with retries, once per message.

Two ways in, taken by one task, one pass at a time:
- **Hand-off.** While the dispatcher runs, a message is claimed for it as it is written (its token
  and lease on the row, see `notification_outbox`) and handed to it after the commit
  (`Database.add_handoff_hook`): it is sent at once, with no claiming transaction. A savepoint
  that rolled back hands nothing known, so the dispatcher then takes back, by its token, the rows
  it holds and was not handed.
- **Claim.** Rows written without a running dispatcher, retries whose backoff is over and rows
  whose lease ran out (a dispatcher died) are claimed: one conditional UPDATE (status pending and
  due, or a `sending` row whose lease has run out) that stamps the dispatcher's token and returns
  the rows it took (`NotificationRepository.claim`); on PostgreSQL the candidates are picked with
  `FOR UPDATE SKIP LOCKED`, on SQLite the claim runs in a `BEGIN IMMEDIATE` transaction. A pass
  woken by a commit that queued an unclaimed message claims at once; a pass on the poll first
  looks (a read) whether anything is due, so an idle poll never takes SQLite's write lock.

Messages sent are recorded with one UPDATE for all of them, at most `sms_mark_seconds` after the
first (a full batch and a stop record at once), so a message costs its send and a share of that
UPDATE. Only the dispatcher whose token is on the row sends it and marks it, so several replicas
never send one message twice while it is leased. A dispatcher that dies after sending but before
recording leaves the row to be sent again when its lease runs out (at least once, like any SMS
gateway hand-off; the message id goes with it for a gateway that drops repeats); the lease
outlasts the send timeout. One that stops records what it sent and gives the handed messages it
did not send back as pending.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.db import Database
from yiwang_shared.orm import new_id, utcnow

from ..repositories.notifications import NotificationRepository
from .notification_outbox import SMS_CLAIM, SmsClaim
from .notification_senders import OutgoingSms, Sender
from .notification_settings import NotificationSettings

log = logging.getLogger("intake.notifications")

#: Handed messages held at most; past that (sending stalled) they are taken back by token later.
MAX_HANDED = 10_000


def _outgoing(rows: Iterable[Any]) -> list[OutgoingSms]:
    """Messages to send from rows of (id, phone, text, kind)."""
    return [OutgoingSms(message_id=r.id, phone=r.phone or "", text=r.text, kind=r.kind) for r in rows]


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

    def __add__(self, other: PassResult) -> PassResult:
        return PassResult(self.sent + other.sent, self.retried + other.retried, self.failed + other.failed)


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
        #: The next pass claims without a probe read: a commit queued an unclaimed message, or the
        #: last pass took a full batch.
        self._woken = False
        self._handed: list[OutgoingSms] = []
        #: Rows under this token that were not handed (a savepoint rolled back, or too many).
        self._take_back = False
        self._claim_at_birth = SmsClaim(self.token, self.settings.sms_lease_seconds)
        # Its own key: only this dispatcher is handed the messages claimed for it.
        db.add_handoff_hook(self.hand_off, key=self._claim_at_birth.handoff_key)
        #: The last claim took a full batch: more may be due.
        self._claimed_full = False
        #: Sent and not yet recorded, and when they are due to be (monotonic clock).
        self._unrecorded: list[str] = []
        self._record_at = 0.0

    def wake(self) -> None:
        """Claim and send now rather than at the next poll."""
        self._woken = True
        self._wake.set()

    def hand_off(self, messages: list[OutgoingSms] | None) -> None:
        """Take the messages a commit claimed for this dispatcher (None: not known which)."""
        if messages is None or len(self._handed) + len(messages) > MAX_HANDED:
            self._take_back = True
        else:
            self._handed.extend(messages)
        self._wake.set()

    async def start(self) -> None:
        """Start the background loop; messages written from now on are claimed for it."""
        self._stopping = False
        self.db.session_info[SMS_CLAIM] = self._claim_at_birth
        self._task = asyncio.create_task(self._run(), name="intake-sms-dispatcher")

    async def stop(self) -> None:
        """Stop the loop after its current pass; give back what was handed and not sent."""
        self.db.session_info.pop(SMS_CLAIM, None)
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, timeout=self.settings.sms_send_timeout_seconds)
            except (TimeoutError, asyncio.CancelledError):
                self._task.cancel()
            self._task = None
        await self._record_if_due(now=True)  # if the loop was cancelled mid-send
        unsent, self._handed = self._handed, []
        if unsent:
            async with self.db.transaction(write=True) as session:
                await NotificationRepository(session).give_back([m.message_id for m in unsent], self.token)

    async def _run(self) -> None:
        claim = True  # at start: whatever is due
        next_poll = 0.0
        while not self._stopping:
            if claim:
                next_poll = time.monotonic() + self.settings.sms_poll_seconds
            self._claimed_full = False
            try:
                await self.dispatch_pending(claim=claim, record=False)
            except Exception:
                log.exception("notification dispatch pass failed; will retry")
            if self._claimed_full:
                self._woken = claim = True
                continue  # more may be waiting
            await self._record_if_due()
            # Until woken (a hand-off, or an unclaimed message queued), the poll, or the record.
            deadline = min(next_poll, self._record_at) if self._unrecorded else next_poll
            timeout = deadline - time.monotonic()
            if timeout > 0 and not self._wake.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=timeout)
            self._wake.clear()
            # Retries and lapsed leases are claimed on the poll even while hand-offs keep coming.
            claim = self._woken or time.monotonic() >= next_poll
        await self._record_if_due(now=True)

    async def _record_if_due(self, *, now: bool = False) -> None:
        """Record the messages sent so far, when their time (or a full batch) has come."""
        if not self._unrecorded:
            return
        if not now and len(self._unrecorded) < self.settings.sms_batch and time.monotonic() < self._record_at:
            return
        ids, self._unrecorded = self._unrecorded, []
        try:
            async with self.db.transaction(write=True) as session:
                await NotificationRepository(session).release(
                    ids, self.token, status="sent", sent_at=utcnow(), last_error=None
                )
        except Exception as exc:  # kept for the next round; a crash leaves them to their lease
            self._unrecorded = ids + self._unrecorded
            # Not at once again: the loop would spin while the database is away.
            self._record_at = time.monotonic() + max(self.settings.sms_mark_seconds, 1.0)
            log.warning("recording %d sent messages failed: %s", len(ids), exc)

    async def dispatch_pending(self, *, claim: bool = True, record: bool = True) -> PassResult:
        """Send what commits handed over, then (unless `claim` is false) claim due messages and
        send them; record what was sent (unless `record` is false: the loop records in rounds)."""
        handed, self._handed = self._handed, []
        result = await self._send_all(handed)
        if self._take_back:
            self._take_back = False
            result += await self._send_all(await self._held_not_handed())
        if claim:
            result += await self._send_all(await self._claim())
        if record:
            await self._record_if_due(now=True)
        return result

    async def _send_all(self, messages: list[OutgoingSms]) -> PassResult:
        """Send each message; the sent are listed to be recorded together, a failure is recorded
        on its own at once."""
        sent: list[str] = []
        retried = failed = 0
        for sms in messages:
            try:
                await asyncio.wait_for(self.sender.send(sms), timeout=self.settings.sms_send_timeout_seconds)
            except Exception as exc:  # any sender failure is retried, never lost
                if await self._record_failure(sms.message_id, exc):
                    failed += 1
                else:
                    retried += 1
            else:
                sent.append(sms.message_id)
        if sent:
            if not self._unrecorded:
                self._record_at = time.monotonic() + self.settings.sms_mark_seconds
            self._unrecorded.extend(sent)
        return PassResult(sent=len(sent), retried=retried, failed=failed)

    async def _held_not_handed(self) -> list[OutgoingSms]:
        """Rows claimed for this dispatcher as they were written but never handed to it."""
        async with self.db.transaction(write=False) as session:
            rows = await NotificationRepository(session).held_by(self.token)
        # Taken after the read: a commit handed over while it ran is in `_handed` by now.
        waiting = {m.message_id for m in self._handed} | set(self._unrecorded)
        return _outgoing(r for r in rows if r.id not in waiting)

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
        self._claimed_full = len(rows) >= self.settings.sms_batch
        return _outgoing(rows)

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
                [message_id],
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
