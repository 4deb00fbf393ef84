"""What the hall's big screen shows, the staff's ticket lists, and the waiting-time indicator
(限时等候: how long numbers waited, and the share called after the hall's limit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import local_date
from yiwang_shared.errors import Forbidden

from .. import errors
from ..models.queue import QueueTicket
from ..repositories.queue import QueueTicketRepository
from . import queue_access as access
from .queue_halls import Hall, clerk_station, load_hall
from .queue_tickets import Estimate, estimate, get_ticket, service_minutes

#: The longest period the indicator covers at once.
MAX_PERIOD_DAYS = 366


@dataclass
class Display:
    """The screen's content."""

    hall: Hall
    day: date
    recent: list[QueueTicket]
    waiting: dict[str, int]
    estimates: dict[str, Estimate]


async def display(
    session: AsyncSession, place_id: str, *, now: datetime, last: int, sample: int, default_minutes: float
) -> Display:
    """The last `last` numbers called, how many wait per category and the expected wait (anyone)."""
    hall = await load_hall(session, place_id)
    if hall.hall is None or not hall.categories:
        raise errors.queue_not_configured(hall.place.name)
    day = local_date(now)
    repo = QueueTicketRepository(session)
    recent = await repo.recent_calls(hall.place.id, day, last)
    waiting = await repo.waiting_by_category(hall.place.id, day)
    measured = await service_minutes(session, hall, now=now, sample=sample)
    estimates = {c.code: estimate(hall, c.code, measured, default_minutes) for c in hall.categories}
    return Display(hall, day, recent, waiting, estimates)


async def visible_ticket(
    session: AsyncSession, ticket_id: str, *, actor: Principal
) -> tuple[QueueTicket, Hall]:
    """The ticket for the person who took it, its hall's window clerks, supervisors and
    administrators; 404 for anybody else."""
    ticket = await get_ticket(session, ticket_id)
    allowed = access.owns_ticket(actor, ticket) or access.is_overseer(actor)
    if not allowed and actor.is_staff and "window_clerk" in actor.roles:
        try:
            station = await clerk_station(session, actor)
        except Forbidden:
            station = None
        allowed = station is not None and station.window.place_id == ticket.place_id
    if not allowed:
        raise errors.queue_ticket_not_found(ticket_id)
    return ticket, await load_hall(session, ticket.place_id)


async def list_tickets(
    session: AsyncSession,
    place_id: str,
    *,
    actor: Principal,
    day: date | None,
    status: str | None,
    now: datetime,
    limit: int,
    offset: int,
) -> tuple[list[QueueTicket], int, Hall]:
    """A hall's tickets of a day (today by default), oldest first: its window clerks, supervisors, admins."""
    access.require_ticket_lister(actor)
    hall = await load_hall(session, place_id)
    if not access.is_overseer(actor):
        station = await clerk_station(session, actor)
        if station.window.place_id != hall.place.id:
            raise errors.queue_not_hall_clerk(hall.place.name)
    rows, total = await QueueTicketRepository(session).page(
        hall.place.id, day or local_date(now), status=status, limit=limit, offset=offset
    )
    return rows, total, hall


@dataclass
class WaitIndicator:
    """The indicator's figures."""

    hall: Hall
    first: date
    last: date
    tickets: int
    called: int
    average_wait_minutes: float | None
    over_limit: int
    never_called: int
    no_show: int

    @property
    def over_limit_rate(self) -> float | None:
        """超时等候率: the share of called numbers called after their limit."""
        return round(self.over_limit / self.called, 4) if self.called else None


async def wait_indicator(
    session: AsyncSession,
    place_id: str,
    *,
    actor: Principal,
    first: date | None,
    last: date | None,
    now: datetime,
) -> WaitIndicator:
    """Count, average wait and 超时等候率 of a hall's numbers over local days (default: the last 30)."""
    access.require_indicator_reader(actor)
    hall = await load_hall(session, place_id)
    last = last or local_date(now)
    first = first or date.fromordinal(last.toordinal() - 29)
    if (last - first).days + 1 > MAX_PERIOD_DAYS:
        raise errors.period_too_long(MAX_PERIOD_DAYS)
    total, n_called, avg_wait, over, no_show = await QueueTicketRepository(session).wait_figures(
        hall.place.id, first, last
    )
    n_called = int(n_called or 0)
    return WaitIndicator(
        hall=hall,
        first=first,
        last=last,
        tickets=int(total or 0),
        called=n_called,
        average_wait_minutes=round(float(avg_wait) / 60.0, 1) if avg_wait is not None and n_called else None,
        over_limit=int(over or 0),
        never_called=int(total or 0) - n_called,
        no_show=int(no_show or 0),
    )
