"""Queries on escalation rules (催办/督办规则) and the reminders and escalations they raised."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.pagination import PageParams, page_of, page_of_rows

from ..models import DispatchRecord, EscalationRule, Ticket, TicketEscalation, TicketEscalationRecipient


class EscalationRuleRepository:
    """Escalation rules."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, rule_id: str) -> EscalationRule | None:
        """The rule `rule_id`, or None."""
        return await self.session.get(EscalationRule, rule_id)

    async def page(self, page: PageParams) -> tuple[list[EscalationRule], int]:
        """A page of the rules, by level then how soon they fire, and how many there are."""
        query = select(EscalationRule).order_by(
            EscalationRule.kind.desc(),  # reminders before escalations
            EscalationRule.target == "district_office",
            EscalationRule.after_share,
            EscalationRule.plus_hours,
            EscalationRule.name,
        )
        return await page_of(self.session, query, page)

    async def active(self) -> list[EscalationRule]:
        """Every active rule."""
        query = select(EscalationRule).where(EscalationRule.active.is_(True))
        return list((await self.session.execute(query)).scalars())


def _with_ticket() -> Select[TicketEscalation, Ticket]:
    return select(TicketEscalation, Ticket).join(Ticket, Ticket.id == TicketEscalation.ticket_id)


class TicketEscalationRepository:
    """Reminders (催办) and escalations (督办) raised on tickets, and the people they name."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def count_raised(self, ticket_id: str, rule_id: str, cycle: str) -> int:
        """How many times `rule_id` was raised on the ticket in `cycle` (0 or 1)."""
        query = select(func.count()).where(
            TicketEscalation.ticket_id == ticket_id,
            TicketEscalation.rule_id == rule_id,
            TicketEscalation.cycle == cycle,
        )
        return int(await self.session.scalar(query) or 0)

    async def raised_on(self, statuses: Sequence[str]) -> set[tuple[str, str, str]]:
        """(ticket id, rule id, cycle) of everything raised on tickets in `statuses`."""
        query = (
            select(TicketEscalation.ticket_id, TicketEscalation.rule_id, TicketEscalation.cycle)
            .join(Ticket, Ticket.id == TicketEscalation.ticket_id)
            .where(Ticket.status.in_(statuses))
        )
        return set((await self.session.execute(query)).all())

    async def recipients(self, ids: Sequence[str]) -> dict[str, list[TicketEscalationRecipient]]:
        """The people each of `ids` names, by name, keyed by escalation id."""
        out: dict[str, list[TicketEscalationRecipient]] = {}
        if not ids:
            return out
        rows = await self.session.execute(
            select(TicketEscalationRecipient)
            .where(TicketEscalationRecipient.escalation_id.in_(list(ids)))
            .order_by(TicketEscalationRecipient.name, TicketEscalationRecipient.staff_id)
        )
        for r in rows.scalars():
            out.setdefault(r.escalation_id, []).append(r)
        return out

    async def find_with_ticket(self, escalation_id: str) -> tuple[TicketEscalation, Ticket] | None:
        """The reminder or escalation `escalation_id` with its ticket, or None."""
        row = (await self.session.execute(_with_ticket().where(TicketEscalation.id == escalation_id))).first()
        return None if row is None else (row[0], row[1])

    async def page(
        self,
        page: PageParams,
        *,
        recipient: str | None = None,
        acknowledged: bool | None = None,
        dispatched_to: str | None = None,
        ticket_id: str | None = None,
        kind: str | None = None,
        level: int | None = None,
        unit_code: str | None = None,
    ) -> tuple[list[tuple[TicketEscalation, Ticket]], int]:
        """A page of reminders and escalations with their tickets, newest first, and how many match:
        naming `recipient` (acknowledged by them or not), dispatched to a unit, or of one ticket; of
        a kind, a level, naming a unit's people."""
        query = _with_ticket()
        # Every escalation has its ticket: the count needs no join to it, only the escalations'
        # own indexes (a capped count then reads index entries, not 10,001 joined rows).
        counted: Select[Any] = select(TicketEscalation.id)
        if recipient is not None:
            # The page walks the newest escalations and checks each for the person (EXISTS); the
            # count starts from the person's own (their index).
            named = _naming(recipient, acknowledged)
            query = query.where(
                select(TicketEscalationRecipient.id)
                .where(TicketEscalationRecipient.escalation_id == TicketEscalation.id, *named)
                .exists()
            )
            counted = counted.join(
                TicketEscalationRecipient, TicketEscalationRecipient.escalation_id == TicketEscalation.id
            ).where(*named)
        if dispatched_to is not None:
            # Likewise: the page checks each escalation's ticket's dispatches, the count starts
            # from the unit's dispatches (a ticket dispatched twice to it counts once).
            query = query.where(
                select(DispatchRecord.id)
                .where(DispatchRecord.ticket_id == Ticket.id, DispatchRecord.unit_code == dispatched_to)
                .exists()
            )
            # A semi-join with the unit's dispatches (their index): no ticket rows, no DISTINCT.
            counted = counted.where(
                TicketEscalation.ticket_id.in_(
                    select(DispatchRecord.ticket_id).where(DispatchRecord.unit_code == dispatched_to)
                )
            )
        where: list[ColumnElement[bool]] = []
        if ticket_id is not None:
            where.append(TicketEscalation.ticket_id == ticket_id)
        if kind is not None:
            where.append(TicketEscalation.kind == kind)
        if level is not None:
            where.append(TicketEscalation.level == level)
        if unit_code:
            where.append(TicketEscalation.unit_code == unit_code)
        ordered = query.where(*where).order_by(
            TicketEscalation.raised_at.desc(), TicketEscalation.level.desc(), TicketEscalation.id
        )
        rows, total = await page_of_rows(
            self.session, cast("Select[Any]", ordered), page, counted=counted.where(*where)
        )
        return [(e, t) for e, t in cast("list[tuple[TicketEscalation, Ticket]]", rows)], total

    async def page_open_naming(
        self, page: PageParams, recipient: str, *, acknowledged: bool | None = None, kind: str | None = None
    ) -> tuple[list[tuple[TicketEscalation, Ticket]], int]:
        """A page of the reminders and escalations on open tickets that name `recipient`
        (acknowledged by them or not), of a kind, newest first, and how many match."""
        # The person's entries carry the raised time and whether the ticket is open: page and count
        # are one range of their index, however many tickets and escalations the district holds.
        named = [*_naming(recipient, acknowledged), TicketEscalationRecipient.ticket_open.is_(True)]
        if kind is not None:
            named.append(TicketEscalation.kind == kind)
        ordered = (
            select(TicketEscalation, Ticket)
            .select_from(TicketEscalationRecipient)
            .join(TicketEscalation, TicketEscalation.id == TicketEscalationRecipient.escalation_id)
            .join(Ticket, Ticket.id == TicketEscalation.ticket_id)
            .where(*named)
            .order_by(
                TicketEscalationRecipient.raised_at.desc(), TicketEscalation.level.desc(), TicketEscalation.id
            )
        )
        counted = select(TicketEscalationRecipient.id).where(*named)
        if kind is not None:
            counted = counted.join(
                TicketEscalation, TicketEscalation.id == TicketEscalationRecipient.escalation_id
            )
        rows, total = await page_of_rows(self.session, cast("Select[Any]", ordered), page, counted=counted)
        return [(e, t) for e, t in cast("list[tuple[TicketEscalation, Ticket]]", rows)], total


def _naming(recipient: str, acknowledged: bool | None) -> list[ColumnElement[bool]]:
    """The person's entries, acknowledged by them or not (either when None)."""
    named = [TicketEscalationRecipient.staff_id == recipient]
    if acknowledged is not None:
        done = TicketEscalationRecipient.acknowledged_at.is_not(None)
        named.append(done if acknowledged else ~done)
    return named
