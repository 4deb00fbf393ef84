"""What every ticket service needs: history records, event envelopes, the visible-ticket lookup."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.events.payloads import EventPayload
from yiwang_shared.lifecycle import TransitionRefused
from yiwang_shared.orm import utcnow

from .. import errors
from ..events import publish_all
from ..lifecycles import TICKET
from ..models import Ticket, TicketHistory
from ..repositories.tickets import TicketRepository
from .access import is_handler, is_hotline_staff


def event_fields(ticket: Ticket) -> dict[str, Any]:
    """The fields every ticket event carries."""
    return {
        "ticket_id": ticket.id,
        "number": ticket.number,
        "request_type": ticket.request_type,
        "channel": ticket.channel,
        "category_code": ticket.category_code,
        "street_code": ticket.street_code,
        "community_code": ticket.community_code,
        "lead_unit_code": ticket.lead_unit_code,
        "first_unit_code": ticket.first_unit_code,
        "citizen_subject": ticket.citizen_subject,
    }


async def emit(session: AsyncSession, *payloads: EventPayload) -> None:
    """Write a step's events to the outbox in the request's transaction (one statement for all)."""
    await publish_all(session, payloads)


def record(
    session: AsyncSession,
    ticket: Ticket,
    action: str,
    actor: Principal | str,
    *,
    from_status: str | None,
    note: str | None = None,
    **data: Any,
) -> None:
    """Append one action to the ticket's history (never altered)."""
    subject = actor if isinstance(actor, str) else actor.subject
    unit = None if isinstance(actor, str) else actor.org_unit
    session.add(
        TicketHistory(
            ticket_id=ticket.id,
            action=action,
            from_status=from_status,
            to_status=ticket.status,
            actor=subject,
            actor_unit=unit,
            note=note,
            data=data,
            at=utcnow(),
        )
    )


def transition(ticket: Ticket, action: str) -> tuple[str, str]:
    """Apply `action` to the ticket's status as the lifecycle says; (old, new). 409 if not allowed."""
    old = ticket.status
    try:
        ticket.status = TICKET.target(old, action)
    except TransitionRefused as refused:
        raise errors.invalid_transition(ticket.number, old, action, refused.allowed) from None
    return old, ticket.status


async def step(
    session: AsyncSession,
    ticket: Ticket,
    action: str,
    actor: Principal | str,
    *,
    note: str | None = None,
    **data: Any,
) -> None:
    """Apply a lifecycle transition and record it."""
    old, _ = transition(ticket, action)
    ticket.updated_at = utcnow()
    record(session, ticket, action, actor, from_status=old, note=note, **data)


async def may_see(session: AsyncSession, principal: Principal, ticket: Ticket) -> bool:
    """Hotline staff see all; a citizen their own; a unit the tickets dispatched to it."""
    if is_hotline_staff(principal):
        return True
    if not principal.is_staff:
        return ticket.citizen_subject == principal.subject
    if is_handler(principal):
        _, _, dispatches = await TicketRepository(session).children(ticket)
        return any(d.unit_code == principal.org_unit for d in dispatches)
    return False


async def get_ticket(
    session: AsyncSession, ticket_id: str, principal: Principal, *, lock: bool = False
) -> Ticket:
    """The ticket if the caller may see it; 404 otherwise (as if it did not exist)."""
    ticket = await TicketRepository(session).find(ticket_id, lock=lock)
    if ticket is None or not await may_see(session, principal, ticket):
        raise errors.ticket_not_found(ticket_id)
    return ticket


def require_lead_unit(principal: Principal, ticket: Ticket) -> None:
    """Handlers act only on tickets their unit leads (administrators always)."""
    if principal.is_admin:
        return
    if not is_handler(principal) or principal.org_unit != ticket.lead_unit_code:
        raise errors.not_your_ticket(ticket.number, ticket.lead_unit_code)
