"""Request and response models of the queue API (排队叫号)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from yiwang_shared.i18n import TextError
from yiwang_shared.pagination import Page
from yiwang_shared.validators import MobilePhone

from ..lifecycles import TicketStatus

TicketChannel = Literal["kiosk", "online", "appointment"]
CATEGORY_PATTERN = r"^[A-Z]$"
ITEM_PATTERN = r"^(\*|[A-Za-z0-9][A-Za-z0-9_.\-]{0,49})$"


def _not_blank(value: str) -> str:
    if not value.strip():
        raise TextError("不能为空，请填写", "must not be blank")
    return value.strip()


class HallCategoryUpdate(BaseModel):
    """A ticket category (号类): its letter, name and the items it covers."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(
        pattern=CATEGORY_PATTERN, description="One capital letter, the numbers' prefix (A → A001)."
    )
    name: str = Field(min_length=1, max_length=100, description="What the kiosk shows (综合受理, 出件).")
    item_codes: list[str] = Field(
        default=[],
        max_length=500,
        description='Catalog item codes (实施编码) of this category; ["*"]: any item not listed elsewhere; '
        "[]: taken by category only (出件领证).",
    )

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return _not_blank(value)

    @field_validator("item_codes")
    @classmethod
    def _codes(cls, value: list[str]) -> list[str]:
        for code in value:
            if not re.match(ITEM_PATTERN, code):
                raise TextError(f"事项编码“{code[:50]}”格式不对", f"item code {code[:50]!r} is malformed")
        if len(set(value)) != len(value):
            raise TextError("事项编码有重复", "item codes repeat")
        return value


class HallWindowUpdate(BaseModel):
    """A window (窗口): an identity-svc org unit inside the place's unit, its number and categories."""

    model_config = ConfigDict(extra="forbid")

    unit_code: str = Field(
        min_length=1,
        max_length=64,
        description="The window's org unit code (e.g. 110105-ZWFW-W01); its window clerks call here.",
    )
    number: str = Field(
        min_length=1, max_length=10, description="Window number shown and announced (1, 2, 12A)."
    )
    name: str | None = Field(
        default=None,
        max_length=100,
        description="Display name; default the org unit's name, else '<number>号窗口'.",
    )
    category_codes: list[str] = Field(min_length=1, max_length=26, description="Categories it calls (A, B).")

    @field_validator("unit_code", "number")
    @classmethod
    def _text(cls, value: str) -> str:
        return _not_blank(value)

    @field_validator("category_codes")
    @classmethod
    def _categories(cls, value: list[str]) -> list[str]:
        if any(not re.match(CATEGORY_PATTERN, c) for c in value):
            raise TextError("业务类别应为一个大写字母", "categories are one capital letter each")
        if len(set(value)) != len(value):
            raise TextError("业务类别有重复", "categories repeat")
        return value


class HallUpdate(BaseModel):
    """A hall's whole queue configuration (replaces the previous one)."""

    model_config = ConfigDict(extra="forbid")

    wait_limit_minutes: int = Field(
        default=20, ge=1, le=240, description="限时等候: a number should be called within this many minutes."
    )
    max_waiting: int = Field(
        default=300,
        ge=1,
        le=2000,
        description="At most this many numbers wait at once; the kiosk then refuses.",
    )
    active: bool = Field(default=True, description="False: the kiosk gives no numbers (calling goes on).")
    categories: list[HallCategoryUpdate] = Field(min_length=1, max_length=26)
    windows: list[HallWindowUpdate] = Field(default=[], max_length=100)


class HallCategoryRead(BaseModel):
    """A ticket category."""

    code: str
    name: str
    item_codes: list[str]


class HallWindowRead(BaseModel):
    """A window of the hall."""

    id: str
    unit_code: str
    number: str
    name: str
    category_codes: list[str]
    active: bool


class HallRead(BaseModel):
    """A place's queue configuration (an unconfigured place: `configured` false, the defaults)."""

    place_id: str
    place_code: str
    place_name: str
    configured: bool
    wait_limit_minutes: int = Field(description="限时等候, minutes.")
    max_waiting: int
    active: bool
    categories: list[HallCategoryRead]
    windows: list[HallWindowRead] = Field(description="Active windows, by number.")
    updated_at: datetime | None
    updated_by: str | None


