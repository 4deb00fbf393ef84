"""Electronic supervision (电子监察): green / yellow / red per open case, the supervisor's board,
and the background scan that flags overdue cases (once), revokes 容缺 acceptances whose
correction deadline passed, and deems accepted what got no notice in time. The background loop
then runs the 催办/督办 pass (`services.escalation_scan`): where an overdue case goes.

The scan is safe with several replicas: a case is flagged by a conditional UPDATE (… WHERE not
yet flagged) in the same transaction as its event, and state changes re-check the state on a
locked row, so two replicas never both act on one case.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import WorkingCalendar, local_date
from yiwang_shared.db import Database
from yiwang_shared.pagination import PageParams
from yiwang_shared.periodic import PeriodicTask, Step

from .. import events
from ..config import Settings
from ..models.applications import Application
from ..repositories.applications import ApplicationRepository, DueFilter
from ..repositories.handling import HandlingRepository
from . import access, deadlines, trace
from .acceptance import deem_accepted, revoke_acceptance
from .access import SYSTEM_ACTOR
from .escalation_settings import EscalationSettings
from .facts import publish
from .read_models import working_calendar

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


def yellow_until(calendar: WorkingCalendar, today: date, yellow_days: int) -> date:
    """The last due date still yellow today (≤ `yellow_days` working days left): a running case's
    light is red before today, yellow from today to this day, green after it."""
    day = today
    # Working days left grow with the due date, one calendar day at a time.
    while deadlines.remaining_working_days(calendar, today, day + timedelta(days=1)) <= yellow_days:
        day += timedelta(days=1)
    return day


def _due_filter(colour: str, today: date, last_yellow: date) -> DueFilter:
    """The due dates (of a case whose clock runs) that light `colour` today."""
    if colour == "red":
        return DueFilter(last=today - timedelta(days=1))
    if colour == "yellow":
        return DueFilter(first=today, last=last_yellow)
    return DueFilter(first=last_yellow + timedelta(days=1), undated=True)


async def board(
    session: AsyncSession,
    principal: Principal,
    *,
    unit_code: str | None,
    colour: str | None = None,
    now: datetime,
    settings: Settings,
    limit: int,
    offset: int,
) -> tuple[list[tuple[Application, Light, bool]], int]:
    """One page of the open cases the viewer may see (optionally one deciding unit's, one colour's),
    by due date, with their lights, and their total.

    A light follows from the due date, so a colour is a range of due dates read in SQL — except
    for paused cases, whose running pause moves their due date: those few are coloured here and
    picked by id."""
    viewer = await access.viewer_of(session, principal)
    applications = ApplicationRepository(session)
    calendar = await working_calendar(session)
    today = local_date(now)
    yellow_days = settings.yellow_working_days
    due: DueFilter | None = None
    if colour is not None:
        paused = await applications.paused_open_visible(viewer, owner_unit_code=unit_code)
        due = replace(
            _due_filter(colour, today, yellow_until(calendar, today, yellow_days)),
            besides=tuple(i for i, _, _, _ in paused),
            also=tuple(
                i
                for i, _, d, since in paused
                if light(calendar, today, d, yellow_days, since).colour == colour
            ),
        )
    page, total = await applications.page_open_visible(
        viewer, owner_unit_code=unit_code, due=due, page=PageParams(limit=limit, offset=offset)
    )
    since = await HandlingRepository(session).running_since([a.id for a in page if a.status == "suspended"])
    lines = [(a, light(calendar, today, a.due_on, yellow_days, since.get(a.id)), a.id in since) for a in page]
    return lines, total


@dataclass
class LightCounts:
    """How many open cases show each light; `paused` of them are in a special procedure."""

    green: int = 0
    yellow: int = 0
    red: int = 0
    paused: int = 0

    @property
    def open(self) -> int:
        """Every open case counted."""
        return self.green + self.yellow + self.red

    def add(self, colour: str, n: int = 1) -> None:
        """Count `n` more cases of `colour`."""
        setattr(self, colour, getattr(self, colour) + n)


async def summary(
    session: AsyncSession,
    principal: Principal,
    *,
    unit_code: str | None,
    now: datetime,
    settings: Settings,
) -> tuple[dict[str, LightCounts], LightCounts]:
    """The board's counts: per deciding unit and in all, the open cases the viewer may see (one
    unit's, if given) per light — the very lights the board lists (`board`, `light`).

    The running cases are counted in SQL by due-date range (`_due_filter`, as the board's colour
    filter); the paused ones, whose pause moves their due date, are coloured here one by one."""
    viewer = await access.viewer_of(session, principal)
    applications = ApplicationRepository(session)
    calendar = await working_calendar(session)
    today = local_date(now)
    yellow_days = settings.yellow_working_days
    last_yellow = yellow_until(calendar, today, yellow_days)
    paused = await applications.paused_open_visible(viewer, owner_unit_code=unit_code)
    units: dict[str, LightCounts] = {}
    for unit, colour, n in await applications.open_lights(
        viewer,
        owner_unit_code=unit_code,
        colours=[(c, _due_filter(c, today, last_yellow)) for c in ("red", "yellow")],
        otherwise="green",
        besides=[i for i, _, _, _ in paused],
    ):
        units.setdefault(unit, LightCounts()).add(colour, n)
    for _, unit, due, since in paused:
        counts = units.setdefault(unit, LightCounts())
        counts.add(light(calendar, today, due, yellow_days, since).colour)
        counts.paused += 1
    totals = LightCounts()
    for counts in units.values():
        for field in ("green", "yellow", "red", "paused"):
            totals.add(field, getattr(counts, field))
    return dict(sorted(units.items())), totals


@dataclass
class ScanCounts:
    """What one scan did."""

    overdue_flagged: int = 0
    deficiencies_revoked: int = 0
    deemed_accepted: int = 0


async def _flag_overdue(db: Database, now: datetime) -> int:
    """Flag every running case past its due date, once; how many this pass flagged."""
    today = local_date(now)
    async with db.transaction(write=False) as session:
        candidates = await ApplicationRepository(session).ids_overdue_unflagged(RUNNING, today)
    flagged = 0
    for application_id in candidates:
        async with db.transaction() as session:
            applications = ApplicationRepository(session)
            if not await applications.flag_overdue(application_id, RUNNING, today, now):
                continue  # another replica got there first, or the case moved on
            application = await applications.find(application_id, refresh=True)
            assert application is not None
            trace.append(
                session,
                application,
                action="overdue",
                actor=SYSTEM_ACTOR,
                at=now,
                data={"due_on": application.due_on.isoformat() if application.due_on else None},
            )
            await publish(
                session,
                application,
                events.ApplicationOverdue,
                None,
                detected_at=now,
                status=application.status,
            )
            flagged += 1
    return flagged


async def _revoke_lapsed_deficiencies(db: Database, now: datetime) -> int:
    """Revoke the 容缺 acceptances whose correction deadline passed; how many."""
    today = local_date(now)
    async with db.transaction(write=False) as session:
        candidates = await ApplicationRepository(session).ids_deficiencies_lapsed(RUNNING, today)
    revoked = 0
    for application_id in candidates:
        async with db.transaction() as session:
            application = await ApplicationRepository(session).lock(application_id)
            if (
                application is None
                or application.status not in RUNNING
                or not application.deficiencies
                or application.deficiency_deadline is None
                or application.deficiency_deadline >= today
            ):
                continue
            await revoke_acceptance(session, application, None, now=now)
            revoked += 1
    return revoked


async def _deem_unanswered_accepted(db: Database, now: datetime) -> int:
    """Deem accepted what got no one-time notice within its window; how many."""
    today = local_date(now)
    async with db.transaction(write=False) as session:
        candidates = await ApplicationRepository(session).ids_notice_window_passed(today)
    deemed = 0
    for application_id in candidates:
        async with db.transaction() as session:
            application = await ApplicationRepository(session).lock(application_id)
            if application is None or application.status != "submitted" or application.notice_due_on >= today:
                continue
            await deem_accepted(session, application, None, now=now)
            deemed += 1
    return deemed


async def scan(db: Database, settings: Settings, now: datetime) -> ScanCounts:
    """One pass over every open case; each case is handled in its own transaction."""
    return ScanCounts(
        overdue_flagged=await _flag_overdue(db, now),
        deficiencies_revoked=await _revoke_lapsed_deficiencies(db, now),
        deemed_accepted=await _deem_unanswered_accepted(db, now),
    )


def supervision_task(
    db: Database,
    settings: Settings,
    clock: Callable[[], datetime],
    escalation: EscalationSettings | None = None,
) -> PeriodicTask:
    """`scan`, the 催办/督办 pass, then correction expiry and the recount of provisional deadlines,
    every `supervision_scan_seconds` (0: off); each step on its own: one failing does not stop the
    others."""
    # Imported here: the escalation pass builds on this module (its RUNNING states, the lights).
    from .escalation_scan import scan as escalation_scan
    from .expiry import expire_corrections, recount_provisional

    escalation = escalation or EscalationSettings()

    async def supervision_scan() -> None:
        await scan(db, settings, clock())

    async def escalation_pass() -> None:
        await escalation_scan(db, settings, escalation, clock())

    async def correction_expiry_and_recount() -> None:
        now = clock()
        await expire_corrections(db, settings, now)
        await recount_provisional(db, settings, now)

    steps: list[Step] = [supervision_scan]
    if escalation.escalation_enabled:
        steps.append(escalation_pass)
    steps.append(correction_expiry_and_recount)
    return PeriodicTask("intake-supervision", *steps, seconds=settings.supervision_scan_seconds, log=log)
