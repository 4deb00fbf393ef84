"""Calling numbers at a window (叫号): next, again (重呼), serving, completed, no-show (过号).

Two clerks calling at once never get the same ticket: the ticket moves from `waiting` to `called`
only if it is still waiting (`QueueTicketRepository.move`), which one transaction alone can win.
A window holds one open ticket (called or serving) at a time.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import local_date
from yiwang_shared.lifecycle import TransitionRefused

from .. import errors, events
from ..lifecycles import TICKET, TicketAction
from ..models.queue import QueueTicket
from ..repositories.queue import QueueTicketRepository
from .queue_halls import Station, clerk_station
from .queue_tickets import facts, get_ticket

#: A window's open ticket: called to it, or being served there (what may still be completed).
OPEN = tuple(TICKET.sources("complete"))
#: Attempts at claiming a candidate another window took in between.
CLAIM_ATTEMPTS = 8


async def open_ticket(session: AsyncSession, window_id: str) -> QueueTicket | None:
    """The ticket called or being served at the window."""
    return await QueueTicketRepository(session).open_at_window(window_id, OPEN)


async def waiting_for(session: AsyncSession, station: Station, *, now: datetime) -> int:
    """Numbers waiting today in the window's categories."""
    window = station.window
    return await QueueTicketRepository(session).count_waiting(
        window.place_id, local_date(now), window.category_codes
    )


async def _publish_called(session: AsyncSession, ticket: QueueTicket, station: Station) -> None:
    assert ticket.called_at is not None and ticket.last_called_at is not None
    await events.publish(
        session,
        events.QueueTicketCalled.model_validate(
            {
                **facts(ticket, station.hall),
                "window_unit_code": station.window.unit_code,
                "window_number": station.window.number,
                "called_by": ticket.called_by,
                "called_at": ticket.last_called_at,
                "call_count": ticket.call_count,
                "wait_seconds": ticket.wait_seconds or 0,
                "over_limit": (ticket.wait_seconds or 0) > ticket.wait_limit_minutes * 60,
            }
        ),
    )


async def call_next(session: AsyncSession, *, actor: Principal, now: datetime) -> tuple[QueueTicket, Station]:
    """Call the next number for the caller's window: priority first, then the oldest."""
    station = await clerk_station(session, actor)
    window = station.window
    repo = QueueTicketRepository(session)
    await repo.lock_window(window.id)
    busy = await open_ticket(session, window.id)
    if busy is not None:
        raise errors.queue_window_busy(window.name, busy.ticket_no, busy.status)
    for _ in range(CLAIM_ATTEMPTS):
        candidate = await repo.next_waiting(window.place_id, local_date(now), window.category_codes)
        if candidate is None:
            raise errors.queue_empty(window.name)
        wait = max(0, int((now - candidate.taken_at).total_seconds()))
        claimed = await repo.move(
            candidate,
            TICKET.sources("call"),
            status=TICKET.target("waiting", "call"),
            window_id=window.id,
            window_number=window.number,
            window_name=window.name,
            called_by=actor.subject,
            called_at=now,
            last_called_at=now,
            call_count=1,
            wait_seconds=wait,
        )
        if claimed:
            await _publish_called(session, candidate, station)
            return candidate, station
    raise errors.queue_empty(window.name)  # every candidate went to other windows meanwhile


async def _own(session: AsyncSession, ticket_id: str, actor: Principal) -> tuple[QueueTicket, Station]:
    station = await clerk_station(session, actor)
    ticket = await get_ticket(session, ticket_id)
    if ticket.place_id != station.window.place_id:
        raise errors.queue_not_hall_clerk(station.hall.place.name)
    return ticket, station


def _at_window(ticket: QueueTicket, station: Station) -> None:
    if ticket.window_id != station.window.id:
        raise errors.queue_not_your_ticket(ticket.ticket_no, ticket.window_name)


async def _move(
    session: AsyncSession,
    ticket: QueueTicket,
    action: TicketAction,
    doing: tuple[str, str],
    *,
    add_call: bool = False,
    **values: object,
) -> None:
    """Take `action` on the ticket if its status (still) allows it; 409 otherwise."""
    try:
        target = TICKET.target(ticket.status, action)
    except TransitionRefused:
        raise errors.queue_ticket_state(ticket.ticket_no, ticket.status, *doing) from None
    if target != ticket.status:
        values["status"] = target
    if not await QueueTicketRepository(session).move(
        ticket, TICKET.sources(action), add_call=add_call, **values
    ):
        raise errors.queue_ticket_state(ticket.ticket_no, ticket.status, *doing)


async def recall(
    session: AsyncSession, ticket_id: str, *, actor: Principal, now: datetime
) -> tuple[QueueTicket, Station]:
    """Call the number again (重呼) at the window that called it."""
    ticket, station = await _own(session, ticket_id, actor)
    if ticket.status == "called":
        _at_window(ticket, station)
    await _move(
        session,
        ticket,
        "recall",
        ("重呼", "called again"),
        add_call=True,
        last_called_at=now,
    )
    await _publish_called(session, ticket, station)
    return ticket, station


async def start(
    session: AsyncSession, ticket_id: str, *, actor: Principal, now: datetime
) -> tuple[QueueTicket, Station]:
    """The person came to the window: serving starts."""
    ticket, station = await _own(session, ticket_id, actor)
    if ticket.status in OPEN:
        _at_window(ticket, station)
    await _move(session, ticket, "start", ("开始办理", "started"), serving_at=now)
    return ticket, station


async def complete(
    session: AsyncSession, ticket_id: str, *, actor: Principal, now: datetime
) -> tuple[QueueTicket, Station]:
    """Serving is over (办结); the service time feeds the expected wait."""
    ticket, station = await _own(session, ticket_id, actor)
    if ticket.status in OPEN:
        _at_window(ticket, station)
    called = ticket.called_at or now
    service = max(0, int((now - called).total_seconds()))
    await _move(
        session,
        ticket,
        "complete",
        ("办结", "completed"),
        finished_at=now,
        service_seconds=service,
    )
    await events.publish(
        session,
        events.QueueTicketCompleted.model_validate(
            {
                **facts(ticket, station.hall),
                "window_unit_code": station.window.unit_code,
                "window_number": station.window.number,
                "staff_id": actor.subject,
                "completed_at": now,
                "wait_seconds": ticket.wait_seconds or 0,
                "service_seconds": service,
            }
        ),
    )
    return ticket, station


async def no_show(
    session: AsyncSession, ticket_id: str, *, actor: Principal, now: datetime
) -> tuple[QueueTicket, Station]:
    """Nobody came after the call(s) (过号)."""
    ticket, station = await _own(session, ticket_id, actor)
    if ticket.status in OPEN:
        _at_window(ticket, station)
    await _move(session, ticket, "no_show", ("标记过号", "marked a no-show"), finished_at=now)
    await events.publish(
        session,
        events.QueueTicketNoShow.model_validate(
            {
                **facts(ticket, station.hall),
                "window_unit_code": station.window.unit_code,
                "window_number": station.window.number,
                "staff_id": actor.subject,
                "marked_at": now,
                "call_count": ticket.call_count,
            }
        ),
    )
    return ticket, station
