"""The 催办/督办 work lists: each person's, the board, a ticket's; acknowledging."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.errors import NotFound
from yiwang_shared.orm import utcnow
from yiwang_shared.pagination import PageParams

from .. import access
from ..access import is_handler, is_hotline_staff
from ..lifecycle import OPEN_STATUSES
from ..models import DispatchRecord, Ticket
from ..services.common import get_ticket
from . import errors
from .models import TicketEscalation, TicketEscalationRecipient
from .rule_admin import RULE_READERS


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


def _base() -> Select[Any, Any]:
    return select(TicketEscalation, Ticket).join(Ticket, Ticket.id == TicketEscalation.ticket_id)


async def _recipients(
    session: AsyncSession, ids: Sequence[str]
) -> dict[str, list[TicketEscalationRecipient]]:
    out: dict[str, list[TicketEscalationRecipient]] = {}
    if not ids:
        return out
    rows = await session.execute(
        select(TicketEscalationRecipient)
        .where(TicketEscalationRecipient.escalation_id.in_(list(ids)))
        .order_by(TicketEscalationRecipient.name, TicketEscalationRecipient.staff_id)
    )
    for r in rows.scalars():
        out.setdefault(r.escalation_id, []).append(r)
    return out


async def _page(
    session: AsyncSession, query: Select[Any, Any], page: PageParams
) -> tuple[list[EscalationLine], int]:
    total = int((await session.execute(select(func.count()).select_from(query.subquery()))).scalar_one())
    rows = (
        await session.execute(
            query.order_by(
                TicketEscalation.raised_at.desc(), TicketEscalation.level.desc(), TicketEscalation.id
            )
            .limit(page.limit)
            .offset(page.offset)
        )
    ).all()
    people = await _recipients(session, [e.id for e, _ in rows])
    return [EscalationLine(e, t, people.get(e.id, [])) for e, t in rows], total


def _visible(principal: Principal) -> ColumnElement[bool] | None:
    """Which tickets' escalations the caller sees on the board: None for all."""
    if is_hotline_staff(principal):
        return None
    if is_handler(principal):
        mine = select(DispatchRecord.ticket_id).where(DispatchRecord.unit_code == principal.org_unit)
        return Ticket.id.in_(mine)
    access.require(principal, RULE_READERS, "查看督办看板", "Reading the escalation board")
    return false()  # a handler without a unit: no unit's tickets


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
    query = (
        _base()
        .join(TicketEscalationRecipient, TicketEscalationRecipient.escalation_id == TicketEscalation.id)
        .where(TicketEscalationRecipient.staff_id == principal.subject)
    )
    if kind is not None:
        query = query.where(TicketEscalation.kind == kind)
    if acknowledged is not None:
        done = TicketEscalationRecipient.acknowledged_at.is_not(None)
        query = query.where(done if acknowledged else ~done)
    if open_only:
        query = query.where(Ticket.status.in_(OPEN_STATUSES))
    return await _page(session, query, page)


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
    query = _base()
    visible = _visible(principal)
    if visible is not None:
        query = query.where(visible)
    if kind is not None:
        query = query.where(TicketEscalation.kind == kind)
    if level is not None:
        query = query.where(TicketEscalation.level == level)
    if unit_code:
        query = query.where(TicketEscalation.unit_code == unit_code)
    return await _page(session, query, page)


async def of_ticket(
    session: AsyncSession, principal: Principal, ticket_id: str, page: PageParams
) -> tuple[list[EscalationLine], int]:
    """A ticket's reminders and escalations (staff who see the ticket; 404 otherwise)."""
    require_staff(principal)
    ticket = await get_ticket(session, ticket_id, principal)
    return await _page(session, _base().where(TicketEscalation.ticket_id == ticket.id), page)


async def get_line(session: AsyncSession, principal: Principal, escalation_id: str) -> EscalationLine:
    """One reminder or escalation: for the people it names and staff who see its ticket; else 404."""
    require_staff(principal)
    row = (await session.execute(_base().where(TicketEscalation.id == escalation_id))).first()
    if row is None:
        raise errors.escalation_not_found(escalation_id)
    escalation, ticket = row
    people = (await _recipients(session, [escalation.id])).get(escalation.id, [])
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
        raise errors.not_recipient(escalation_id)
    if me.acknowledged_at is None:
        me.acknowledged_at = utcnow()
        me.note = note
        await session.flush()
    return line
