"""Reminders (预约提醒): an SMS the day before a booking, queued once even with several replicas."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.db import Database
from yiwang_shared.orm import utcnow

from ..repositories.appointments import AppointmentRepository
from .appointment_bookings import sms_date, sms_time
from .notification_outbox import queue_message

log = logging.getLogger("intake.appointments")


async def queue_due_reminders(
    session: AsyncSession, *, now: datetime, ahead: timedelta, batch: int = 200
) -> int:
    """Queue a reminder for each live booking starting within `ahead` not yet reminded."""
    repo = AppointmentRepository(session)
    queued = 0
    for appointment_id in await repo.due_for_reminder(now, ahead, batch):
        # Conditional: a booking is reminded by whichever replica sets reminded_at first.
        if not await repo.mark_reminded(appointment_id, now):
            continue
        appointment, place = await repo.with_place(appointment_id)
        await queue_message(
            session,
            kind="appointment_reminder",
            phone=appointment.phone,
            person_id=appointment.person_id,
            application_id=None,
            appointment_id=appointment.id,
            params={
                "date": sms_date(appointment.day),
                "start": sms_time(appointment.starts_at),
                "place_name": place.name,
                "address": place.address,
                "item_name": appointment.item_name,
                "booking_no": appointment.booking_no,
            },
        )
        queued += 1
    return queued


class ReminderScheduler:
    """Scans for due reminders every `scan_seconds`."""

    def __init__(self, db: Database, *, ahead: timedelta, scan_seconds: float) -> None:
        self.db = db
        self.ahead = ahead
        self.scan_seconds = scan_seconds
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def scan(self) -> int:
        """One pass: queue every due reminder."""
        async with self.db.transaction() as session:
            return await queue_due_reminders(session, now=utcnow(), ahead=self.ahead)

    async def start(self) -> None:
        """Start scanning in the background."""
        self._stop.clear()
        self._task = asyncio.create_task(self._run(), name="intake-appointment-reminders")

    async def stop(self) -> None:
        """Stop scanning."""
        self._stop.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, timeout=10)
            except (TimeoutError, asyncio.CancelledError):
                self._task.cancel()
            self._task = None

    async def _run(self) -> None:
        while not self._stop.is_set():
            try:
                queued = await self.scan()
                if queued:
                    log.info("queued %d appointment reminder(s)", queued)
            except Exception:
                log.exception("appointment reminder scan failed; will retry")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=self.scan_seconds)
