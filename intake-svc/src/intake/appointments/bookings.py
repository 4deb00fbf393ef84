"""Booking and cancelling (预约、取消预约): capacity and the no-overlap rule held by the database."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import func, or_, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import SHANGHAI, local_date
from yiwang_shared.errors import UnprocessableEntity
from yiwang_shared.orm import new_id, utcnow

from ..models.appointments import Appointment, AppointmentSlot, ServicePlace
from ..notifications import queue_message
from . import errors
from .access import may_book_for_others, may_see_booking
from .events import APPOINTMENT_EVENTS, AppointmentBooked, AppointmentCancelled
from .places import bookable_item, get_place, require_manager
from .schemas import AppointmentCreate

_BOOKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out over the phone


def new_booking_no(day: date) -> str:
    """A booking number such as YY20261123-7KQ2M9XD (date of the slot, 8 random characters)."""
    suffix = "".join(secrets.choice(_BOOKING_ALPHABET) for _ in range(8))
    return f"YY{day:%Y%m%d}-{suffix}"


def sms_time(value: datetime) -> str:
    """A time as an SMS shows it: 09:30 (Beijing time)."""
    return f"{value.astimezone(SHANGHAI):%H:%M}"


def sms_date(value: date) -> str:
    """A date as an SMS shows it: 11月23日."""
    return f"{value.month}月{value.day}日"


async def _lock_person(session: AsyncSession, person_id: str) -> None:
    # PostgreSQL: one booking transaction per person at a time, so the overlap check cannot race.
    # SQLite needs nothing: write transactions already run one at a time (BEGIN IMMEDIATE).
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": "appt:" + person_id}
        )


def _who_for(body: AppointmentCreate, actor: Principal) -> tuple[str, str]:
    """(person_id, channel) of a booking, or 403/422 when the caller may not book it."""
    if actor.is_staff:
        if not may_book_for_others(actor):
            raise errors.staff_may_not_book()
        if not body.person_id:
            raise UnprocessableEntity(
                "为他人预约时，请填写被预约人的账号（person_id）。",
                en="A clerk booking for a person must give person_id (the person's account id).",
                code="validation_failed",
                field="person_id",
            )
        return body.person_id, "window"
    if body.person_id is not None and body.person_id != actor.subject:
        raise errors.book_only_for_yourself()
    return actor.subject, "online"


async def book(session: AsyncSession, body: AppointmentCreate, *, actor: Principal) -> Appointment:
    """Book a seat in a slot for the caller (or, for a clerk, for `person_id`)."""
    person_id, channel = _who_for(body, actor)
    slot = await session.get(AppointmentSlot, body.slot_id)
    if slot is None:
        raise errors.slot_not_found(body.slot_id)
    place = await get_place(session, slot.place_id)
    if not place.active:
        raise errors.place_inactive(place.name)
    now = utcnow()
    if slot.starts_at <= now:
        raise errors.slot_past(slot.starts_at)
    entry = await bookable_item(session, slot.item_code)

    await _lock_person(session, person_id)
    a = Appointment
    clash = (
        await session.execute(
            select(a.booking_no, a.starts_at).where(
                a.person_id == person_id,
                a.status == "booked",
                a.starts_at < slot.ends_at,
                a.ends_at > slot.starts_at,
            )
        )
    ).first()
    if clash is not None:
        raise errors.appointment_overlap(clash.booking_no, clash.starts_at)

    # The seat: taken only while one is left, decided by the database row, not by what we read.
    taken = await session.execute(
        update(AppointmentSlot)
        .where(AppointmentSlot.id == slot.id, AppointmentSlot.booked < AppointmentSlot.capacity)
        .values(booked=AppointmentSlot.booked + 1)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise errors.slot_full(slot.starts_at)

    appointment = Appointment(
        id=new_id(),
        booking_no=new_booking_no(slot.day),
        slot_id=slot.id,
        place_id=place.id,
        item_code=slot.item_code,
        item_name=entry.name,
        day=slot.day,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        person_id=person_id,
        person_name=body.person_name,
        phone=body.phone,
        status="booked",
        channel=channel,
        booked_by=actor.subject,
        booked_by_unit=(actor.org_unit_code or actor.org_unit) if actor.is_staff else None,
        created_at=now,
    )
    try:
        async with session.begin_nested():
            session.add(appointment)
    except IntegrityError:
        # The partial unique index (person, start) caught what the overlap check could not see.
        raise errors.appointment_overlap(None, slot.starts_at) from None

    await APPOINTMENT_EVENTS.publish(
        session,
        AppointmentBooked(
            appointment_id=appointment.id,
            booking_no=appointment.booking_no,
            place_id=place.id,
            place_code=place.code,
            place_unit_code=place.org_unit_code,
            item_code=appointment.item_code,
            item_name=appointment.item_name,
            day=appointment.day,
            starts_at=appointment.starts_at,
            ends_at=appointment.ends_at,
            period=slot.period,  # type: ignore[arg-type]
            person_id=person_id,
            channel=channel,  # type: ignore[arg-type]
            booked_by=actor.subject,
            booked_by_unit=appointment.booked_by_unit,
            booked_at=now,
        ),
    )
    await queue_message(
        session,
        kind="appointment_booked",
        phone=appointment.phone,
        person_id=person_id,
        application_id=None,
        appointment_id=appointment.id,
        params={
            "date": sms_date(appointment.day),
            "start": sms_time(appointment.starts_at),
            "end": sms_time(appointment.ends_at),
            "place_name": place.name,
            "item_name": appointment.item_name,
            "booking_no": appointment.booking_no,
        },
    )
    return appointment


async def get_visible(
    session: AsyncSession, appointment_id: str, *, actor: Principal
) -> tuple[Appointment, ServicePlace]:
    """The booking and its place if the caller may see it; 404 otherwise, as if it did not exist."""
    appointment = await session.get(Appointment, appointment_id)
    if appointment is None:
        raise errors.appointment_not_found(appointment_id)
    place = await get_place(session, appointment.place_id)
    if not may_see_booking(actor, appointment, place.org_unit_code):
        raise errors.appointment_not_found(appointment_id)
    return appointment, place


async def cancel(
    session: AsyncSession, appointment_id: str, *, actor: Principal, reason: str | None
) -> tuple[Appointment, ServicePlace]:
    """Cancel a booking before it starts and give its seat back."""
    appointment, place = await get_visible(session, appointment_id, actor=actor)
    now = utcnow()
    if appointment.status != "booked":
        raise errors.appointment_cancelled(appointment.booking_no)
    if appointment.starts_at <= now:
        raise errors.appointment_begun(appointment.booking_no)
    if actor.is_staff and not reason:
        raise UnprocessableEntity(
            "工作人员取消他人的预约时，请填写取消原因（reason）。",
            en="Staff cancelling a person's booking must give a reason.",
            code="validation_failed",
            field="reason",
        )
    a = Appointment
    # Conditional: of two concurrent cancellations only one gives the seat back.
    done = await session.execute(
        update(a)
        .where(a.id == appointment.id, a.status == "booked")
        .values(status="cancelled", cancelled_at=now, cancelled_by=actor.subject, cancel_reason=reason)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise errors.appointment_cancelled(appointment.booking_no)
    await session.execute(
        update(AppointmentSlot)
        .where(AppointmentSlot.id == appointment.slot_id)
        .values(booked=AppointmentSlot.booked - 1)
        .execution_options(synchronize_session=False)
    )
    await session.refresh(appointment)
    await APPOINTMENT_EVENTS.publish(
        session,
        AppointmentCancelled(
            appointment_id=appointment.id,
            booking_no=appointment.booking_no,
            place_id=place.id,
            place_code=place.code,
            place_unit_code=place.org_unit_code,
            item_code=appointment.item_code,
            day=appointment.day,
            starts_at=appointment.starts_at,
            person_id=appointment.person_id,
            cancelled_by=actor.subject,
            by_staff=actor.is_staff,
            reason=reason,
            cancelled_at=now,
        ),
    )
    await queue_message(
        session,
        kind="appointment_cancelled",
        phone=appointment.phone,
        person_id=appointment.person_id,
        application_id=None,
        appointment_id=appointment.id,
        params={
            "date": sms_date(appointment.day),
            "start": sms_time(appointment.starts_at),
            "place_name": place.name,
            "item_name": appointment.item_name,
            "booking_no": appointment.booking_no,
        },
    )
    return appointment, place


async def list_mine(
    session: AsyncSession,
    *,
    actor: Principal,
    include_cancelled: bool,
    upcoming_only: bool,
    limit: int,
    offset: int,
) -> tuple[list[Appointment], int]:
    """The caller's bookings (a clerk: the ones they made for people), by start time."""
    a = Appointment
    mine = a.booked_by == actor.subject
    if not actor.is_staff:
        mine = or_(a.person_id == actor.subject, mine)
    query = select(a).where(mine)
    if not include_cancelled:
        query = query.where(a.status == "booked")
    if upcoming_only:
        query = query.where(a.ends_at > utcnow())
    total = int(await session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    rows = await session.scalars(query.order_by(a.starts_at, a.id).limit(limit).offset(offset))
    return list(rows), total


async def list_for_place_day(
    session: AsyncSession,
    place: ServicePlace,
    day: date | None,
    *,
    actor: Principal,
    include_cancelled: bool,
    limit: int,
    offset: int,
) -> tuple[list[Appointment], int]:
    """A place's bookings on a day (today by default), for its managers."""
    require_manager(actor, place.org_unit_code)
    a = Appointment
    query = select(a).where(a.place_id == place.id, a.day == (day or local_date(utcnow())))
    if not include_cancelled:
        query = query.where(a.status == "booked")
    total = int(await session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    rows = await session.scalars(query.order_by(a.starts_at, a.id).limit(limit).offset(offset))
    return list(rows), total
