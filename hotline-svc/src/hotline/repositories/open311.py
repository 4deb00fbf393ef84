"""Queries of the Open311 endpoint: api keys, the tickets posted through it and their history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Open311Key, Ticket, TicketHistory

#: The channel of tickets posted through Open311 (the only ones it shows).
CHANNEL = "open311"


class Open311Repository:
    """Open311 api keys and the requests (tickets) posted through the endpoint."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find_key(self, key_id: str) -> Open311Key | None:
        """The issued key `key_id`, or None."""
        return await self.session.get(Open311Key, key_id)

    async def find_key_by_hash(self, key_sha256: str) -> Open311Key | None:
        """The issued key with this hash, or None."""
        query = select(Open311Key).where(Open311Key.key_sha256 == key_sha256)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def requests(
        self,
        *,
        ids: Sequence[str] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        categories: Sequence[str] | None = None,
        statuses_in: Sequence[str] | None = None,
        statuses_not_in: Sequence[str] | None = None,
        limit: int,
    ) -> list[Ticket]:
        """Tickets posted through Open311, newest first, at most `limit`: with one of `ids`, created
        in [since, until], of one of `categories`, in or not in some statuses."""
        query = select(Ticket).where(Ticket.channel == CHANNEL)
        if ids is not None:
            query = query.where(Ticket.id.in_(ids))
        if since is not None:
            query = query.where(Ticket.created_at >= since)
        if until is not None:
            query = query.where(Ticket.created_at <= until)
        if categories is not None:
            query = query.where(Ticket.category_code.in_(categories))
        if statuses_not_in is not None:
            query = query.where(Ticket.status.not_in(statuses_not_in))
        if statuses_in is not None:
            query = query.where(Ticket.status.in_(statuses_in))
        rows = await self.session.execute(query.order_by(Ticket.created_at.desc()).limit(limit))
        return list(rows.scalars())

    async def updates(
        self,
        actions: Sequence[str],
        *,
        ticket_id: str | None,
        since: datetime | None,
        until: datetime | None,
        limit: int,
    ) -> list[tuple[TicketHistory, Ticket]]:
        """History entries of `actions` on Open311 tickets (or one), oldest first, at most `limit`."""
        # The history is walked by time from `since` (its index) and each entry's ticket checked,
        # stopping at `limit`: `|| ''` keeps the planner from starting at every Open311 ticket
        # instead (the channel's index) and sorting all their history.
        query = (
            select(TicketHistory, Ticket)
            .join(Ticket, Ticket.id == TicketHistory.ticket_id)
            .where((Ticket.channel + "") == CHANNEL, TicketHistory.action.in_(actions))
        )
        if ticket_id:
            query = query.where(Ticket.id == ticket_id)
        if since is not None:
            query = query.where(TicketHistory.at >= since)
        if until is not None:
            query = query.where(TicketHistory.at <= until)
        rows = await self.session.execute(query.order_by(TicketHistory.at, TicketHistory.id).limit(limit))
        return [(h, t) for h, t in rows]
