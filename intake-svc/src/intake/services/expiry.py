"""Deadlines that lapse or move on their own: a case waiting for corrections (补正) closes at its
correction deadline, with a notice and an SMS to the applicant and an event that counts it; and
deadlines counted over a year without an official holiday arrangement are counted again once the
arrangement is imported (they were provisional: Monday–Friday assumed).

Both run in the background every `INTAKE_SUPERVISION_SCAN_SECONDS` (and with the manual scan),
each case in its own transaction on a locked row whose state is checked again, so several
replicas never both act on one case.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import WorkingCalendar, local_date
from yiwang_shared.db import Database

from ..config import Settings
from ..lifecycles import OPEN_STATES
from ..models.applications import Application
from ..repositories.applications import ApplicationRepository
from ..repositories.materials import MaterialRepository
from . import deadlines, documents, trace
from .access import SYSTEM_ACTOR, actor_id
from .cases import advance
from .documents import correction_notices
from .facts import notify, publish_closed
from .read_models import working_calendar

log = logging.getLogger("intake.expiry")


async def expire_correction(
    session: AsyncSession, application: Application, actor: Principal | None, *, now: datetime
) -> None:
    """The correction deadline passed without corrections: the case closes (视为撤回申请)."""
    deadline = application.correction_deadline
    assert deadline is not None
    notices = await correction_notices(session, application)
    last = notices[-1] if notices else None
    advance(application, "expire_correction", now=now)
    application.closed_reason = f"未在补正期限{deadline.isoformat()}前补正材料，视为撤回申请，终止办理"
    application.closed_at = now
    application.correction_deadline = None
    # Signed by whoever issued the one-time notice it follows.
    signer = (last.content.get("authority") if last else None) or {}
    notice = await documents.issue(
        session,
        application,
        "correction_expired",
        {"correct_by": deadline.isoformat(), "correction_notice_no": last.number if last else None},
        actor,
        now=now,
        unit_code=signer.get("code") or application.intake_unit_code or application.owner_unit_code,
        signer=signer or None,
    )
    trace.append(
        session,
        application,
        action="correction_expired",
        actor=actor_id(actor),
        at=now,
        data={"correct_by": deadline.isoformat(), "notice_no": notice.number},
    )
    await publish_closed(session, application, "correction_expired", actor, notice_no=notice.number, now=now)
    await notify(
        session, application, "correction_expired", deadline=deadline.isoformat(), document_no=notice.number
    )


async def expire_corrections(db: Database, settings: Settings, now: datetime) -> int:
    """Close every case whose correction deadline passed; how many were closed."""
    today = local_date(now)
    closed = 0
    async with db.transaction(write=False) as session:
        waiting = await ApplicationRepository(session).ids_correction_lapsed(today)
    for application_id in waiting:
        async with db.transaction() as session:
            application = await ApplicationRepository(session).lock(application_id)
            if (
                application is None
                or application.status != "correction_requested"
                or application.correction_deadline is None
                or application.correction_deadline >= today
            ):
                continue  # corrected, withdrawn or closed by another replica meanwhile
            await expire_correction(session, application, None, now=now)
            closed += 1
    return closed


@dataclass(frozen=True)
class Recount:
    """A case's deadlines counted again on today's calendar."""

    notice_due_on: date
    correction_deadline: date | None
    due_on: date | None


async def _round_started(session: AsyncSession, application: Application) -> datetime:
    """When the materials now under review were handed in (the notice window runs from there)."""
    if not application.resubmissions:
        return application.received_at
    latest = await MaterialRepository(session).last_handed_in(application.id, application.resubmissions)
    return latest or application.received_at


async def recount(
    session: AsyncSession, calendar: WorkingCalendar, settings: Settings, application: Application
) -> Recount:
    """The case's deadlines in force, counted on `calendar` from the instants they run from."""
    notice_due = application.notice_due_on
    if application.status == "submitted":
        notice_due = deadlines.notice_due_on(
            calendar, await _round_started(session, application), settings.notice_window_working_days
        )
    correction = application.correction_deadline
    if application.status == "correction_requested" and correction is not None:
        issued = [n.issued_at for n in await correction_notices(session, application)]
        if issued:
            correction = calendar.add_working_days(issued[-1], settings.correction_period_working_days)
    due = application.due_on
    if application.accepted_at is not None and application.status in OPEN_STATES:
        due = deadlines.due_on(
            calendar,
            application.accepted_at,
            limit_days=deadlines.effective_limit(
                application.legal_limit_days, application.promised_limit_days
            ),
            unit=application.limit_unit,
            extension_days=application.extension_days,
            paused_working_days=application.paused_working_days,
        )
    return Recount(notice_due, correction, due)


async def recount_provisional(db: Database, settings: Settings, now: datetime) -> int:
    """Count again the deadlines of cases flagged provisional; how many cases changed."""
    today = local_date(now)
    changed = 0
    async with db.transaction(write=False) as session:
        provisional = await ApplicationRepository(session).ids_provisional()
    for application_id in provisional:
        async with db.transaction() as session:
            application = await ApplicationRepository(session).lock(application_id)
            if application is None or not application.provisional_deadline:
                continue
            calendar = await working_calendar(session)
            new = await recount(session, calendar, settings, application)
            old = Recount(application.notice_due_on, application.correction_deadline, application.due_on)
            application.notice_due_on, application.correction_deadline, application.due_on = (
                new.notice_due_on,
                new.correction_deadline,
                new.due_on,
            )
            deadlines.flag_provisional(calendar, application, today)
            if new == old and application.provisional_deadline:
                continue  # nothing known yet that changes the count: the flag stays
            trace.append(
                session,
                application,
                action="deadlines_recounted",
                actor=SYSTEM_ACTOR,
                at=now,
                data={
                    "due_on": [_iso(old.due_on), _iso(new.due_on)],
                    "notice_due_on": [_iso(old.notice_due_on), _iso(new.notice_due_on)],
                    "correction_deadline": [_iso(old.correction_deadline), _iso(new.correction_deadline)],
                    "provisional": application.provisional_deadline,
                },
            )
            application.updated_at = now
            changed += 1
    return changed


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
