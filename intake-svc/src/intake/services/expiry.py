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

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.calendar import WorkingCalendar, local_date
from yiwang_shared.db import Database

from ..config import Settings
from ..models.applications import Application, ApplicationMaterial
from ..states import OPEN_STATES
from . import deadlines, documents, trace
from .acceptance import correction_notices
from .calendar_cache import load_calendar
from .cases import advance
from .context import Ctx
from .facts import notify, publish_closed

log = logging.getLogger("intake.expiry")


async def expire_correction(ctx: Ctx, app: Application) -> None:
    """The correction deadline passed without corrections: the case closes (视为撤回申请)."""
    deadline = app.correction_deadline
    assert deadline is not None
    notices = await correction_notices(ctx.session, app)
    last = notices[-1] if notices else None
    advance(ctx, app, "expire_correction")
    app.closed_reason = f"未在补正期限{deadline.isoformat()}前补正材料，视为撤回申请，终止办理"
    app.closed_at = ctx.now
    app.correction_deadline = None
    # Signed by whoever issued the one-time notice it follows.
    signer = (last.content.get("authority") if last else None) or {}
    notice = await documents.issue(
        ctx,
        app,
        "correction_expired",
        {"correct_by": deadline.isoformat(), "correction_notice_no": last.number if last else None},
        unit_code=signer.get("code") or app.intake_unit_code or app.owner_unit_code,
        signer=signer or None,
    )
    await trace.append(
        ctx.session,
        app.id,
        action="correction_expired",
        actor=ctx.actor_id,
        at=ctx.now,
        data={"correct_by": deadline.isoformat(), "notice_no": notice.number},
    )
    await publish_closed(ctx, app, "correction_expired", notice_no=notice.number)
    await notify(ctx, app, "correction_expired", deadline=deadline.isoformat(), document_no=notice.number)


async def _ids(db: Database, where: ColumnElement[bool]) -> list[str]:
    async with db.transaction(write=False) as session:
        return list((await session.execute(select(Application.id).where(where))).scalars())


async def _locked(session: AsyncSession, app_id: str) -> Application | None:
    return (
        await session.execute(select(Application).where(Application.id == app_id).with_for_update())
    ).scalar_one_or_none()


async def expire_corrections(db: Database, settings: Settings, now: datetime) -> int:
    """Close every case whose correction deadline passed; how many were closed."""
    today = local_date(now)
    closed = 0
    waiting = (Application.status == "correction_requested") & (Application.correction_deadline < today)
    for app_id in await _ids(db, waiting):
        async with db.transaction() as session:
            app = await _locked(session, app_id)
            if (
                app is None
                or app.status != "correction_requested"
                or app.correction_deadline is None
                or app.correction_deadline >= today
            ):
                continue  # corrected, withdrawn or closed by another replica meanwhile
            await expire_correction(Ctx(session, None, now, settings), app)
            closed += 1
    return closed


@dataclass(frozen=True)
class Recount:
    """A case's deadlines counted again on today's calendar."""

    notice_due_on: date
    correction_deadline: date | None
    due_on: date | None


async def _round_started(session: AsyncSession, app: Application) -> datetime:
    """When the materials now under review were handed in (the notice window runs from there)."""
    if not app.resubmissions:
        return app.received_at
    latest = await session.scalar(
        select(func.max(ApplicationMaterial.created_at)).where(
            ApplicationMaterial.application_id == app.id, ApplicationMaterial.round == app.resubmissions
        )
    )
    return latest or app.received_at


async def recount(
    session: AsyncSession, calendar: WorkingCalendar, settings: Settings, app: Application
) -> Recount:
    """The case's deadlines in force, counted on `calendar` from the instants they run from."""
    notice_due = app.notice_due_on
    if app.status == "submitted":
        notice_due = deadlines.notice_due_on(
            calendar, await _round_started(session, app), settings.notice_window_working_days
        )
    correction = app.correction_deadline
    if app.status == "correction_requested" and correction is not None:
        issued = [n.issued_at for n in await correction_notices(session, app)]
        if issued:
            correction = calendar.add_working_days(issued[-1], settings.correction_period_working_days)
    due = app.due_on
    if app.accepted_at is not None and app.status in OPEN_STATES:
        due = deadlines.due_on(
            calendar,
            app.accepted_at,
            limit_days=deadlines.effective_limit(app.legal_limit_days, app.promised_limit_days),
            unit=app.limit_unit,
            extension_days=app.extension_days,
            paused_working_days=app.paused_working_days,
        )
    return Recount(notice_due, correction, due)


async def recount_provisional(db: Database, settings: Settings, now: datetime) -> int:
    """Count again the deadlines of cases flagged provisional; how many cases changed."""
    today = local_date(now)
    changed = 0
    for app_id in await _ids(db, Application.provisional_deadline.is_(True)):
        async with db.transaction() as session:
            app = await _locked(session, app_id)
            if app is None or not app.provisional_deadline:
                continue
            calendar = await load_calendar(session)
            new = await recount(session, calendar, settings, app)
            old = Recount(app.notice_due_on, app.correction_deadline, app.due_on)
            app.notice_due_on, app.correction_deadline, app.due_on = (
                new.notice_due_on,
                new.correction_deadline,
                new.due_on,
            )
            deadlines.flag_provisional(calendar, app, today)
            if new == old and app.provisional_deadline:
                continue  # nothing known yet that changes the count: the flag stays
            await trace.append(
                session,
                app.id,
                action="deadlines_recounted",
                actor="system",
                at=now,
                data={
                    "due_on": [_iso(old.due_on), _iso(new.due_on)],
                    "notice_due_on": [_iso(old.notice_due_on), _iso(new.notice_due_on)],
                    "correction_deadline": [_iso(old.correction_deadline), _iso(new.correction_deadline)],
                    "provisional": app.provisional_deadline,
                },
            )
            app.updated_at = now
            changed += 1
    return changed


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
