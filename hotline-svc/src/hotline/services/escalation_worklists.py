"""The 催办/督办 work lists: each person's, the board, a ticket's; acknowledging."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.errors import NotFound
from yiwang_shared.orm import utcnow
from yiwang_shared.pagination import PageParams

from .. import errors
from ..models import Ticket, TicketEscalation, TicketEscalationRecipient
from ..repositories.escalations import TicketEscalationRepository
from . import access
from .access import is_handler, is_hotline_staff
from .common import get_ticket
from .escalation_rule_admin import RULE_READERS


@dataclass(frozen=True)
class EscalationLine:
    """A reminder or escalation with its ticket and the people it names."""

    escalation: TicketEscalation
    ticket: Ticket
    recipients: list[TicketEscalationRecipient]


def require_staff(principal: Principal) -> None:
    """Work lists are for staff: 403 for anyone else."""
    if not principal.is_staff:
        raise errors.staff_only()


async def _lines(session: AsyncSession, rows: list[tuple[TicketEscalation, Ticket]]) -> list[EscalationLine]:
    """The rows with the people each names."""
    people = await TicketEscalationRepository(session).recipients([e.id for e, _ in rows])
    return [EscalationLine(e, t, people.get(e.id, [])) for e, t in rows]


async def mine(
    session: AsyncSession,
    principal: Principal,
    *,
    kind: str | None,
    acknowledged: bool | None,
    open_only: bool,
    page: PageParams,
) -> tuple[list[EscalationLine], int]:
    """The reminders and escalations that name the caller, newest first."""
    require_staff(principal)
    repo = TicketEscalationRepository(session)
    if open_only:
        rows, total = await repo.page_open_naming(
            page, principal.subject, acknowledged=acknowledged, kind=kind
        )
    else:
        rows, total = await repo.page(page, recipient=principal.subject, acknowledged=acknowledged, kind=kind)
    return await _lines(session, rows), total


async def board(
    session: AsyncSession,
    principal: Principal,
    *,
    kind: str | None,
    level: int | None,
    unit_code: str | None,
    page: PageParams,
) -> tuple[list[EscalationLine], int]:
    """Reminders and escalations the caller may see: hotline staff all, a handler their unit's tickets'."""
    require_staff(principal)
    dispatched_to = None
    if not is_hotline_staff(principal):
        if not is_handler(principal):
            access.require(principal, RULE_READERS, "查看督办看板", "Reading the escalation board")
            return [], 0  # a handler without a unit: no unit's tickets
        dispatched_to = principal.org_unit
    rows, total = await TicketEscalationRepository(session).page(
        page, dispatched_to=dispatched_to, kind=kind, level=level, unit_code=unit_code
    )
    return await _lines(session, rows), total


async def of_ticket(
    session: AsyncSession, principal: Principal, ticket_id: str, page: PageParams
) -> tuple[list[EscalationLine], int]:
    """A ticket's reminders and escalations (staff who see the ticket; 404 otherwise)."""
    require_staff(principal)
    ticket = await get_ticket(session, ticket_id, principal)
    rows, total = await TicketEscalationRepository(session).page(page, ticket_id=ticket.id)
    return await _lines(session, rows), total


async def get_line(session: AsyncSession, principal: Principal, escalation_id: str) -> EscalationLine:
    """One reminder or escalation: for the people it names and staff who see its ticket; else 404."""
    require_staff(principal)
    repo = TicketEscalationRepository(session)
    found = await repo.find_with_ticket(escalation_id)
    if found is None:
        raise errors.escalation_not_found(escalation_id)
    escalation, ticket = found
    people = (await repo.recipients([escalation.id])).get(escalation.id, [])
    named = any(p.staff_id == principal.subject for p in people)
    if not named:
        try:
            await get_ticket(session, ticket.id, principal)
        except NotFound as exc:  # not the caller's to see: answer as if it did not exist
            raise errors.escalation_not_found(escalation_id) from exc
    return EscalationLine(escalation, ticket, people)


async def acknowledge(
    session: AsyncSession, principal: Principal, escalation_id: str, *, note: str | None
) -> EscalationLine:
    """The named person acknowledges it (已阅签收); again is a no-op that keeps the first time."""
    line = await get_line(session, principal, escalation_id)
    me = next((r for r in line.recipients if r.staff_id == principal.subject), None)
    if me is None:
        raise errors.not_escalation_recipient(escalation_id)
    if me.acknowledged_at is None:
        me.acknowledged_at = utcnow()
        me.note = note
        await session.flush()
    return line
