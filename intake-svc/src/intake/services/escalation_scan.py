"""Raising 催办 reminders and 督办 escalations on running cases.

The pass is safe with several replicas: each case is handled in its own transaction on its locked
row (PostgreSQL: `FOR UPDATE`; SQLite: one writer at a time), reads what was already raised for
its due date, and writes what is due with its trace entry and its event (outbox) in that same
transaction; a unique (case, kind, cycle) constraint backs this up. So each reminder and each
escalation is raised, traced and published once however many replicas scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.calendar import WorkingCalendar, local_date
from yiwang_shared.db import Database

from .. import events
from ..config import Settings
from ..models.applications import Application
from ..models.escalation import CaseEscalation, EscalationRecipient
from ..repositories.escalations import EscalationRepository
from . import escalation_recipients as recipients
from . import trace
from .access import SYSTEM_ACTOR
from .escalation_recipients import Named
from .escalation_rules import Due, cycle_of, due_now
from .escalation_settings import EscalationSettings
from .facts import case_facts
from .orgs import find_unit
from .read_models import working_calendar
from .supervision import RUNNING


@dataclass
class EscalationCounts:
    """What one pass raised."""

    reminded: int = 0
    escalated_to_unit: int = 0
    escalated_to_district: int = 0


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


async def _unit_name(session: AsyncSession, code: str) -> str:
    unit = await find_unit(session, code)
    return unit.name if unit is not None else code


async def _message(session: AsyncSession, app: Application, due: Due, named: Named, office: str) -> str:
    """The 催办/督办 text, as a supervision office writes it."""
    assert app.due_on is not None
    case = f"办件 {app.application_no}（{app.item_name}）"
    if due.kind == "reminder":
        when = (
            "今日到期"
            if due.working_days == 0
            else f"将于{_day(app.due_on)}到期，剩余{due.working_days}个工作日"
        )
        return f"【催办】{case}{when}，请抓紧办理，确保按期办结。"
    late = f"已超过承诺办结期限（{_day(app.due_on)}），超期{due.working_days}个工作日"
    owner = await _unit_name(session, app.owner_unit_code)
    if due.kind == "unit_supervisor":
        text = f"【督办】{case}{late}，请督促{owner}承办人员立即办理，并说明超期原因。"
        if named.fallback:
            text += f"{owner}及其上级单位未设督办人员，由{await _unit_name(session, office)}督办。"
        return text
    return (
        f"【督办】{case}{late}，经{owner}督办后仍未办结，现提请{await _unit_name(session, office)}督办，"
        "请责成承办单位限期办结并报告结果。"
    )


async def _named(session: AsyncSession, app: Application, due: Due, settings: EscalationSettings) -> Named:
    if due.kind == "reminder":
        return await recipients.handlers(session, app)
    if due.kind == "unit_supervisor":
        return await recipients.unit_supervisors(session, app, settings)
    return await recipients.district_office(session, settings)


async def _record(
    session: AsyncSession, app: Application, due: Due, named: Named, office: str, *, now: datetime
) -> CaseEscalation:
    """The reminder or escalation row and the people it names."""
    assert app.due_on is not None
    row = CaseEscalation(
        application_id=app.id,
        kind=due.kind,
        level=due.level,
        cycle=cycle_of(app.due_on),
        due_on=app.due_on,
        unit_code=named.unit_code,
        working_days=due.working_days,
        fallback=named.fallback,
        message=await _message(session, app, due, named, office),
        raised_at=now,
    )
    session.add(row)
    await session.flush()
    for person in named.people:
        session.add(
            EscalationRecipient(
                escalation_id=row.id,
                staff_id=person.staff_id,
                name=person.name,
                org_unit_code=person.org_unit_code,
                role=person.role,
            )
        )
    return row


def _payload(
    app: Application, due: Due, named: Named, row: CaseEscalation, *, now: datetime
) -> events.ApplicationReminded | events.ApplicationEscalated:
    """The reminded or escalated event of a raised row (the system raises it: no staff acts)."""
    people = [events.NamedStaff.model_validate(p, from_attributes=True) for p in named.people]
    facts = case_facts(app, None)
    if due.kind == "reminder":
        return events.ApplicationReminded(
            **facts,
            reminder_id=row.id,
            unit_code=named.unit_code,
            remaining_working_days=due.working_days,
            recipients=people,
            message=row.message,
            status=app.status,
            reminded_at=now,
        )
    return events.ApplicationEscalated(
        **facts,
        escalation_id=row.id,
        level=due.level,
        target=due.kind,
        unit_code=named.unit_code,
        fallback=named.fallback,
        overdue_working_days=due.working_days,
        recipients=people,
        message=row.message,
        status=app.status,
        escalated_at=now,
    )


async def _raise(
    session: AsyncSession, app: Application, due: Due, settings: EscalationSettings, *, now: datetime
) -> CaseEscalation:
    """Record one reminder or escalation on the (locked) case: rows, trace entry and event."""
    assert app.due_on is not None
    named = await _named(session, app, due, settings)
    row = await _record(session, app, due, named, settings.supervision_office_unit, now=now)
    trace.append(
        session,
        app,
        action="reminded" if due.kind == "reminder" else "escalated",
        actor=SYSTEM_ACTOR,
        at=now,
        data={
            "kind": due.kind,
            "level": due.level,
            "due_on": app.due_on.isoformat(),
            "unit_code": named.unit_code,
            "recipients": [p.staff_id for p in named.people],
        },
    )
    await events.publish(session, _payload(app, due, named, row, now=now))
    return row


def _horizon(calendar: WorkingCalendar, today: date, settings: EscalationSettings) -> date:
    """Cases due before this day are close to or past their due date."""
    return calendar.add_working_days(today, settings.reminder_working_days + 1)


async def _raise_due(
    session: AsyncSession,
    app: Application,
    calendar: WorkingCalendar,
    escalation: EscalationSettings,
    counts: EscalationCounts,
    *,
    now: datetime,
) -> None:
    """Raise what is due on the (locked) case and not yet raised for its due date."""
    assert app.due_on is not None
    earlier = await EscalationRepository(session).of_cycle(app.id, cycle_of(app.due_on))
    raised = {e.kind: e for e in earlier}
    unit = raised.get("unit_supervisor")
    for due in due_now(
        calendar,
        local_date(now),
        app.due_on,
        escalation,
        raised=set(raised),
        unit_escalated_on=local_date(unit.raised_at) if unit else None,
    ):
        await _raise(session, app, due, escalation, now=now)
        if due.kind == "reminder":
            counts.reminded += 1
        elif due.kind == "unit_supervisor":
            counts.escalated_to_unit += 1
        else:
            counts.escalated_to_district += 1


async def scan(
    db: Database, settings: Settings, escalation: EscalationSettings, now: datetime
) -> EscalationCounts:
    """One pass over running cases near or past their due date; each case in its own transaction."""
    today = local_date(now)
    counts = EscalationCounts()
    async with db.transaction(write=False) as session:
        calendar = await working_calendar(session)
        ids = await EscalationRepository(session).candidate_ids(
            RUNNING, _horizon(calendar, today, escalation), today=today
        )
    for app_id in ids:
        async with db.transaction() as session:
            app = await EscalationRepository(session).lock_case(app_id)
            if app is None or app.status not in RUNNING or app.due_on is None:
                continue  # the case moved on since the candidates were read
            await _raise_due(session, app, calendar, escalation, counts, now=now)
    return counts
