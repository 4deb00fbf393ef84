"""Handling: first contact (响应), reply (答复), extensions (延期), call-back (回访), reopening (重办),
closing. The unit that leads the ticket responds and replies; the hotline calls back and closes."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.orm import utcnow

from .. import errors
from ..config import Settings
from ..events import TicketCalledBack, TicketReopened, TicketReplied, TicketResponded
from ..lifecycles import TICKET
from ..models import Callback, Extension, Ticket
from ..repositories.tickets import TicketRepository
from ..schemas import TicketCallBack, TicketClose, TicketExtend, TicketReopen, TicketReply, TicketRespond
from .access import require
from .common import emit, event_fields, require_lead_unit, step
from .dispatch import dispatch_to
from .limits import add_limit, find_limit_rule
from .tickets import closed_event

CALLBACK_ROLES = frozenset({"hotline_agent", "supervisor"})
SATISFACTION_ZH = {"satisfied": "满意", "basically": "基本满意", "not": "不满意"}


async def respond(session: AsyncSession, ticket: Ticket, body: TicketRespond, actor: Principal) -> Ticket:
    """The lead unit records its first contact with the caller."""
    require_lead_unit(actor, ticket)
    await step(session, ticket, "respond", actor, note=body.note)
    now = utcnow()
    round_no = ticket.reopen_count + 1
    ticket.responded_at = now
    due = await TicketRepository(session).record_response(
        ticket.id, round_no, at=now, note=body.note, by=actor.subject
    )
    assert due is not None, "every dispatched round owes a response"
    unit_code, due_at = due
    await emit(
        session,
        TicketResponded(
            **event_fields(ticket),
            unit_code=unit_code,
            round=round_no,
            responded_at=now,
            response_due_at=due_at,
            on_time=now <= due_at,
        ),
    )
    return ticket


async def reply(session: AsyncSession, ticket: Ticket, body: TicketReply, actor: Principal) -> Ticket:
    """The lead unit replies with how the request was handled."""
    require_lead_unit(actor, ticket)
    await step(session, ticket, "reply", actor, note=body.reply)
    now = utcnow()
    ticket.reply = body.reply
    ticket.replied_at = now
    await emit(
        session,
        TicketReplied(
            **event_fields(ticket),
            unit_code=ticket.lead_unit_code or "",
            round=ticket.reopen_count + 1,
            replied_at=now,
            on_time=ticket.due_at is None or now <= ticket.due_at,
        ),
    )
    return ticket


async def extend(session: AsyncSession, ticket: Ticket, body: TicketExtend, actor: Principal) -> Ticket:
    """Extend the time limit with a recorded reason (the lead unit, or a dispatcher)."""
    if not (actor.is_staff and "dispatcher" in actor.roles):
        require_lead_unit(actor, ticket)
    if ticket.due_at is None:
        raise errors.no_time_limit(ticket.number)
    old = ticket.due_at
    new = await add_limit(session, old, body.amount, body.unit)
    await step(
        session,
        ticket,
        "extend",
        actor,
        note=body.reason,
        amount=body.amount,
        unit=body.unit,
        new_due_at=new.isoformat(),
    )
    ticket.due_at = new
    session.add(
        Extension(
            ticket_id=ticket.id,
            reason=body.reason,
            amount=body.amount,
            unit=body.unit,
            old_due_at=old,
            new_due_at=new,
            requested_by=actor.subject,
            unit_code=actor.org_unit,
        )
    )
    return ticket


async def call_back(session: AsyncSession, ticket: Ticket, body: TicketCallBack, actor: Principal) -> Ticket:
    """The hotline calls the caller back and records resolved and satisfaction."""
    require(actor, CALLBACK_ROLES, "登记回访结果", "Recording a call-back")
    await step(
        session,
        ticket,
        "call_back",
        actor,
        note=body.note,
        resolved=body.resolved,
        satisfaction=body.satisfaction,
    )
    now = utcnow()
    round_no = ticket.reopen_count + 1
    session.add(
        Callback(
            ticket_id=ticket.id,
            unit_code=ticket.lead_unit_code or "",
            round=round_no,
            resolved=body.resolved,
            satisfaction=body.satisfaction,
            note=body.note,
            called_by=actor.subject,
            called_at=now,
        )
    )
    await emit(
        session,
        TicketCalledBack(
            **event_fields(ticket),
            unit_code=ticket.lead_unit_code or "",
            round=round_no,
            resolved=body.resolved,
            satisfaction=body.satisfaction,
            called_back_at=now,
        ),
    )
    return ticket


async def reopen(
    session: AsyncSession, ticket: Ticket, body: TicketReopen, actor: Principal, *, settings: Settings
) -> Ticket:
    """Reopen (重办) an unresolved or unsatisfied ticket: a new round with the same lead unit."""
    require(actor, CALLBACK_ROLES | {"dispatcher"}, "重办工单", "Reopening a ticket")
    # The latest call-back's answers were read with the ticket.
    satisfaction = ticket.callback_satisfaction
    if (
        TICKET.can(ticket.status, "reopen")
        and satisfaction is not None
        and ticket.callback_resolved
        and satisfaction != "not"
    ):
        raise errors.not_reopenable(ticket.number, satisfaction, SATISFACTION_ZH.get(satisfaction))
    await step(session, ticket, "reopen", actor, note=body.reason)
    now = utcnow()
    ticket.reopen_count += 1
    ticket.responded_at = None
    ticket.replied_at = None
    ticket.reply = None  # the earlier reply stays in the history
    ticket.overdue_at = None
    rule = await find_limit_rule(session, ticket.time_limit_rule) if ticket.time_limit_rule else None
    if rule is not None:
        ticket.due_at = await add_limit(session, now, rule.amount, rule.unit)
    unit = ticket.lead_unit_code or settings.coordination_unit
    reopened = TicketReopened(
        **event_fields(ticket),
        unit_code=unit,
        round=ticket.reopen_count + 1,
        reason=body.reason,
        reopened_at=now,
    )
    return await dispatch_to(
        session,
        ticket,
        actor,
        settings=settings,
        unit=unit,
        co=list(ticket.co_unit_codes or []),
        mode="reopen",
        coordination=ticket.coordination,
        preceding=[reopened],
    )


async def close(session: AsyncSession, ticket: Ticket, body: TicketClose, actor: Principal) -> Ticket:
    """Close a called-back ticket."""
    require(actor, CALLBACK_ROLES, "办结工单", "Closing a ticket")
    await step(session, ticket, "close", actor, note=body.note)
    ticket.close_reason = "completed"
    ticket.close_note = body.note
    ticket.closed_at = utcnow()
    await closed_event(
        session, ticket, resolved=ticket.callback_resolved, satisfaction=ticket.callback_satisfaction
    )
    return ticket
