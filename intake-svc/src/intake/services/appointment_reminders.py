"""Reminders (预约提醒): an SMS the day before a booking, queued once even with several replicas."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.db import Database
from yiwang_shared.orm import utcnow
from yiwang_shared.periodic import PeriodicTask

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


def reminder_task(db: Database, *, ahead: timedelta, scan_seconds: float) -> PeriodicTask:
    """Queue every due reminder every `scan_seconds`, each scan in one transaction."""

    async def reminder_scan() -> None:
        async with db.transaction() as session:
            queued = await queue_due_reminders(session, now=utcnow(), ahead=ahead)
        if queued:
            log.info("queued %d appointment reminder(s)", queued)

    return PeriodicTask("intake-appointment-reminders", reminder_scan, seconds=scan_seconds, log=log)
