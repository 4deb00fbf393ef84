"""Taking a number (取号), checking an appointment in (预约签到), and where a ticket stands.

Numbers are per hall, category and local day (A001, A002, …), from a counter two kiosks cannot
both read the same (`QueueTicketRepository.next_number`). A checked-in appointment gets a priority
ticket: called before every walk-in of its category.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import local_date
from yiwang_shared.lifecycle import TransitionRefused
from yiwang_shared.orm import new_id

from .. import errors, events
from ..lifecycles import APPOINTMENT
from ..models.appointments import Appointment
from ..models.queue import QueueCategory, QueueTicket, QueueWindow
from ..repositories.appointments import AppointmentRepository
from ..repositories.queue import QueueTicketRepository
from ..schemas.queue import QueueTicketCreate
from . import demand
from .catalogue import find_published_item
from .queue_halls import Hall, load_hall

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
        raise errors.queue_not_configured(hall.place.name)
    if not hall.hall.active:
        raise errors.queue_closed(hall.place.name)


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
    booking_no: str | None = None,
) -> QueueTicket:
    assert hall.hall is not None
    if not hall.windows_for(category.code):
        raise errors.queue_category_closed(category.name)
    repo = QueueTicketRepository(session)
    day = local_date(now)
    waiting = await repo.count_waiting(hall.place.id, day)
    if waiting >= hall.hall.max_waiting:
        raise errors.queue_full(hall.place.name, waiting)
    number = await repo.next_number(hall.place.id, day, category.code)
    if number > MAX_NUMBER:
        raise errors.queue_numbers_used_up(category.name)
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
    if appointment_id is None:
        repo.add(ticket)
    elif not await repo.add_for_appointment(ticket):  # a concurrent check-in of the same booking won
        held = await repo.ticket_no_of_appointment(appointment_id)
        raise errors.appointment_checked_in(booking_no or "?", held or "?")
    await session.flush()
    ahead = await waiting_ahead(session, ticket)
    await events.publish(
        session, events.QueueTicketTaken.model_validate({**facts(ticket, hall), "waiting_ahead": ahead})
    )
    await demand.count_visit(session, ticket, hall.place.org_unit_code)
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
            raise errors.item_not_found(body.item_code)
        item_name = entry.name
        category = hall.category_for_item(body.item_code)
        if category is None:
            raise errors.queue_item_not_served(body.item_code, hall.place.name)
    else:
        assert body.category_code is not None
        category = hall.category(body.category_code)
        if category is None:
            raise errors.queue_category_unknown(body.category_code)
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
    try:
        APPOINTMENT.target(appointment.status, "check_in")
    except TransitionRefused:
        raise errors.appointment_cancelled(appointment.booking_no) from None
    if local_date(now) != appointment.day or now >= appointment.ends_at:
        raise errors.appointment_not_today(appointment.booking_no, appointment.day)
    held = await QueueTicketRepository(session).ticket_no_of_appointment(appointment.id)
    if held is not None:
        raise errors.appointment_checked_in(appointment.booking_no, held)
    hall = await load_hall(session, appointment.place_id)
    _usable(hall)
    category = hall.category_for_item(appointment.item_code)
    if category is None:
        raise errors.queue_item_not_served(appointment.item_code, hall.place.name)
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
        booking_no=appointment.booking_no,
    )
    return ticket, hall


async def find_booking(session: AsyncSession, place_id: str, booking_no: str, phone: str) -> Appointment:
    """The place's booking with this number and mobile (404 otherwise, whichever is wrong)."""
    booking = await AppointmentRepository(session).find_by_booking_no(
        place_id, booking_no.strip().upper(), phone
    )
    if booking is None:
        raise errors.booking_not_found()
    return booking


async def waiting_ahead(session: AsyncSession, ticket: QueueTicket) -> int:
    """How many waiting numbers of its category will be called before it."""
    return await QueueTicketRepository(session).count_ahead(ticket)


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
    rows = await QueueTicketRepository(session).service_seconds_since(hall.place.id, now - SERVICE_WINDOW)
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
    ticket = await QueueTicketRepository(session).find(ticket_id)
    if ticket is None:
        raise errors.queue_ticket_not_found(ticket_id)
    return ticket
