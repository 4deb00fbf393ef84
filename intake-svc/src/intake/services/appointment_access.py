"""Who may manage a place and see or change a booking."""

from __future__ import annotations

from yiwang_shared.auth import Principal

from ..models.appointments import Appointment

#: Staff roles that manage the places of their own unit (admins manage every place).
PLACE_MANAGER_ROLES = frozenset({"window_clerk", "supervisor"})
#: Staff roles that may book for a person (帮约): any window clerk, as any window takes any item.
BOOK_FOR_OTHERS_ROLES = frozenset({"window_clerk"})


def in_unit(staff_unit: str | None, unit_code: str) -> bool:
    """True if `staff_unit` is `unit_code` or one of its sub-units (110105-ZWFW-W01 in 110105-ZWFW)."""
    if not staff_unit:
        return False
    return staff_unit == unit_code or staff_unit.startswith(unit_code + "-")


def manages_unit(principal: Principal, unit_code: str) -> bool:
    """True for admins and for window clerks / supervisors of the unit (or a sub-unit of it)."""
    if principal.is_admin:
        return True
    return (
        principal.is_staff
        and bool(principal.roles & PLACE_MANAGER_ROLES)
        and in_unit(principal.org_unit_code, unit_code)
    )


def may_book_for_others(principal: Principal) -> bool:
    """True for staff allowed to book on a person's behalf."""
    return principal.is_admin or (principal.is_staff and bool(principal.roles & BOOK_FOR_OTHERS_ROLES))


def may_see_booking(principal: Principal, appointment: Appointment, place_unit: str) -> bool:
    """The person booked for, whoever booked it, and the place's managers."""
    if not principal.is_staff and appointment.person_id == principal.subject:
        return True
    if appointment.booked_by == principal.subject:
        return True
    return manages_unit(principal, place_unit)
