"""Raising 催办 reminders and 督办 escalations on open tickets by the escalation rules.

The pass is safe with several replicas: it reads the open tickets and what was already raised in
one read, and only for a ticket with something due opens a write transaction in which it locks the
ticket (PostgreSQL: `FOR UPDATE`; SQLite: one writer at a time), re-reads what was raised for that
rule, round and deadline, and writes what is due with its history entry and its event (outbox); a
unique (ticket, rule, cycle) constraint backs this up. So each reminder and escalation is raised,
recorded and published once however many replicas scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.calendar import SHANGHAI
from yiwang_shared.db import Database
from yiwang_shared.orm import utcnow

from ..config import Settings
from ..events import NamedStaff, TicketEscalated, TicketReminded
from ..lifecycles import OPEN_STATUSES
from ..models import EscalationRule, Ticket, TicketEscalation, TicketEscalationRecipient
from ..repositories.escalations import EscalationRuleRepository, TicketEscalationRepository
from ..repositories.tickets import TicketRepository
from . import escalation_recipients as recipients
from .common import emit, event_fields, record
from .escalation_recipients import Named
from .escalation_rules import RuleSpec, TicketClock, TicketState, due, level_of
from .orgs import find_unit

#: Who runs the pass on demand.
SCANNERS = frozenset({"supervisor"})


@dataclass
class EscalationCounts:
    """What one pass raised."""

    reminded: int = 0
    escalated: int = 0


def spec(rule: EscalationRule) -> RuleSpec:
    """What the pure rules read of a stored rule."""
    return RuleSpec(
        kind=rule.kind,
        basis=rule.basis,
        statuses=tuple(rule.statuses),
        after_share=rule.after_share,
        plus_hours=rule.plus_hours,
        target=rule.target,
        request_type=rule.request_type,
        category_code=rule.category_code,
        active=rule.active,
    )


async def _round_started(session: AsyncSession, ticket: Ticket) -> datetime:
    """When the ticket's current round began: registration, or its latest reopening (重办)."""
    if ticket.reopen_count == 0:
        return ticket.created_at
    reopened = await TicketRepository(session).last_reopened_at(ticket.id)
    return reopened or ticket.created_at


async def state_of(session: AsyncSession, ticket: Ticket) -> TicketState:
    """What the rules read of a ticket."""
    return TicketState(
        status=ticket.status,
        request_type=ticket.request_type,
        category_code=ticket.category_code,
        round=ticket.reopen_count + 1,
        created_at=ticket.created_at,
        round_started_at=await _round_started(session, ticket),
        dispatched_at=ticket.dispatched_at,
        response_due_at=ticket.response_due_at,
        responded_at=ticket.responded_at,
        due_at=ticket.due_at,
        replied_at=ticket.replied_at,
    )


def _when(at: datetime) -> str:
    local = at.astimezone(SHANGHAI)
    return f"{local.year}年{local.month}月{local.day}日{local:%H:%M}"


