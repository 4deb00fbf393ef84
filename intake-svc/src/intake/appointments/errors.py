"""Appointment errors, each with a stable code.

intake.place_not_found         404  no such service place
intake.place_code_taken        409  another place already has that code
intake.place_inactive          409  the place takes no bookings now
intake.slot_not_found          404  no such slot
intake.slot_full               409  the slot has no seat left (号源已满)
intake.slot_past               409  the slot has started or is over
intake.capacity_below_booked   409  a capacity lower than the seats already booked
intake.appointment_not_found   404  no such booking, or not one the caller may see
intake.appointment_overlap     409  the person already holds a booking at an overlapping time
intake.appointment_not_live    409  the booking is cancelled or has started
intake.appointments_unsupported 422 the catalogue item takes no appointments
intake.not_place_manager       403  the caller may not manage this place
intake.booking_forbidden       403  the caller may not book (for this person)
"""

from __future__ import annotations

from datetime import datetime

from yiwang_shared.errors import Conflict, Forbidden, NotFound, UnprocessableEntity


def place_not_found(place_id: str) -> NotFound:
    """No such place."""
    return NotFound(f"No service place {place_id}.", code="intake.place_not_found")


def place_code_taken(code: str) -> Conflict:
    """A place with that code exists."""
    return Conflict(
        f"A service place with code {code!r} already exists; choose another code.",
        code="intake.place_code_taken",
        field="code",
    )


def place_inactive(name: str) -> Conflict:
    """The place is closed for bookings."""
    return Conflict(f"{name} does not take appointments at present.", code="intake.place_inactive")


def slot_not_found(slot_id: str) -> NotFound:
    """No such slot."""
    return NotFound(f"No appointment slot {slot_id}.", code="intake.slot_not_found")


def slot_full(starts_at: datetime) -> Conflict:
    """No seat left."""
    return Conflict(
        f"The slot at {starts_at.isoformat()} is fully booked (号源已满); pick another slot.",
        code="intake.slot_full",
    )


def slot_past(starts_at: datetime) -> Conflict:
    """The slot has begun."""
    return Conflict(
        f"The slot at {starts_at.isoformat()} has already started; pick a later slot.",
        code="intake.slot_past",
    )


def capacity_below_booked(capacity: int, booked: int) -> Conflict:
    """A capacity below the bookings held."""
    return Conflict(
        f"Capacity {capacity} is below the {booked} seat(s) already booked; cancel bookings "
        f"first or set a capacity of at least {booked}.",
        code="intake.capacity_below_booked",
        field="capacity",
    )


def appointment_not_found(appointment_id: str) -> NotFound:
    """No such booking (or not the caller's to see)."""
    return NotFound(f"No appointment {appointment_id}.", code="intake.appointment_not_found")


def appointment_overlap(booking_no: str, starts_at: datetime) -> Conflict:
    """The person holds an overlapping booking."""
    return Conflict(
        f"This person already holds appointment {booking_no} at {starts_at.isoformat()}, which "
        "overlaps the chosen slot; cancel it first or pick another time.",
        code="intake.appointment_overlap",
        booking_no=booking_no,
    )


def appointment_not_live(booking_no: str, why: str) -> Conflict:
    """The booking cannot be cancelled."""
    return Conflict(
        f"Appointment {booking_no} cannot be cancelled: {why}.",
        code="intake.appointment_not_live",
    )


def appointments_unsupported(code: str) -> UnprocessableEntity:
    """The item takes no appointments."""
    return UnprocessableEntity(
        f"Catalogue item {code!r} does not take appointments (是否支持预约: 否).",
        code="intake.appointments_unsupported",
        field="item_code",
    )


def not_place_manager(unit_code: str) -> Forbidden:
    """The caller may not manage the place."""
    return Forbidden(
        f"Only administrators, or window clerks and supervisors of unit {unit_code}, may manage "
        "this place and its slots.",
        code="intake.not_place_manager",
    )


def booking_forbidden(detail: str) -> Forbidden:
    """The caller may not make this booking."""
    return Forbidden(detail, code="intake.booking_forbidden")
