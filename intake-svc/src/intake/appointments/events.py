"""The appointment events intake-svc publishes (`intake.appointment.<event>.v1`)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import Field

from yiwang_shared.events.payloads import EventCatalog, EventPayload

SCHEMA_DIR = Path(__file__).resolve().parents[3] / "events"


class AppointmentBooked(EventPayload):
    """A person booked an appointment slot (预约成功), online or through a window clerk."""

    TYPE: ClassVar[str] = "intake.appointment.booked"
    VERSION: ClassVar[int] = 1

    appointment_id: str
    booking_no: str = Field(description="Booking number given to the person (预约号).")
    place_id: str
    place_code: str
    place_unit_code: str = Field(description="Org unit running the place.")
    item_code: str
    item_name: str
    day: date = Field(description="Local date (Asia/Shanghai).")
    starts_at: datetime
    ends_at: datetime
    period: Literal["regular", "extended", "weekend"] = Field(
        description="regular hours, extended hours (错峰延时) or weekend hours (周末)."
    )
    person_id: str
    channel: Literal["online", "window"] = Field(
        description="online (the person booked) or window (a clerk booked for them)."
    )
    booked_by: str = Field(description="Account that made the booking.")
    booked_by_unit: str | None
    booked_at: datetime


class AppointmentCancelled(EventPayload):
    """A booking was cancelled (取消预约) and its seat returned to the slot."""

    TYPE: ClassVar[str] = "intake.appointment.cancelled"
    VERSION: ClassVar[int] = 1

    appointment_id: str
    booking_no: str
    place_id: str
    place_code: str
    place_unit_code: str
    item_code: str
    day: date
    starts_at: datetime
    person_id: str
    cancelled_by: str
    by_staff: bool = Field(description="True when staff cancelled, not the person.")
    reason: str | None
    cancelled_at: datetime


EVENTS: tuple[type[EventPayload], ...] = (AppointmentBooked, AppointmentCancelled)

#: The appointment events; intake's main event catalogue should list these too.
APPOINTMENT_EVENTS = EventCatalog(producer="intake", schema_dir=SCHEMA_DIR, events=EVENTS)

if __name__ == "__main__":
    APPOINTMENT_EVENTS.main()