def _late(now: datetime, deadline: datetime) -> str:
    hours = int((now - deadline).total_seconds() // 3600)
    return f"{hours // 24}天" if hours >= 48 else f"{max(hours, 1)}小时"


async def _unit_name(session: AsyncSession, code: str | None) -> str:
    unit = await find_unit(session, code) if code else None
    return unit.name if unit is not None else (code or "承办单位")


async def _message(
    session: AsyncSession,
    rule: EscalationRule,
    ticket: Ticket,
    running: TicketClock,
    named: Named,
    now: datetime,
) -> str:
    """The 催办/督办 text, as the hotline's supervision desk writes it."""
    limit = "首次联系时限" if running.basis == "response" else "办理时限"
    step = "联系诉求人" if running.basis == "response" else "办理并答复"
    case = f"工单 {ticket.number}（{ticket.title}）"
    if now <= running.deadline:
        state = f"{limit}将于{_when(running.deadline)}到期"
    else:
        state = f"已超过{limit}（{_when(running.deadline)}）{_late(now, running.deadline)}"
    if rule.kind == "reminder":
        return f"【催办】{case}{state}，请抓紧{step}。"
    lead = await _unit_name(session, ticket.lead_unit_code)
    text = f"【督办】{case}{state}，{lead}尚未{step}。根据“{rule.name}”规则提请"
    text += f"{await _unit_name(session, named.unit_code)}督办，请督促限时办结。"
    if named.fallback:
        text += "原定督办对象无在岗人员，改由区级督办。"
    return text


def _recipients(row: TicketEscalation, named: Named, ticket: Ticket) -> list[TicketEscalationRecipient]:
    """The rows naming each person: with the escalation's time and whether its ticket is open (a
    person's open work list is read from these alone)."""
    return [
        TicketEscalationRecipient(
            escalation_id=row.id,
            staff_id=person.staff_id,
            name=person.name,
            org_unit_code=person.org_unit_code,
            role=person.role,
            raised_at=row.raised_at,
            ticket_open=ticket.status in OPEN_STATUSES,
        )
        for person in named.people
    ]


async def _raise(
    session: AsyncSession,
    rule: EscalationRule,
    ticket: Ticket,
    running: TicketClock,
    settings: Settings,
    now: datetime,
) -> TicketEscalation:
    """Record one reminder or escalation on the (locked) ticket: rows, history entry and event."""
    named = await recipients.named_by(session, rule, ticket, settings)
    level = level_of(rule.kind, rule.target)
    row = TicketEscalation(
        ticket_id=ticket.id,
        rule_id=rule.id,
        rule_name=rule.name,
        kind=rule.kind,
        level=level,
        target=rule.target,
        basis=running.basis,
        round=running.round,
        cycle=running.cycle,
        due_at=running.deadline,
        unit_code=named.unit_code,
        fallback=named.fallback,
        message=await _message(session, rule, ticket, running, named, now),
        raised_at=now,
    )
    session.add(row)
    await session.flush()
    session.add_all(_recipients(row, named, ticket))
    record(
        session,
        ticket,
        "remind" if rule.kind == "reminder" else "escalate",
        "system",
        from_status=ticket.status,
        note=row.message,
        rule_id=rule.id,
        level=level,
        unit_code=named.unit_code,
        recipients=[p.staff_id for p in named.people],
    )
    people = [NamedStaff.model_validate(p, from_attributes=True) for p in named.people]
    common: dict[str, Any] = {
        **event_fields(ticket),
        "rule_id": rule.id,
        "rule_name": rule.name,
        "basis": running.basis,
        "round": running.round,
        "deadline": running.deadline,
        "unit_code": named.unit_code,
        "recipients": people,
        "message": row.message,
        "status": ticket.status,
    }
    if rule.kind == "reminder":
        await emit(session, TicketReminded(**common, reminder_id=row.id, reminded_at=now))
    else:
        await emit(
            session,
            TicketEscalated(
                **common,
                escalation_id=row.id,
                level=level,
                target=rule.target,  # type: ignore[arg-type]
                fallback=named.fallback,
                escalated_at=now,
            ),
        )
    return row


def _state(row: Any, reopened: dict[str, datetime]) -> TicketState:
    """What the rules read of a ticket, from its clock columns and when it was last reopened."""
    return TicketState(
        status=row.status,
        request_type=row.request_type,
        category_code=row.category_code,
        round=row.reopen_count + 1,
        created_at=row.created_at,
        round_started_at=reopened.get(row.id, row.created_at) if row.reopen_count else row.created_at,
        dispatched_at=row.dispatched_at,
        response_due_at=row.response_due_at,
        responded_at=row.responded_at,
        due_at=row.due_at,
        replied_at=row.replied_at,
    )


async def _due_pairs(session: AsyncSession, now: datetime) -> list[tuple[str, str]]:
    """(ticket id, rule id) pairs due now and not yet raised, read in one pass (columns only: the
    pass runs every few seconds over every open ticket)."""
    rules = await EscalationRuleRepository(session).active()
    if not rules:
        return []
    watched = sorted({s for r in rules for s in r.statuses} & OPEN_STATUSES)
    tickets = TicketRepository(session)
    rows = await tickets.clock_rows(watched)
    raised = await TicketEscalationRepository(session).raised_on(watched)
    reopened = await tickets.last_reopenings(watched)
    specs = [(rule.id, spec(rule)) for rule in rules]
    pairs = []
    for row in rows:
        state = _state(row, reopened)
        for rule_id, rule in specs:
            running = due(rule, state, now)
            if running is not None and (row.id, rule_id, running.cycle) not in raised:
                pairs.append((row.id, rule_id))
    return pairs


async def scan(db: Database, settings: Settings, now: datetime | None = None) -> EscalationCounts:
    """One pass over open tickets: every rule due and not yet raised is raised, once."""
    now = now or utcnow()
    counts = EscalationCounts()
    async with db.transaction(write=False) as session:
        pairs = await _due_pairs(session, now)
    for ticket_id, rule_id in pairs:
        async with db.transaction() as session:
            ticket = await TicketRepository(session).find(ticket_id, lock=True)
            rule = await EscalationRuleRepository(session).find(rule_id)
            if ticket is None or rule is None:
                continue
            running = due(spec(rule), await state_of(session, ticket), now)
            if running is None:
                continue  # the ticket moved on since the pass read it
            if await TicketEscalationRepository(session).count_raised(ticket.id, rule.id, running.cycle):
                continue  # another replica raised it
            await _raise(session, rule, ticket, running, settings, now)
            if rule.kind == "reminder":
                counts.reminded += 1
            else:
                counts.escalated += 1
    return counts
