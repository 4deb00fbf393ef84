"""Appointment errors, each with a stable code; texts in Chinese, and English for `en`.

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

from yiwang_shared.calendar import SHANGHAI
from yiwang_shared.errors import Conflict, Forbidden, NotFound, UnprocessableEntity


def _when(at: datetime) -> str:
    """A slot's start as a person reads it: 2026年11月23日 09:30 (Beijing time)."""
    local = at.astimezone(SHANGHAI)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def place_not_found(place_id: str) -> NotFound:
    """No such place."""
    return NotFound(
        f"未找到办事场所 {place_id}，请核对场所编号。",
        en=f"No service place {place_id}.",
        code="intake.place_not_found",
    )


def place_code_taken(code: str) -> Conflict:
    """A place with that code exists."""
    return Conflict(
        f"场所编码“{code}”已被其他办事场所使用，请换一个编码。",
        en=f"A service place with code {code!r} already exists; choose another code.",
        code="intake.place_code_taken",
        field="code",
    )


def place_inactive(name: str) -> Conflict:
    """The place is closed for bookings."""
    return Conflict(
        f"{name}目前暂停预约，请选择其他办事场所。",
        en=f"{name} does not take appointments at present.",
        code="intake.place_inactive",
    )


def slot_not_found(slot_id: str) -> NotFound:
    """No such slot."""
    return NotFound(
        f"未找到预约时段 {slot_id}，请重新查询可预约的时段。",
        en=f"No appointment slot {slot_id}.",
        code="intake.slot_not_found",
    )


def slot_full(starts_at: datetime) -> Conflict:
    """No seat left."""
    return Conflict(
        f"{_when(starts_at)} 的号源已满，请选择其他时段。",
        en=f"The slot at {starts_at.isoformat()} is fully booked (号源已满); pick another slot.",
        code="intake.slot_full",
    )


def slot_past(starts_at: datetime) -> Conflict:
    """The slot has begun."""
    return Conflict(
        f"{_when(starts_at)} 的时段已经开始，请选择更晚的时段。",
        en=f"The slot at {starts_at.isoformat()} has already started; pick a later slot.",
        code="intake.slot_past",
    )


def capacity_below_booked(capacity: int, booked: int) -> Conflict:
    """A capacity below the bookings held."""
    return Conflict(
        f"号源数 {capacity} 少于已预约的 {booked} 个，请先取消部分预约，或将号源数设为不少于 {booked}。",
        en=f"Capacity {capacity} is below the {booked} seat(s) already booked; cancel bookings "
        f"first or set a capacity of at least {booked}.",
        code="intake.capacity_below_booked",
        field="capacity",
    )


def appointment_not_found(appointment_id: str) -> NotFound:
    """No such booking (or not the caller's to see)."""
    return NotFound(
        f"未找到预约 {appointment_id}，请核对预约编号。",
        en=f"No appointment {appointment_id}.",
        code="intake.appointment_not_found",
    )


def appointment_overlap(booking_no: str | None, starts_at: datetime) -> Conflict:
    """The person holds an overlapping booking."""
    held = f"预约 {booking_no}" if booking_no else "另一个预约"
    return Conflict(
        f"此人已有{held}（{_when(starts_at)}），与所选时段重叠。请先取消原预约，或选择其他时间。",
        en=f"This person already holds appointment {booking_no or '(another booking)'} at "
        f"{starts_at.isoformat()}, which overlaps the chosen slot; cancel it first or pick another time.",
        code="intake.appointment_overlap",
        booking_no=booking_no,
    )


def appointment_cancelled(booking_no: str) -> Conflict:
    """The booking is already cancelled."""
    return Conflict(
        f"预约 {booking_no} 已经取消，无需再次取消。",
        en=f"Appointment {booking_no} cannot be cancelled: it is already cancelled.",
        code="intake.appointment_not_live",
    )


def appointment_begun(booking_no: str) -> Conflict:
    """The booking's time has begun."""
    return Conflict(
        f"预约 {booking_no} 的时间已经开始，不能再取消。",
        en=f"Appointment {booking_no} cannot be cancelled: its time has begun.",
        code="intake.appointment_not_live",
    )


def appointments_unsupported(code: str) -> UnprocessableEntity:
    """The item takes no appointments."""
    return UnprocessableEntity(
        f"事项“{code}”不支持预约（是否支持预约：否），请直接到窗口办理或选择其他事项。",
        en=f"Catalog item {code!r} does not take appointments (是否支持预约: 否).",
        code="intake.appointments_unsupported",
        field="item_code",
    )


def not_place_manager(unit_code: str) -> Forbidden:
    """The caller may not manage the place."""
    return Forbidden(
        f"只有管理员，或单位 {unit_code} 的窗口工作人员和监督人员，才能管理该办事场所及其预约时段。",
        en=f"Only administrators, or window clerks and supervisors of unit {unit_code}, may manage "
        "this place and its slots.",
        code="intake.not_place_manager",
    )


def staff_may_not_book() -> Forbidden:
    """Staff other than window clerks may not book for people."""
    return Forbidden(
        "只有窗口工作人员或管理员可以为他人预约。",
        en="Only window clerks (window_clerk) or administrators may book for a person.",
        code="intake.booking_forbidden",
    )


def book_only_for_yourself() -> Forbidden:
    """A citizen named someone else."""
    return Forbidden(
        "您只能为自己预约，请不要填写 person_id；如需为他人预约，请到窗口办理。",
        en="You can book only for yourself; leave person_id out (a window clerk can book for someone else).",
        code="intake.booking_forbidden",
    )
