"""Taking a number (取号), checking an appointment in (预约签到), and where a ticket stands.

Numbers are per hall, category and local day (A001, A002, …): a counter row bumped by one
`INSERT … ON CONFLICT DO UPDATE … RETURNING`, so two kiosks never give the same number. A
checked-in appointment gets a priority ticket: called before every walk-in of its category.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, and_, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import local_date
from yiwang_shared.orm import new_id

from .. import errors as intake_errors
from ..appointments import errors as appointment_errors
from ..catalogue import find_published_item
from ..models.appointments import Appointment
from ..models.queue import QueueCategory, QueueCounter, QueueTicket, QueueWindow
from . import errors
from .events import QUEUE_EVENTS, QueueTicketTaken
from .halls import Hall, load_hall
from .schemas import QueueTicketCreate

MAX_NUMBER = 999
#: How far back measured service times count for the expected wait.
SERVICE_WINDOW = timedelta(days=7)


def facts(ticket: QueueTicket, hall: Hall) -> dict[str, object]:
    """The fields every queue event carries."""
    return {
        "ticket_id": ticket.id,
        "ticket_no": ticket.ticket_no,
        "place_id": hall.place.id,
        "place_code": hall.place.code,
        "place_unit_code": hall.place.org_unit_code,
        "day": ticket.day,
        "category_code": ticket.category_code,
        "item_code": ticket.item_code,
        "priority": ticket.priority > 0,
        "channel": ticket.channel,
        "appointment_id": ticket.appointment_id,
        "taken_at": ticket.taken_at,
        "wait_limit_minutes": ticket.wait_limit_minutes,
    }


def _usable(hall: Hall) -> None:
    if hall.hall is None or not hall.categories:
        raise errors.not_configured(hall.place.name)
    if not hall.hall.active:
        raise errors.closed(hall.place.name)


async def _next_number(session: AsyncSession, place_id: str, day: object, category: str) -> int:
    table = cast(Table, QueueCounter.__table__)
    dialect = session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    stmt = (
        insert.values(place_id=place_id, day=day, category_code=category, last_number=1)
        .on_conflict_do_update(
            index_elements=[table.c.place_id, table.c.day, table.c.category_code],
            set_={"last_number": table.c.last_number + 1},
        )
        .returning(table.c.last_number)
    )
    return int((await session.execute(stmt)).scalar_one())


async def _issue(
    session: AsyncSession,
    hall: Hall,
    category: QueueCategory,
    *,
    now: datetime,
    channel: str,
    item_code: str | None,
    item_name: str | None,
    person_id: str | None,
    appointment_id: str | None = None,
) -> QueueTicket:
    assert hall.hall is not None
    if not hall.windows_for(category.code):
        raise errors.category_closed(category.name)
    day = local_date(now)
    waiting = int(
        await session.scalar(
            select(func.count())
            .select_from(QueueTicket)
            .where(
                QueueTicket.place_id == hall.place.id, QueueTicket.day == day, QueueTicket.status == "waiting"
            )
        )
        or 0
    )
    if waiting >= hall.hall.max_waiting:
        raise errors.hall_full(hall.place.name, waiting)
    number = await _next_number(session, hall.place.id, day, category.code)
    if number > MAX_NUMBER:
        raise errors.numbers_used_up(category.name)
    ticket = QueueTicket(
        id=new_id(),
        place_id=hall.place.id,
        day=day,
        category_code=category.code,
        number=number,
        ticket_no=f"{category.code}{number:03d}",
        item_code=item_code,
        item_name=item_name,
        priority=1 if appointment_id else 0,
        channel=channel,
        appointment_id=appointment_id,
        person_id=person_id,
        status="waiting",
        wait_limit_minutes=hall.hall.wait_limit_minutes,
        taken_at=now,
        call_count=0,
    )
    session.add(ticket)
    await session.flush()
    ahead = await waiting_ahead(session, ticket)
    await QUEUE_EVENTS.publish(
        session, QueueTicketTaken.model_validate({**facts(ticket, hall), "waiting_ahead": ahead})
    )
    return ticket


async def take(
    session: AsyncSession, place_id: str, body: QueueTicketCreate, *, actor: Principal | None, now: datetime
) -> tuple[QueueTicket, Hall]:
    """Take a number for an item or a category (anonymous at the kiosk, or a logged-in person)."""
    hall = await load_hall(session, place_id)
    _usable(hall)
    item_name = None
    if body.item_code is not None:
        entry = await find_published_item(session, body.item_code)
        if entry is None:
            raise intake_errors.item_not_found(body.item_code)
        item_name = entry.name
        category = hall.category_for_item(body.item_code)
        if category is None:
            raise errors.item_not_served(body.item_code, hall.place.name)
    else:
        assert body.category_code is not None
        category = hall.category(body.category_code)
        if category is None:
            raise errors.category_unknown(body.category_code)
    person = actor.subject if actor is not None and not actor.is_staff else None
    ticket = await _issue(
        session,
        hall,
        category,
        now=now,
        channel="online" if person else "kiosk",
        item_code=body.item_code,
        item_name=item_name,
        person_id=person,
    )
    return ticket, hall


async def check_in(
    session: AsyncSession, appointment: Appointment, *, now: datetime
) -> tuple[QueueTicket, Hall]:
    """Issue the priority ticket of a booking, on its day before its slot ends, once."""
    if appointment.status != "booked":
        raise appointment_errors.appointment_cancelled(appointment.booking_no)
    if local_date(now) != appointment.day or now >= appointment.ends_at:
        raise errors.appointment_not_today(appointment.booking_no, appointment.day)
    held = await session.scalar(
        select(QueueTicket.ticket_no).where(QueueTicket.appointment_id == appointment.id)
    )
    if held is not None:
        raise errors.appointment_checked_in(appointment.booking_no, held)
    hall = await load_hall(session, appointment.place_id)
    _usable(hall)
    category = hall.category_for_item(appointment.item_code)
    if category is None:
        raise errors.item_not_served(appointment.item_code, hall.place.name)
    try:
        async with session.begin_nested():
            ticket = await _issue(
                session,
                hall,
                category,
                now=now,
                channel="appointment",
                item_code=appointment.item_code,
                item_name=appointment.item_name,
                person_id=appointment.person_id,
                appointment_id=appointment.id,
            )
    except IntegrityError:  # a concurrent check-in of the same booking won
        held = await session.scalar(
            select(QueueTicket.ticket_no).where(QueueTicket.appointment_id == appointment.id)
        )
        raise errors.appointment_checked_in(appointment.booking_no, held or "?") from None
    return ticket, hall


async def find_booking(session: AsyncSession, place_id: str, booking_no: str, phone: str) -> Appointment:
    """The place's booking with this number and mobile (404 otherwise, whichever is wrong)."""
    booking = await session.scalar(
        select(Appointment).where(
            Appointment.booking_no == booking_no.strip().upper(),
            Appointment.place_id == place_id,
            Appointment.phone == phone,
        )
    )
    if booking is None:
        raise errors.booking_not_found()
    return booking


