"""Days and months of the district's calendar (Asia/Shanghai) as UTC instants, for queries.

The ends of the calendar saturate: midnight of 0001-01-01 in Beijing is before the first instant
`datetime` can hold in UTC, and the day after 9999-12-31 after its last, so a range touching them
reaches to the beginning or the end of time instead of failing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from yiwang_shared.calendar import SHANGHAI

BEGINNING = datetime.min.replace(tzinfo=UTC)
END = datetime.max.replace(tzinfo=UTC)


def day_start(day: date) -> datetime:
    """The first instant of `day` in Beijing, in UTC."""
    try:
        return datetime.combine(day, time.min, SHANGHAI).astimezone(UTC)
    except OverflowError:
        return BEGINNING


def day_end(day: date) -> datetime:
    """The first instant after `day` in Beijing, in UTC (an exclusive upper bound)."""
    return END if day == date.max else day_start(day + timedelta(days=1))


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """[start, end) of a month (YYYY-MM, validated by `MonthQuery`) in Beijing, in UTC."""
    year, mon = int(month[:4]), int(month[5:7])
    if year < 1:  # the YYYY-MM pattern lets 0000 through: it has no days
        return BEGINNING, BEGINNING
    first = day_start(date(year, mon, 1))
    if (year, mon) == (9999, 12):
        return first, END
    return first, day_start(date(year + (mon == 12), mon % 12 + 1, 1))
