"""Queries on tickets and what hangs off them: contacts, attachments, dispatch records, history,
response obligations, call-backs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.pagination import PageParams

from ..models import (
    Callback,
    DispatchRecord,
    ResponseDue,
    Ticket,
    TicketAttachment,
    TicketContact,
    TicketHistory,
)
from .paging import fetch_page


def _matching(q: str, *, whole_phone: bool) -> ColumnElement[bool]:
    """Tickets whose number starts with `q`, whose title, description or address holds it, or (for
    the hotline, which sees phones whole) whose caller's phone is `q`."""
    text = q.strip()
    found = [
        Ticket.number.startswith(text, autoescape=True),
        Ticket.title.contains(text, autoescape=True),
        Ticket.description.contains(text, autoescape=True),
        Ticket.address.contains(text, autoescape=True),
    ]
    if whole_phone:
        found.append(Ticket.caller_phone == text)
    return or_(*found)


class TicketRepository:
    """Tickets in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, ticket_id: str, *, lock: bool = False) -> Ticket | None:
        """The ticket `ticket_id`, or None; `lock` takes a row lock where the database has them."""
        query = select(Ticket).where(Ticket.id == ticket_id)
        if lock and self.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def get(self, ticket_id: str) -> Ticket | None:
        """The ticket `ticket_id` from the session's identity map or the database, or None."""
        return await self.session.get(Ticket, ticket_id)

    async def find_by_token(self, token: str) -> Ticket | None:
        """The ticket an Open311 token became, or None."""
        query = select(Ticket).where(Ticket.token == token)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def refresh(self, ticket: Ticket) -> None:
        """Reload the ticket's columns (after an UPDATE statement changed its row)."""
        await self.session.refresh(ticket)

    async def dispatched_to(self, ticket_id: str, unit_code: str | None) -> bool:
        """True when the ticket was ever dispatched to `unit_code`."""
        query = select(
            exists().where(DispatchRecord.ticket_id == ticket_id, DispatchRecord.unit_code == unit_code)
        )
        return bool(await self.session.scalar(query))

    async def search(
        self,
        *,
        citizen: str | None = None,
        dispatched_to: str | None = None,
        status: str | None = None,
        unit: str | None = None,
        request_type: str | None = None,
        overdue: bool | None = None,
        q: str | None = None,
        whole_phone: bool = False,
        page: PageParams,
    ) -> tuple[list[Ticket], int]:
        """A page of tickets, newest first, and how many match: of one citizen and/or dispatched
        to one unit; in a status, led or first received by `unit`, of a request type, overdue or
        not, and matching `q`."""
        query = select(Ticket)
        if citizen is not None:
            query = query.where(Ticket.citizen_subject == citizen)
        if dispatched_to is not None:
            mine = select(DispatchRecord.ticket_id).where(DispatchRecord.unit_code == dispatched_to)
            query = query.where(Ticket.id.in_(mine))
        if status:
            query = query.where(Ticket.status == status)
        if unit:
            query = query.where(or_(Ticket.lead_unit_code == unit, Ticket.first_unit_code == unit))
        if request_type:
            query = query.where(Ticket.request_type == request_type)
        if overdue is not None:
            query = query.where(Ticket.overdue_at.is_not(None) if overdue else Ticket.overdue_at.is_(None))
        if q:
            query = query.where(_matching(q, whole_phone=whole_phone))
        return await fetch_page(self.session, query.order_by(Ticket.created_at.desc(), Ticket.id), page)

    async def contacts(self, ticket_id: str) -> list[TicketContact]:
        """The callers kept informed of the ticket, in the order they were added."""
        query = (
            select(TicketContact)
            .where(TicketContact.ticket_id == ticket_id)
            .order_by(TicketContact.created_at)
        )
        return list((await self.session.execute(query)).scalars())

    async def contacts_unordered(self, ticket_id: str) -> list[TicketContact]:
        """The callers kept informed of the ticket, in no particular order."""
        query = select(TicketContact).where(TicketContact.ticket_id == ticket_id)
        return list((await self.session.execute(query)).scalars())

    async def attachments(self, ticket_id: str) -> list[TicketAttachment]:
        """The files attached to the ticket."""
        query = select(TicketAttachment).where(TicketAttachment.ticket_id == ticket_id)
        return list((await self.session.execute(query)).scalars())

    async def dispatch_records(self, ticket_id: str) -> list[DispatchRecord]:
        """Every dispatch of the ticket, oldest first."""
        query = (
            select(DispatchRecord)
            .where(DispatchRecord.ticket_id == ticket_id)
            .order_by(DispatchRecord.dispatched_at)
        )
        return list((await self.session.execute(query)).scalars())

    async def open_lead_dispatch(self, ticket_id: str, unit_code: str | None) -> DispatchRecord | None:
        """The latest dispatch of the ticket to `unit_code` as lead that was not returned, or None."""
        query = (
            select(DispatchRecord)
            .where(
                DispatchRecord.ticket_id == ticket_id,
                DispatchRecord.unit_code == unit_code,
                DispatchRecord.role == "lead",
                DispatchRecord.returned_at.is_(None),
            )
            .order_by(DispatchRecord.dispatched_at.desc())
            .limit(1)
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def history_page(self, ticket_id: str, page: PageParams) -> tuple[list[TicketHistory], int]:
        """A page of the ticket's recorded actions, oldest first, and how many there are."""
        query = (
            select(TicketHistory)
            .where(TicketHistory.ticket_id == ticket_id)
            .order_by(TicketHistory.at, TicketHistory.id)
        )
        return await fetch_page(self.session, query, page)

    async def last_actor_in_unit(self, ticket_id: str, unit_code: str, *, besides: str) -> str | None:
        """Who of `unit_code` (other than `besides`) last acted on the ticket, or None."""
        query = (
            select(TicketHistory.actor)
            .where(
                TicketHistory.ticket_id == ticket_id,
                TicketHistory.actor_unit == unit_code,
                TicketHistory.actor != besides,
            )
            .order_by(TicketHistory.at.desc())
            .limit(1)
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def last_reopened_at(self, ticket_id: str) -> datetime | None:
        """When the ticket was last reopened (重办), or None."""
        query = select(func.max(TicketHistory.at)).where(
            TicketHistory.ticket_id == ticket_id, TicketHistory.action == "reopen"
        )
        return await self.session.scalar(query)

    async def merged_ids(self, ticket_id: str) -> list[str]:
        """The ids of the tickets merged into `ticket_id`."""
        query = select(Ticket.id).where(Ticket.merged_into_id == ticket_id)
        return list((await self.session.execute(query)).scalars())

    async def merged_into(self, ticket_id: str) -> list[Ticket]:
        """The tickets merged into `ticket_id`."""
        query = select(Ticket).where(Ticket.merged_into_id == ticket_id)
        return list((await self.session.execute(query)).scalars())

    async def response_due(self, ticket_id: str, round_no: int) -> ResponseDue | None:
        """The response obligation of the ticket's round `round_no`, or None."""
        query = select(ResponseDue).where(ResponseDue.ticket_id == ticket_id, ResponseDue.round == round_no)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def last_callback(self, ticket_id: str) -> Callback | None:
        """The ticket's latest call-back, or None."""
        query = (
            select(Callback)
            .where(Callback.ticket_id == ticket_id)
            .order_by(Callback.round.desc(), Callback.called_at.desc())
            .limit(1)
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def sharing_traits(
        self,
        ticket: Ticket,
        traits: Sequence[tuple[str, Any]],
        *,
        finished: Sequence[str],
        since: datetime,
        until: datetime,
        limit: int,
    ) -> list[Ticket]:
        """Other unfinished tickets created in [since, until] sharing one of `traits` (column name,
        value) with `ticket`, newest first, at most `limit`."""
        shared = [getattr(Ticket, column) == value for column, value in traits]
        query = (
            select(Ticket)
            .where(
                Ticket.id != ticket.id,
                Ticket.status.not_in(finished),
                Ticket.created_at >= since,
                Ticket.created_at <= until,
                or_(*shared),
            )
            .order_by(Ticket.created_at.desc(), Ticket.id)
            .limit(limit)
        )
        return list((await self.session.execute(query)).scalars())

    async def past_due_unflagged(self, statuses: Sequence[str], now: datetime, *, limit: int) -> list[str]:
        """Ids of tickets in `statuses` past their due time and not yet flagged overdue."""
        query = (
            select(Ticket.id)
            .where(
                Ticket.status.in_(statuses),
                Ticket.due_at.is_not(None),
                Ticket.due_at < now,
                Ticket.overdue_at.is_(None),
            )
            .limit(limit)
        )
        return list((await self.session.execute(query)).scalars().all())

    async def claim_overdue(self, ticket_id: str, now: datetime) -> bool:
        """Flag the ticket overdue at `now` unless it already is; True when this call flagged it."""
        claimed = await self.session.execute(
            update(Ticket).where(Ticket.id == ticket_id, Ticket.overdue_at.is_(None)).values(overdue_at=now)
        )
        return claimed.rowcount == 1  # type: ignore[attr-defined,no-any-return]

    async def count_past_due(self, statuses: Sequence[str], now: datetime) -> int:
        """How many tickets in `statuses` are past their due time, flagged or not."""
        query = select(func.count()).where(
            Ticket.status.in_(statuses), Ticket.due_at.is_not(None), Ticket.due_at < now
        )
        return int((await self.session.execute(query)).scalar_one())

    async def clock_rows(self, statuses: Sequence[str]) -> Sequence[Any]:
        """The clock columns of every ticket in `statuses` (columns only: the escalation pass reads
        every open ticket every few seconds)."""
        t = Ticket
        query = select(
            t.id,
            t.status,
            t.request_type,
            t.category_code,
            t.reopen_count,
            t.created_at,
            t.dispatched_at,
            t.response_due_at,
            t.responded_at,
            t.due_at,
            t.replied_at,
        ).where(t.status.in_(statuses))
        return (await self.session.execute(query)).all()

    async def last_reopenings(self, statuses: Sequence[str]) -> dict[str, datetime]:
        """When each reopened ticket in `statuses` was last reopened, by ticket id."""
        query = (
            select(TicketHistory.ticket_id, func.max(TicketHistory.at))
            .join(Ticket, Ticket.id == TicketHistory.ticket_id)
            .where(Ticket.status.in_(statuses), Ticket.reopen_count > 0, TicketHistory.action == "reopen")
            .group_by(TicketHistory.ticket_id)
        )
        return dict((await self.session.execute(query)).all())