def _before(ticket: QueueTicket) -> object:
    """Tickets of the same category called before `ticket` (priority first, then the oldest)."""
    t = QueueTicket
    return or_(
        t.priority > ticket.priority,
        and_(
            t.priority == ticket.priority,
            or_(t.taken_at < ticket.taken_at, and_(t.taken_at == ticket.taken_at, t.number < ticket.number)),
        ),
    )


async def waiting_ahead(session: AsyncSession, ticket: QueueTicket) -> int:
    """How many waiting numbers of its category will be called before it."""
    t = QueueTicket
    return int(
        await session.scalar(
            select(func.count())
            .select_from(t)
            .where(
                t.place_id == ticket.place_id,
                t.day == ticket.day,
                t.category_code == ticket.category_code,
                t.status == "waiting",
                t.id != ticket.id,
                _before(ticket),  # type: ignore[arg-type]
            )
        )
        or 0
    )


@dataclass
class Estimate:
    """Expected wait of a category: minutes per number for its windows and how it was found."""

    windows_open: int
    per_number_minutes: float | None  # None: no window calls it
    measured: bool

    def minutes_for(self, ahead: int) -> int | None:
        """Expected minutes for a number with `ahead` numbers before it."""
        if self.per_number_minutes is None:
            return None
        return round(ahead * self.per_number_minutes)


async def service_minutes(
    session: AsyncSession, hall: Hall, *, now: datetime, sample: int
) -> dict[str, float]:
    """Each window's mean service time (called → completed) over its last `sample` services in
    the past week, in minutes; windows without one are absent."""
    t = QueueTicket
    rows = await session.execute(
        select(t.window_id, t.service_seconds)
        .where(
            t.place_id == hall.place.id,
            t.status == "completed",
            t.service_seconds.is_not(None),
            t.finished_at >= now - SERVICE_WINDOW,
        )
        .order_by(t.finished_at.desc())
    )
    seen: dict[str, list[int]] = {}
    for window_id, seconds in rows:
        if window_id is None or seconds is None:
            continue
        got = seen.setdefault(window_id, [])
        if len(got) < sample:
            got.append(int(seconds))
    return {w: sum(s) / len(s) / 60.0 for w, s in seen.items() if s}


def estimate(hall: Hall, category_code: str, measured: dict[str, float], default_minutes: float) -> Estimate:
    """Minutes per number of a category: its windows serve in parallel, each at its measured pace
    (a window without data at the hall's measured mean, else the default)."""
    windows: list[QueueWindow] = hall.windows_for(category_code)
    if not windows:
        return Estimate(0, None, False)
    fallback = sum(measured.values()) / len(measured) if measured else default_minutes
    rate = sum(1.0 / max(measured.get(w.id, fallback), 0.1) for w in windows)  # numbers a minute
    return Estimate(len(windows), 1.0 / rate, bool(measured))


async def expected_wait(
    session: AsyncSession,
    ticket: QueueTicket,
    hall: Hall,
    *,
    now: datetime,
    sample: int,
    default_minutes: float,
) -> tuple[int, int | None]:
    """(numbers ahead, expected minutes) of a waiting ticket."""
    ahead = await waiting_ahead(session, ticket)
    measured = await service_minutes(session, hall, now=now, sample=sample)
    return ahead, estimate(hall, ticket.category_code, measured, default_minutes).minutes_for(ahead)


async def get_ticket(session: AsyncSession, ticket_id: str) -> QueueTicket:
    """The ticket, or 404."""
    ticket = await session.get(QueueTicket, ticket_id)
    if ticket is None:
        raise errors.ticket_not_found(ticket_id)
    return ticket
