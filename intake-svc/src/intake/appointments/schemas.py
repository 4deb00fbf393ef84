"""Request and response models of the appointment API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from yiwang_shared.i18n import TextError
from yiwang_shared.pagination import Page
from yiwang_shared.validators import MobilePhone

from .hours import PeriodKind, PlaceHours

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,49}$"


class PlaceCreate(BaseModel):
    """A new service place (办事场所): a hall or centre with its hours."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=CODE_PATTERN, description="Place code, unique, e.g. 110105-ZWFW-HALL1.")
    name: str = Field(min_length=1, max_length=200, description="Name (场所名称).")
    org_unit_code: str = Field(
        min_length=1, max_length=50, description="Org unit running the place (所属单位), e.g. 110105-ZWFW."
    )
    address: str = Field(min_length=1, max_length=300, description="Address (地址).")
    phone: str | None = Field(default=None, max_length=30, description="Enquiry phone (咨询电话).")
    hours: PlaceHours
    slot_minutes: int = Field(default=30, ge=5, le=240, description="Slot length in minutes.")

    @field_validator("name", "address", "org_unit_code")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise TextError("不能为空，请填写", "must not be blank")
        return value.strip()


class PlaceUpdate(BaseModel):
    """Changes to a place; omitted fields keep their value. Existing slots are not moved."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    address: str | None = Field(default=None, min_length=1, max_length=300)
    phone: str | None = Field(default=None, max_length=30)
    hours: PlaceHours | None = None
    slot_minutes: int | None = Field(default=None, ge=5, le=240)
    active: bool | None = Field(default=None, description="False stops new bookings.")


class PlaceRead(BaseModel):
    """A service place."""

    id: str
    code: str
    name: str
    org_unit_code: str
    address: str
    phone: str | None
    hours: PlaceHours
    slot_minutes: int
    active: bool


class SlotGenerate(BaseModel):
    """Generate slots for an item from the place's hours (existing slots are kept as they are)."""

    model_config = ConfigDict(extra="forbid")

    item_code: str = Field(min_length=1, max_length=50, description="Catalog item code (实施编码).")
    first_day: date | None = Field(default=None, description="First day (local); default tomorrow.")
    days: int = Field(default=14, ge=1, le=90, description="How many calendar days to cover.")
    capacity: int = Field(ge=1, le=1000, description="Seats per slot (号源数).")
    slot_minutes: int | None = Field(
        default=None, ge=5, le=240, description="Slot length; default the place's."
    )


class SlotGenerationRead(BaseModel):
    """What slot generation did."""

    created: int = Field(description="Slots created now.")
    existing: int = Field(description="Slots that were already there and were kept as they are.")
    first_day: date = Field(description="First day covered (local date).")
    last_day: date = Field(description="Last day covered (local date).")


class SlotUpdate(BaseModel):
    """A new capacity for a slot (not below the seats already booked)."""

    model_config = ConfigDict(extra="forbid")

    capacity: int = Field(ge=0, le=1000)


class SlotRead(BaseModel):
    """A bookable slot."""

    id: str
    place_id: str
    item_code: str
    item_name: str
    day: date
    starts_at: datetime
    ends_at: datetime
    period: PeriodKind = Field(description="regular 常规, extended 错峰延时 or weekend 周末.")
    capacity: int
    booked: int
    available: int


class SlotPage(Page[SlotRead]):
    """A page of slots, by start time."""


class AppointmentCreate(BaseModel):
    """Book a slot: for oneself, or (window clerk) for a person named by `person_id`."""

    model_config = ConfigDict(extra="forbid")

    slot_id: str = Field(min_length=1, max_length=36)
    phone: MobilePhone = Field(description="Mobile number for the confirmation SMS (联系电话).")
    person_name: str | None = Field(default=None, max_length=100, description="Name (姓名).")
    person_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        description="Account id of the person booked for; only for a window clerk booking.",
    )


class AppointmentCancel(BaseModel):
    """Why a booking is cancelled (optional for the person, recorded for staff)."""

    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, max_length=500)


class AppointmentRead(BaseModel):
    """A booking (预约)."""

    id: str
    booking_no: str = Field(description="Booking number (预约号).")
    slot_id: str
    place_id: str
    place_name: str
    place_address: str
    item_code: str
    item_name: str
    day: date
    starts_at: datetime
    ends_at: datetime
    person_id: str
    person_name: str | None
    phone: str = Field(description="Masked mobile number.")
    status: Literal["booked", "cancelled"]
    channel: Literal["online", "window"]
    booked_by: str
    created_at: datetime
    cancelled_at: datetime | None
    cancel_reason: str | None


class AppointmentPage(Page[AppointmentRead]):
    """A page of bookings, by start time."""


class PlacePage(Page[PlaceRead]):
    """A page of places, by code."""
