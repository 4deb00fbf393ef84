"""Queries on tickets and what hangs off them: contacts, attachments, dispatch records, history,
response obligations, call-backs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, inspect, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload, with_expression

from yiwang_shared.pagination import PageParams, page_of

from ..models import (
    Callback,
    DispatchRecord,
    ResponseDue,
    Ticket,
    TicketAttachment,
    TicketContact,
    TicketHistory,
)

#: A ticket's view shows its contacts, attachments and dispatches: read with the ticket in one
#: statement for a step (a ticket has one contact, a few dispatches and rarely an attachment, so the
#: join stays a few rows), and with one statement each for a page of tickets.
_CHILDREN_JOINED = (
    joinedload(Ticket.contacts),
    joinedload(Ticket.attachments),
    joinedload(Ticket.dispatches),
)
_CHILDREN_SELECTED = (
    selectinload(Ticket.contacts),
    selectinload(Ticket.attachments),
    selectinload(Ticket.dispatches),
)


def _latest_callback(column: Any) -> Any:
    """The ticket's latest call-back's `column` (the latest round, then the latest call), per row."""
    return (
        select(column)
        .where(Callback.ticket_id == Ticket.id)
        .order_by(Callback.round.desc(), Callback.called_at.desc())
        .limit(1)
        .correlate(Ticket)
        .scalar_subquery()
    )


#: A step reads the latest call-back's answers with the ticket (reopening and closing need them).
_LATEST_CALLBACK = (
    with_expression(Ticket.callback_resolved, _latest_callback(Callback.resolved)),
    with_expression(Ticket.callback_satisfaction, _latest_callback(Callback.satisfaction)),
)


#: A whole ticket number (工单编号, `new_number`) and a whole phone number: looked up by their
#: indexes instead of searched for in every ticket's text.
_WHOLE_NUMBER = re.compile(r"\d{8}-\d{8}")
_WHOLE_PHONE = re.compile(r"\+?\d{7,20}")


def _matching(q: str, *, whole_phone: bool) -> ColumnElement[bool]:
    """Tickets whose number is `q` (a whole number) or (for the hotline, which sees phones whole)
    whose caller's phone is `q` (a whole phone number); else whose number starts with `q` or whose
    title, description or address holds it."""
    text = q.strip()
    if _WHOLE_NUMBER.fullmatch(text):
        return Ticket.number == text
    if whole_phone and _WHOLE_PHONE.fullmatch(text):
        return Ticket.caller_phone == text
    return or_(
        Ticket.number.startswith(text, autoescape=True),
        Ticket.title.contains(text, autoescape=True),
        Ticket.description.contains(text, autoescape=True),
        Ticket.address.contains(text, autoescape=True),
    )


def _of_unit(unit: str, *, for_count: bool) -> ColumnElement[bool]:
    """Tickets led or first received by `unit`. A page walks the newest-first index and keeps what
    matches (a unit leads a steady share of tickets, so a page reads about as many rows at any
    size): the OR of two indexed columns would make the database fetch every match of both indexes
    and sort them. The count has no order, so it reads both indexes (up to the cap)."""
    if for_count:
        return or_(Ticket.lead_unit_code == unit, Ticket.first_unit_code == unit)
    # `|| ''` hides the columns' indexes from the planner (same value, not indexable).
    return or_((Ticket.lead_unit_code + "") == unit, (Ticket.first_unit_code + "") == unit)


def _ticket_filters(
    *,
    citizen: str | None,
    status: str | None,
    unit: str | None,
    request_type: str | None,
    overdue: bool | None,
    q: str | None,
    whole_phone: bool,
    for_count: bool,
) -> list[ColumnElement[bool]]:
    """The list's conditions on the ticket's own columns (see `TicketRepository.search`)."""
    where: list[ColumnElement[bool]] = []
    if citizen is not None:
        where.append(Ticket.citizen_subject == citizen)
    if status:
        where.append(Ticket.status == status)
    if unit:
        where.append(_of_unit(unit, for_count=for_count))
    if request_type:
        where.append(Ticket.request_type == request_type)
    if overdue is not None:
        where.append(Ticket.overdue_at.is_not(None) if overdue else Ticket.overdue_at.is_(None))
    if q:
        where.append(_matching(q, whole_phone=whole_phone))
    return where


class TicketRepository:
    """Tickets in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, ticket_id: str, *, lock: bool = False) -> Ticket | None:
        """The ticket `ticket_id` with its contacts, attachments, dispatches and latest call-back's
        answers (one statement), or None; `lock` takes a row lock on the ticket where the database
        has them."""
        query = select(Ticket).where(Ticket.id == ticket_id).options(*_CHILDREN_JOINED, *_LATEST_CALLBACK)
        if lock and self.session.get_bind().dialect.name == "postgresql":
            # Only the ticket's row: PostgreSQL locks no row on the nullable side of an outer join.
            query = query.with_for_update(of=Ticket)
        return (await self.session.execute(query)).unique().scalar_one_or_none()

    async def children(
        self, ticket: Ticket
    ) -> tuple[list[TicketContact], list[TicketAttachment], list[DispatchRecord]]:
        """The ticket's contacts (in the order they were added), attachments and dispatches (oldest
        first): as loaded with it, else read now."""
        unloaded = inspect(ticket).unloaded
        if not unloaded.intersection(("contacts", "attachments", "dispatches")):
            return list(ticket.contacts), list(ticket.attachments), list(ticket.dispatches)
        return (
            await self.contacts(ticket.id),
            await self.attachments(ticket.id),
            await self.dispatch_records(ticket.id),
        )

    async def get(self, ticket_id: str) -> Ticket | None:
        """The ticket `ticket_id` from the session's identity map or the database, or None."""
        return await self.session.get(Ticket, ticket_id)

    async def primary_of(self, ticket: Ticket) -> Ticket | None:
        """The ticket `ticket` was merged into (as the step that merged it holds it, else read), or None."""
        if ticket.merged_into_id is None:
            return None
        if "merged_into" not in inspect(ticket).unloaded:
            return ticket.merged_into
        return await self.session.get(Ticket, ticket.merged_into_id)

    async def find_by_token(self, token: str) -> Ticket | None:
        """The ticket an Open311 token became, or None."""
        query = select(Ticket).where(Ticket.token == token)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def refresh(self, ticket: Ticket) -> None:
        """Reload the ticket's columns (after an UPDATE statement changed its row)."""
        await self.session.refresh(ticket)

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

        def where(for_count: bool) -> list[ColumnElement[bool]]:
            return _ticket_filters(
                citizen=citizen,
                status=status,
                unit=unit,
                request_type=request_type,
                overdue=overdue,
                q=q,
                whole_phone=whole_phone,
                for_count=for_count,
            )

        query = select(Ticket).where(*where(False))
        counted: Select[Any] = select(Ticket.id).where(*where(True))
        if dispatched_to is not None:
            # The page walks the newest tickets and checks each one's dispatches (EXISTS); the count
            # walks the unit's dispatches (its index) and joins their tickets, each once.
            query = query.where(
                select(DispatchRecord.id)
                .where(DispatchRecord.ticket_id == Ticket.id, DispatchRecord.unit_code == dispatched_to)
                .exists()
            )
            counted = select(DispatchRecord.ticket_id).where(DispatchRecord.unit_code == dispatched_to)
            if conditions := where(True):
                counted = counted.join(Ticket, Ticket.id == DispatchRecord.ticket_id).where(*conditions)
            # Without conditions on the ticket the count is the unit's index alone, in ticket order
            # (each ticket once as the entries go by: no join, no sort).
            counted = counted.distinct()
        query = query.order_by(Ticket.created_at.desc(), Ticket.id)
        return await page_of(self.session, query, page, options=_CHILDREN_SELECTED, counted=counted)

    async def contacts(self, ticket_id: str) -> list[TicketContact]:
        """The callers kept informed of the ticket, in the order they were added."""
        query = (
            select(TicketContact)
            .where(TicketContact.ticket_id == ticket_id)
            .order_by(TicketContact.created_at)
        )
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

    async def history_page(self, ticket_id: str, page: PageParams) -> tuple[list[TicketHistory], int]:
        """A page of the ticket's recorded actions, oldest first, and how many there are."""
        query = (
            select(TicketHistory)
            .where(TicketHistory.ticket_id == ticket_id)
            .order_by(TicketHistory.at, TicketHistory.id)
        )
        return await page_of(self.session, query, page)

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

    async def move_response_due(
        self, ticket_id: str, round_no: int, *, unit_code: str, due_at: datetime
    ) -> bool:
        """Hand round `round_no`'s response obligation to `unit_code`, due at `due_at` and not yet
        answered; False when the round owes none (one statement: the row is not read first)."""
        moved = await self.session.execute(
            update(ResponseDue)
            .where(ResponseDue.ticket_id == ticket_id, ResponseDue.round == round_no)
            .values(unit_code=unit_code, due_at=due_at, responded_at=None)
            .execution_options(synchronize_session=False)
        )
        return bool(moved.rowcount)  # type: ignore[attr-defined]

    async def repoint_merged(self, ticket_id: str, to_ticket_id: str) -> None:
        """Tickets merged into `ticket_id` now point at `to_ticket_id` (one statement)."""
        await self.session.execute(
            update(Ticket)
            .where(Ticket.merged_into_id == ticket_id)
            .values(merged_into_id=to_ticket_id)
            .execution_options(synchronize_session=False)
        )

    async def response_due(self, ticket_id: str, round_no: int) -> ResponseDue | None:
        """The response obligation of the ticket's round `round_no`, or None."""
        query = select(ResponseDue).where(ResponseDue.ticket_id == ticket_id, ResponseDue.round == round_no)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def record_response(
        self, ticket_id: str, round_no: int, *, at: datetime, note: str | None, by: str
    ) -> tuple[str, datetime] | None:
        """Record the response to round `round_no`'s obligation; its unit and due time, or None
        when the round owes none (one statement: the row is not read first)."""
        query = (
            update(ResponseDue)
            .where(ResponseDue.ticket_id == ticket_id, ResponseDue.round == round_no)
            .values(responded_at=at, note=note, recorded_by=by)
            .returning(ResponseDue.unit_code, ResponseDue.due_at)
            .execution_options(synchronize_session=False)
        )
        row = (await self.session.execute(query)).one_or_none()
        return None if row is None else (row[0], row[1])

    async def sharing_traits(
        self,
        ticket: Ticket,
        traits: Sequence[tuple[str, Any]],
        *,
        unfinished: Sequence[str],
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
                # IN, not NOT IN: the status index then reads only unfinished tickets of the window.
                Ticket.status.in_(unfinished),
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
