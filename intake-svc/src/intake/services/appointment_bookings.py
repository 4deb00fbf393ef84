"""Booking and cancelling (预约、取消预约): capacity and the no-overlap rule held by the database."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import SHANGHAI, local_date
from yiwang_shared.errors import ValidationFailed
from yiwang_shared.lifecycle import TransitionRefused
from yiwang_shared.orm import new_id, utcnow

from .. import errors, events
from ..lifecycles import APPOINTMENT
from ..models.appointments import Appointment, AppointmentSlot, ServicePlace
from ..repositories.appointments import AppointmentRepository, SlotRepository
from ..schemas.appointments import AppointmentCreate
from .appointment_access import may_book_for_others, may_see_booking
from .appointment_places import bookable_item, get_place, require_manager
from .catalogue import CatalogueEntry
from .notification_outbox import queue_message

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


def _who_for(body: AppointmentCreate, actor: Principal) -> tuple[str, str]:
    """(person_id, channel) of a booking, or 403/422 when the caller may not book it."""
    if actor.is_staff:
        if not may_book_for_others(actor):
            raise errors.staff_may_not_book()
        if not body.person_id:
            raise ValidationFailed(
                "为他人预约时，请填写被预约人的账号（person_id）。",
                en="A clerk booking for a person must give person_id (the person's account id).",
                field="person_id",
            )
        return body.person_id, "window"
    if body.person_id is not None and body.person_id != actor.subject:
        raise errors.book_only_for_yourself()
    return actor.subject, "online"


async def _bookable_slot(
    session: AsyncSession, slot_id: str, now: datetime
) -> tuple[AppointmentSlot, ServicePlace]:
    """The slot and its place, if it can still be booked: 404 or 409 otherwise."""
    slot = await SlotRepository(session).find(slot_id)
    if slot is None:
        raise errors.slot_not_found(slot_id)
    place = await get_place(session, slot.place_id)
    if not place.active:
        raise errors.place_inactive(place.name)
    if slot.starts_at <= now:
        raise errors.slot_past(slot.starts_at)
    return slot, place


async def _take_seat(session: AsyncSession, slot: AppointmentSlot, person_id: str) -> None:
    """Hold a seat in the slot for the person: 409 on an overlapping booking or a full slot."""
    repo = AppointmentRepository(session)
    await repo.lock_person(person_id)
    clash = await repo.find_overlap(person_id, slot.starts_at, slot.ends_at)
    if clash is not None:
        raise errors.appointment_overlap(clash.booking_no, clash.starts_at)
    # The seat: taken only while one is left, decided by the database row, not by what we read.
    if not await SlotRepository(session).take_seat(slot.id):
        raise errors.slot_full(slot.starts_at)


async def _announce_booked(
    session: AsyncSession, appointment: Appointment, slot: AppointmentSlot, place: ServicePlace
) -> None:
    """The booked event and the confirming SMS."""
    await events.publish(
        session,
        events.AppointmentBooked(
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
            person_id=appointment.person_id,
            channel=appointment.channel,  # type: ignore[arg-type]
            booked_by=appointment.booked_by,
            booked_by_unit=appointment.booked_by_unit,
            booked_at=appointment.created_at,
        ),
    )
    await queue_message(
        session,
        kind="appointment_booked",
        phone=appointment.phone,
        person_id=appointment.person_id,
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


def _new_appointment(
    body: AppointmentCreate,
    slot: AppointmentSlot,
    entry: CatalogueEntry,
    *,
    person_id: str,
    channel: str,
    actor: Principal,
    now: datetime,
) -> Appointment:
    """The booking row of a seat in `slot`."""
    return Appointment(
        id=new_id(),
        booking_no=new_booking_no(slot.day),
        slot_id=slot.id,
        place_id=slot.place_id,
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


async def book(session: AsyncSession, body: AppointmentCreate, *, actor: Principal) -> Appointment:
    """Book a seat in a slot for the caller (or, for a clerk, for `person_id`)."""
    person_id, channel = _who_for(body, actor)
    now = utcnow()
    slot, place = await _bookable_slot(session, body.slot_id, now)
    entry = await bookable_item(session, slot.item_code)
    await _take_seat(session, slot, person_id)
    appointment = _new_appointment(
        body, slot, entry, person_id=person_id, channel=channel, actor=actor, now=now
    )
    if not await AppointmentRepository(session).add_unique(appointment):
        # The partial unique index (person, start) caught what the overlap check could not see.
        raise errors.appointment_overlap(None, slot.starts_at)
    await _announce_booked(session, appointment, slot, place)
    return appointment


async def get_visible(
    session: AsyncSession, appointment_id: str, *, actor: Principal
) -> tuple[Appointment, ServicePlace]:
    """The booking and its place if the caller may see it; 404 otherwise, as if it did not exist."""
    appointment = await AppointmentRepository(session).find(appointment_id)
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
    try:
        APPOINTMENT.target(appointment.status, "cancel")
    except TransitionRefused:
        raise errors.appointment_cancelled(appointment.booking_no) from None
    if appointment.starts_at <= now:
        raise errors.appointment_begun(appointment.booking_no)
    if actor.is_staff and not reason:
        raise ValidationFailed(
            "工作人员取消他人的预约时，请填写取消原因（reason）。",
            en="Staff cancelling a person's booking must give a reason.",
            field="reason",
        )
    # Conditional: of two concurrent cancellations only one gives the seat back.
    cancelled = await AppointmentRepository(session).cancel(
        appointment.id, cancelled_at=now, cancelled_by=actor.subject, cancel_reason=reason
    )
    if not cancelled:
        raise errors.appointment_cancelled(appointment.booking_no)
    await SlotRepository(session).give_back_seat(appointment.slot_id)
    await session.refresh(appointment)
    await events.publish(
        session,
        events.AppointmentCancelled(
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
    return await AppointmentRepository(session).page_of(
        actor.subject,
        as_person=not actor.is_staff,
        include_cancelled=include_cancelled,
        ends_after=utcnow() if upcoming_only else None,
        limit=limit,
        offset=offset,
    )


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
    return await AppointmentRepository(session).page_of_place_day(
        place.id, day or local_date(utcnow()), include_cancelled=include_cancelled, limit=limit, offset=offset
    )
