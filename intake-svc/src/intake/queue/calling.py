"""Calling numbers at a window (叫号): next, again (重呼), serving, completed, no-show (过号).

Two clerks calling at once never get the same ticket: the ticket moves from `waiting` to `called`
by a conditional UPDATE that only one transaction can win (on PostgreSQL the candidate is also
picked `FOR UPDATE SKIP LOCKED`, so the loser takes the next one instead of waiting; SQLite runs
write transactions one at a time). A window holds one open ticket (called or serving) at a time.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import local_date

from ..models.queue import QueueTicket
from . import errors
from .events import QUEUE_EVENTS, QueueTicketCalled, QueueTicketCompleted, QueueTicketNoShow
from .halls import Station, clerk_station
from .tickets import facts, get_ticket

OPEN = ("called", "serving")
#: Attempts at claiming a candidate another window took in between.
CLAIM_ATTEMPTS = 8


async def _lock_window(session: AsyncSession, window_id: str) -> None:
    # PostgreSQL: one call per window at a time (a double click calls one number, not two).
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": "queue:" + window_id}
        )


async def open_ticket(session: AsyncSession, window_id: str) -> QueueTicket | None:
    """The ticket called or being served at the window."""
    return await session.scalar(
        select(QueueTicket)
        .where(QueueTicket.window_id == window_id, QueueTicket.status.in_(OPEN))
        .order_by(QueueTicket.last_called_at.desc())
        .limit(1)
    )


async def waiting_for(session: AsyncSession, station: Station, *, now: datetime) -> int:
    """Numbers waiting today in the window's categories."""
    t = QueueTicket
    return int(
        await session.scalar(
            select(func.count())
            .select_from(t)
            .where(
                t.place_id == station.window.place_id,
                t.day == local_date(now),
                t.status == "waiting",
                t.category_code.in_(list(station.window.category_codes)),
            )
        )
        or 0
    )


async def _publish_called(session: AsyncSession, ticket: QueueTicket, station: Station) -> None:
    assert ticket.called_at is not None and ticket.last_called_at is not None
    await QUEUE_EVENTS.publish(
        session,
        QueueTicketCalled.model_validate(
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
    await _lock_window(session, window.id)
    busy = await open_ticket(session, window.id)
    if busy is not None:
        raise errors.window_busy(window.name, busy.ticket_no, busy.status)
    t = QueueTicket
    postgres = session.get_bind().dialect.name == "postgresql"
    for _ in range(CLAIM_ATTEMPTS):
        query = (
            select(t)
            .where(
                t.place_id == window.place_id,
                t.day == local_date(now),
                t.status == "waiting",
                t.category_code.in_(list(window.category_codes)),
            )
            .order_by(t.priority.desc(), t.taken_at, t.number)
            .limit(1)
        )
        if postgres:
            query = query.with_for_update(skip_locked=True)
        candidate = await session.scalar(query)
        if candidate is None:
            raise errors.queue_empty(window.name)
        wait = max(0, int((now - candidate.taken_at).total_seconds()))
        claimed = await session.execute(
            update(t)
            .where(t.id == candidate.id, t.status == "waiting")
            .values(
                status="called",
                window_id=window.id,
                window_number=window.number,
                window_name=window.name,
                called_by=actor.subject,
                called_at=now,
                last_called_at=now,
                call_count=1,
                wait_seconds=wait,
            )
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount == 1:  # type: ignore[attr-defined]
            await session.refresh(candidate)
            await _publish_called(session, candidate, station)
            return candidate, station
    raise errors.queue_empty(window.name)  # every candidate went to other windows meanwhile


async def _own(session: AsyncSession, ticket_id: str, actor: Principal) -> tuple[QueueTicket, Station]:
    station = await clerk_station(session, actor)
    ticket = await get_ticket(session, ticket_id)
    if ticket.place_id != station.window.place_id:
        raise errors.not_hall_clerk(station.hall.place.name)
    return ticket, station


def _at_window(ticket: QueueTicket, station: Station) -> None:
    if ticket.window_id != station.window.id:
        raise errors.not_your_ticket(ticket.ticket_no, ticket.window_name)


async def _move(
    session: AsyncSession,
    ticket: QueueTicket,
    from_: tuple[str, ...],
    doing: tuple[str, str],
    **values: object,
) -> None:
    if ticket.status not in from_:
        raise errors.ticket_state(ticket.ticket_no, ticket.status, *doing)
    t = QueueTicket
    done = await session.execute(
        update(t)
        .where(t.id == ticket.id, t.status.in_(from_))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        await session.refresh(ticket)
        raise errors.ticket_state(ticket.ticket_no, ticket.status, *doing)
    await session.refresh(ticket)


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
        ("called",),
        ("重呼", "called again"),
        last_called_at=now,
        call_count=QueueTicket.call_count + 1,
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
    await _move(session, ticket, ("called",), ("开始办理", "started"), status="serving", serving_at=now)
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
        OPEN,
        ("办结", "completed"),
        status="completed",
        finished_at=now,
        service_seconds=service,
    )
    await QUEUE_EVENTS.publish(
        session,
        QueueTicketCompleted.model_validate(
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
    await _move(
        session, ticket, ("called",), ("标记过号", "marked a no-show"), status="no_show", finished_at=now
    )
    await QUEUE_EVENTS.publish(
        session,
        QueueTicketNoShow.model_validate(
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
