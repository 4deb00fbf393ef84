"""The slots a place's opening hours give on a day (工作日、错峰延时、周末).

A place has three kinds of periods (`schemas.appointments.PlaceHours`), each optionally limited
to ISO weekdays (1 = Monday):
- `working_days`: the ordinary hours, on every working day of the shared calendar (so a make-up
  Saturday 调休上班 is open, a statutory holiday 法定节假日 on a weekday is closed);
- `extended` (错峰延时): extra hours on working days, such as the lunch break or the evening;
- `weekend` (周末): hours on Saturdays and Sundays that are not working days, unless the day
  belongs to a statutory holiday (National Day week, Spring Festival …), when the place is closed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import chinese_calendar

from yiwang_shared.calendar import SHANGHAI, WorkingCalendar

from ..schemas.appointments import Period, PeriodKind, PlaceHours


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
