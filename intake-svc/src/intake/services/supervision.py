"""Electronic supervision (电子监察): green / yellow / red per open case, the supervisor's board,
and the background scan that flags overdue cases (once), revokes 容缺 acceptances whose
correction deadline passed, and deems accepted what got no notice in time. The background loop
then runs the 催办/督办 pass (`intake.escalation`): where an overdue case goes.

The scan is safe with several replicas: a case is flagged by a conditional UPDATE (… WHERE not
yet flagged) in the same transaction as its event, and state changes re-check the state on a
locked row, so two replicas never both act on one case.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import WorkingCalendar, local_date
from yiwang_shared.db import Database

from .. import events
from ..config import Settings
from ..escalation.settings import EscalationSettings
from ..models.applications import Application, ClockPause
from ..states import OPEN_STATES
from . import access, deadlines, trace
from .acceptance import deem_accepted, revoke_acceptance
from .calendar_cache import load_calendar
from .context import Ctx
from .facts import publish

log = logging.getLogger("intake.supervision")
RUNNING = ("accepted", "under_review")  # the clock runs; suspended cases are paused


@dataclass(frozen=True)
class Light:
    """A case's supervision light."""

    colour: str
    remaining: int | None
    effective_due: date | None


def light(
    calendar: WorkingCalendar,
    today: date,
    due: date | None,
    yellow_days: int,
    paused_since: date | None = None,
) -> Light:
    """green, yellow (≤ yellow_days left) or red (past due); a running pause moves the due date."""
    if due is None:
        return Light("green", None, None)
    if paused_since is not None:
        due = calendar.add_working_days(due, deadlines.paused_days(calendar, paused_since, today))
    if today > due:
        return Light("red", deadlines.remaining_working_days(calendar, today, due), due)
    remaining = deadlines.remaining_working_days(calendar, today, due)
    return Light("yellow" if remaining <= yellow_days else "green", remaining, due)


async def board(
    session: AsyncSession,
    principal: Principal,
    *,
    unit_code: str | None,
    now: datetime,
    settings: Settings,
) -> list[tuple[Application, Light, bool]]:
    """Open cases the viewer may see (optionally one deciding unit's), with their lights."""
    query = select(Application).where(
        Application.status.in_(OPEN_STATES), await access.visibility(session, principal)
    )
    if unit_code:
        query = query.where(Application.owner_unit_code == unit_code)
    apps = list((await session.execute(query.order_by(Application.due_on, Application.id))).scalars())
    suspended = [a.id for a in apps if a.status == "suspended"]
    since: dict[str, date] = {}
    if suspended:
        rows = await session.execute(
            select(ClockPause.application_id, ClockPause.started_on).where(
                ClockPause.application_id.in_(suspended), ClockPause.ended_on.is_(None)
            )
        )
        since = {a: d for a, d in rows.all()}
    calendar = await load_calendar(session)
    today = local_date(now)
    return [
        (a, light(calendar, today, a.due_on, settings.yellow_working_days, since.get(a.id)), a.id in since)
        for a in apps
    ]


@dataclass
class ScanCounts:
    """What one scan did."""

    overdue_flagged: int = 0
    deficiencies_revoked: int = 0
    deemed_accepted: int = 0


async def _ids(db: Database, where: ColumnElement[bool]) -> list[str]:
    async with db.transaction(write=False) as session:
        return list((await session.execute(select(Application.id).where(where))).scalars())


async def scan(db: Database, settings: Settings, now: datetime) -> ScanCounts:
    """One pass over every open case; each case is handled in its own transaction."""
    today = local_date(now)
    counts = ScanCounts()
    for app_id in await _ids(
        db,
        Application.status.in_(RUNNING)
        & (Application.due_on < today)
        & Application.overdue_flagged_at.is_(None),
    ):
        async with db.transaction() as session:
            flagged = await session.execute(
                update(Application)
                .where(
                    Application.id == app_id,
                    Application.overdue_flagged_at.is_(None),
                    Application.status.in_(RUNNING),
                    Application.due_on < today,
                )
                .values(overdue_flagged_at=now)
            )
            if flagged.rowcount != 1:  # type: ignore[attr-defined]
                continue  # another replica got there first, or the case moved on
            app = await session.get(Application, app_id, populate_existing=True)
            assert app is not None
            ctx = Ctx(session, None, now, settings)
            await trace.append(
                session,
                app.id,
                action="overdue",
                actor=ctx.actor_id,
                at=now,
                data={"due_on": app.due_on.isoformat() if app.due_on else None},
            )
            await publish(ctx, events.ApplicationOverdue, app, detected_at=now, status=app.status)
            counts.overdue_flagged += 1
    for app_id in await _ids(db, Application.status.in_(RUNNING) & (Application.deficiency_deadline < today)):
        async with db.transaction() as session:
            app = await _locked(session, app_id)
            if (
                app is None
                or app.status not in RUNNING
                or not app.deficiencies
                or app.deficiency_deadline is None
                or app.deficiency_deadline >= today
            ):
                continue
            await revoke_acceptance(Ctx(session, None, now, settings), app)
            counts.deficiencies_revoked += 1
    for app_id in await _ids(db, (Application.status == "submitted") & (Application.notice_due_on < today)):
        async with db.transaction() as session:
            app = await _locked(session, app_id)
            if app is None or app.status != "submitted" or app.notice_due_on >= today:
                continue
            await deem_accepted(Ctx(session, None, now, settings), app)
            counts.deemed_accepted += 1
    return counts


async def _locked(session: AsyncSession, app_id: str) -> Application | None:
    return (
        await session.execute(select(Application).where(Application.id == app_id).with_for_update())
    ).scalar_one_or_none()


class SupervisionLoop:
    """Runs `scan`, the 催办/督办 pass, then correction expiry and the recount of provisional
    deadlines, every `supervision_scan_seconds` until stopped (each pass on its own: one failing
    does not stop the others)."""

    def __init__(
        self, db: Database, settings: Settings, clock: object, escalation: EscalationSettings | None = None
    ) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.escalation = escalation or EscalationSettings()
        self._task: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()

    async def start(self) -> None:
        """Start the loop."""
        self._task = asyncio.create_task(self._run(), name="intake-supervision")

    async def stop(self) -> None:
        """Stop after the current pass."""
        self._stop.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(self._task, timeout=10)

    async def _run(self) -> None:
        # Imported here: the escalation pass builds on this module (its RUNNING states, the lights).
        from ..escalation.scan import scan as escalation_scan
        from .expiry import expire_corrections, recount_provisional

        while not self._stop.is_set():
            try:
                await scan(self.db, self.settings, self.clock())  # type: ignore[operator]
            except Exception:
                log.exception("supervision scan failed; will retry")
            if self.escalation.escalation_enabled:
                try:
                    await escalation_scan(self.db, self.settings, self.escalation, self.clock())  # type: ignore[operator]
                except Exception:
                    log.exception("escalation pass failed; will retry")
            try:
                now = self.clock()  # type: ignore[operator]
                await expire_corrections(self.db, self.settings, now)
                await recount_provisional(self.db, self.settings, now)
            except Exception:
                log.exception("correction expiry / deadline recount failed; will retry")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=self.settings.supervision_scan_seconds)