class QueueTicketCreate(BaseModel):
    """Take a number (取号) for an item or a category: give exactly one."""

    model_config = ConfigDict(extra="forbid")

    item_code: str | None = Field(
        default=None, min_length=1, max_length=50, description="Catalog item code; its category is found."
    )
    category_code: str | None = Field(
        default=None, pattern=CATEGORY_PATTERN, description="Category letter (A)."
    )

    @model_validator(mode="after")
    def _one(self) -> QueueTicketCreate:
        if (self.item_code is None) == (self.category_code is None):
            raise TextError(
                "请填写事项编码（item_code）或业务类别（category_code）中的一个",
                "give exactly one of item_code and category_code",
            )
        return self


class CheckInCreate(BaseModel):
    """Check in a booking at the kiosk (预约签到): its number and the mobile it was booked with."""

    model_config = ConfigDict(extra="forbid")

    booking_no: str = Field(
        min_length=1, max_length=30, description="Booking number (预约号), YY20261123-7KQ2M9XD."
    )
    phone: MobilePhone = Field(description="The mobile number given when booking.")


class QueueTicketRead(BaseModel):
    """A queue ticket (排队号)."""

    id: str
    ticket_no: str = Field(description="Number as shown and called (A001).")
    place_id: str
    place_name: str
    day: date = Field(description="Local day (Asia/Shanghai) the number belongs to.")
    category_code: str
    category_name: str
    item_code: str | None
    item_name: str | None
    priority: bool = Field(description="A checked-in appointment: called before walk-ins.")
    channel: TicketChannel = Field(description="kiosk 取号机, online 登录取号, appointment 预约签到.")
    appointment_id: str | None
    status: TicketStatus = Field(
        description="waiting 等候中, called 已叫号, serving 办理中, completed 已办结, no_show 已过号."
    )
    taken_at: datetime
    wait_limit_minutes: int = Field(description="限时等候 in force when the number was taken.")
    waiting_ahead: int | None = Field(description="While waiting: numbers called before this one.")
    expected_wait_minutes: int | None = Field(description="While waiting: the expected wait from now.")
    window_number: str | None
    window_name: str | None
    called_at: datetime | None = Field(description="First call.")
    last_called_at: datetime | None
    call_count: int = Field(description="Calls so far (重呼 included).")
    wait_minutes: float | None = Field(description="Taken → first called, minutes (等候时长).")
    serving_at: datetime | None
    finished_at: datetime | None


class QueueTicketPage(Page[QueueTicketRead]):
    """A page of tickets, oldest first."""


class ClerkWindowRead(BaseModel):
    """The caller's window: its hall, how many wait for it, and its open ticket."""

    place_id: str
    place_name: str
    window: HallWindowRead
    waiting: int = Field(description="Numbers waiting in the window's categories today.")
    current: QueueTicketRead | None = Field(description="The ticket called or being served at the window.")


class DisplayCallRead(BaseModel):
    """A number called, for the hall's screen."""

    ticket_no: str
    window_number: str
    window_name: str
    called_at: datetime = Field(description="The newest call (重呼 included).")
    recalled: bool = Field(description="Called more than once (重呼).")


class DisplayCategoryRead(BaseModel):
    """A category's queue, for the hall's screen."""

    code: str
    name: str
    waiting: int
    windows_open: int = Field(description="Active windows calling this category.")
    expected_wait_minutes: int | None = Field(
        description="For a number taken now; null when no window calls it."
    )
    estimate: Literal["measured", "default"] = Field(
        description="measured: from the windows' recent service times; default: no data yet, the setting."
    )


class HallDisplayRead(BaseModel):
    """What the hall's big screen shows (no personal data)."""

    place_id: str
    place_name: str
    day: date
    wait_limit_minutes: int
    recent_calls: list[DisplayCallRead] = Field(description="Newest first.")
    categories: list[DisplayCategoryRead]
    generated_at: datetime


class QueueWaitIndicatorRead(BaseModel):
    """Waiting times of a hall over a period (限时等候 indicator)."""

    place_id: str
    place_name: str
    from_day: date = Field(description="First local day, inclusive.")
    to_day: date = Field(description="Last local day, inclusive.")
    wait_limit_minutes: int = Field(description="The hall's limit now (each ticket is held to its own).")
    tickets: int = Field(description="Numbers taken in the period.")
    called: int = Field(description="Of them called: the sample of the averages and the rate.")
    average_wait_minutes: float | None = Field(description="Taken → first called; null without a sample.")
    over_limit: int = Field(description="Called after their limit.")
    over_limit_rate: float | None = Field(
        description="超时等候率: over_limit / called (0–1); null without a sample."
    )
    never_called: int = Field(description="Taken and never called (left, or still waiting).")
    no_show: int = Field(description="Called and marked 过号.")
