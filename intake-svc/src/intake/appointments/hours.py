"""Opening hours of a place and the slots they give on a day (工作日、错峰延时、周末).

A place has three kinds of periods, each optionally limited to ISO weekdays (1 = Monday):
- `working_days`: the ordinary hours, on every working day of the shared calendar (so a make-up
  Saturday 调休上班 is open, a statutory holiday 法定节假日 on a weekday is closed);
- `extended` (错峰延时): extra hours on working days, such as the lunch break or the evening;
- `weekend` (周末): hours on Saturdays and Sundays that are not working days, unless the day
  belongs to a statutory holiday (National Day week, Spring Festival …), when the place is closed.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

import chinese_calendar
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from yiwang_shared.calendar import SHANGHAI, WorkingCalendar
from yiwang_shared.i18n import TextError

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


def is_statutory_holiday(day: date) -> bool:
    """True if `day` is part of a statutory holiday (法定节假日), weekend days in it included."""
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:  # a year the package does not cover: only weekends then
        return False
    return bool(on_holiday and name)


def periods_on(hours: PlaceHours, day: date, calendar: WorkingCalendar) -> list[tuple[Period, PeriodKind]]:
    """The (period, kind) pairs a place is open on `day`, by the shared working-day calendar."""
    if calendar.is_working_day(day):
        return [(p, "regular") for p in hours.working_days if p.applies_on(day)] + [
            (p, "extended") for p in hours.extended if p.applies_on(day)
        ]
    if day.isoweekday() >= 6 and not is_statutory_holiday(day):
        return [(p, "weekend") for p in hours.weekend if p.applies_on(day)]
    return []


@dataclass(frozen=True)
class SlotTime:
    """One slot's day, start and end (aware UTC) and the kind of period it lies in."""

    day: date
    starts_at: datetime
    ends_at: datetime
    period: PeriodKind


def slot_times(
    hours: PlaceHours,
    calendar: WorkingCalendar,
    *,
    first_day: date,
    days: int,
    slot_minutes: int,
) -> Iterator[SlotTime]:
    """Slots of `slot_minutes` in every open period of `days` days from `first_day`."""
    length = timedelta(minutes=slot_minutes)
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        for period, kind in periods_on(hours, day, calendar):
            start = datetime.combine(day, period.start, tzinfo=SHANGHAI)
            close = datetime.combine(day, period.end, tzinfo=SHANGHAI)
            # A slot that would run past closing time is not offered.
            while start + length <= close:
                yield SlotTime(day, start.astimezone(UTC), (start + length).astimezone(UTC), kind)
                start += length
