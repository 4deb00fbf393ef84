"""Request and response models of the appointment API, and a place's opening hours (营业时间)."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from yiwang_shared.i18n import TextError
from yiwang_shared.pagination import Page
from yiwang_shared.validators import MobilePhone

from ..lifecycles import AppointmentStatus

#: The kind of period a slot lies in: ordinary, extended (错峰延时) or weekend (周末) hours.
PeriodKind = Literal["regular", "extended", "weekend"]
WEEKDAYS_ZH = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五", 6: "六", 7: "日"}
LABELS_ZH = {"working_days/extended": "工作日时段和错峰延时时段", "weekend": "周末时段"}


class Period(BaseModel):
    """An opening period, e.g. 09:00–12:00, on some weekdays (all when omitted)."""

    model_config = ConfigDict(extra="forbid")

    # RFC 3339 `partial-time` (no offset): JSON Schema's `time` format demands an offset, which
    # these local opening hours never carry.
    start: time = Field(
        description="Opens at (local time, Asia/Shanghai), e.g. 09:00.",
        json_schema_extra={"format": "partial-time"},
    )
    end: time = Field(
        description="Closes at; after `start`, e.g. 12:00.", json_schema_extra={"format": "partial-time"}
    )
    weekdays: list[int] | None = Field(
        default=None,
        description="ISO weekdays the period applies to (1 = Monday … 7 = Sunday); all if omitted.",
    )

    @field_validator("start", "end")
    @classmethod
    def _local(cls, value: time) -> time:
        # Opening hours are the place's local clock; an offset would make start and end
        # incomparable (one aware, one naive) and means nothing here.
        if value.tzinfo is not None:
            raise TextError(
                f"开放时间请填写不带时区的本地时间（北京时间），如 {value:%H:%M}",
                f"opening hours are local times without an offset, e.g. {value:%H:%M}",
            )
        return value

    @model_validator(mode="after")
    def _check(self) -> Period:
        if self.end <= self.start:
            raise TextError(
                f"结束时间 {self.end:%H:%M} 应晚于开始时间 {self.start:%H:%M}",
                f"period end {self.end:%H:%M} must be after start {self.start:%H:%M}",
            )
        if self.weekdays is not None:
            bad = [d for d in self.weekdays if not 1 <= d <= 7]
            if bad:
                raise TextError(
                    f"星期应为 1（星期一）至 7（星期日），现为 {bad}",
                    f"weekdays must be 1 (Monday) to 7 (Sunday), got {bad}",
                )
            if not self.weekdays:
                raise TextError(
                    "填写 weekdays 时至少要有一天", "weekdays, when given, must name at least one day"
                )
            if len(set(self.weekdays)) != len(self.weekdays):
                raise TextError("weekdays 中的星期不能重复", "weekdays must not repeat")
        return self

    def applies_on(self, day: date) -> bool:
        """True if the period is open on `day`'s weekday."""
        return self.weekdays is None or day.isoweekday() in self.weekdays


class PlaceHours(BaseModel):
    """A place's opening hours (营业时间): ordinary, extended (错峰延时) and weekend (周末)."""

    model_config = ConfigDict(extra="forbid")

    working_days: list[Period] = Field(
        min_length=1, max_length=10, description="Ordinary hours on working days (工作日)."
    )
    extended: list[Period] = Field(
        default_factory=list,
        max_length=10,
        description="Extended off-peak hours on working days (错峰延时), e.g. lunch or evening.",
    )
    weekend: list[Period] = Field(
        default_factory=list,
        max_length=10,
        description="Hours on non-working Saturdays/Sundays (周末); closed on statutory holidays.",
    )

    @model_validator(mode="after")
    def _no_overlap(self) -> PlaceHours:
        # Ordinary and extended hours share a working day: together they must not overlap.
        for weekday in range(1, 8):
            for group, label in (
                ([*self.working_days, *self.extended], "working_days/extended"),
                (self.weekend, "weekend"),
            ):
                spans = sorted((p.start, p.end) for p in group if p.weekdays is None or weekday in p.weekdays)
                for (_s1, e1), (s2, _e2) in itertools.pairwise(spans):
                    if s2 < e1:
                        raise TextError(
                            f"{LABELS_ZH[label]}在星期{WEEKDAYS_ZH[weekday]}有重叠"
                            f"（{s2:%H:%M} 开始的时段与 {e1:%H:%M} 结束的时段相交），请调整为互不重叠",
                            f"{label} periods overlap on weekday {weekday} "
                            f"({s2:%H:%M} starts before {e1:%H:%M}); make them disjoint",
                        )
        return self


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
    status: AppointmentStatus
    channel: Literal["online", "window"]
    booked_by: str
    created_at: datetime
    cancelled_at: datetime | None
    cancel_reason: str | None


class AppointmentPage(Page[AppointmentRead]):
    """A page of bookings, by start time."""


class PlacePage(Page[PlaceRead]):
    """A page of places, by code."""
