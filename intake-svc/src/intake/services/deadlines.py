"""Time limits in working days (shared calendar: 法定节假日 and weekends off, 调休 days on).

Day 1 is the first working day after acceptance. A special procedure started on day P and ended
on day R pauses the working days in (P, R]; the due date moves by exactly those days, so a pause
across a holiday moves it by the working days only.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from yiwang_shared.calendar import WorkingCalendar, local_date

if TYPE_CHECKING:
    from ..models.applications import Application

#: 法定办结时限 when the item names none (行政许可法 第四十二条: 二十日).
DEFAULT_LIMIT_DAYS = 20


def notice_due_on(calendar: WorkingCalendar, received_at: datetime, window_days: int) -> date:
    """Last day on which the one-time notice may be issued."""
    if window_days == 0:
        return local_date(received_at)
    return calendar.add_working_days(received_at, window_days)


def effective_limit(legal: int | None, promised: int | None) -> int:
    """The limit the case is held to: the promised one, else the legal one, else the default."""
    if promised is not None:
        return promised
    return legal if legal is not None else DEFAULT_LIMIT_DAYS


def due_on(
    calendar: WorkingCalendar,
    accepted_at: datetime,
    *,
    limit_days: int,
    unit: str,
    extension_days: int = 0,
    paused_working_days: int = 0,
) -> date:
    """The promised completion date."""
    start = local_date(accepted_at)
    if unit == "natural_day":
        natural = start + timedelta(days=limit_days)
        return calendar.add_working_days(natural, extension_days + paused_working_days)
    if unit == "hour":
        return calendar.add_working_days(start, extension_days + paused_working_days)
    return calendar.add_working_days(start, limit_days + extension_days + paused_working_days)


def paused_days(calendar: WorkingCalendar, started_on: date, ended_on: date) -> int:
    """Working days a pause from `started_on` to `ended_on` took out of the clock."""
    return max(0, calendar.working_days_between(started_on, ended_on))


def working_days_used(
    calendar: WorkingCalendar, accepted_at: datetime, until: datetime, paused_working_days: int
) -> int:
    """Working days from acceptance to `until`, pauses excluded."""
    return max(0, calendar.working_days_between(accepted_at, until) - paused_working_days)


def remaining_working_days(calendar: WorkingCalendar, today: date, due: date) -> int:
    """Working days left until `due` (negative when overdue)."""
    return calendar.working_days_between(today, due)


def provisional(calendar: WorkingCalendar, today: date, *deadlines: date | None) -> bool:
    """True when counting from `today` to any of `deadlines` crosses a year the official holiday
    arrangement does not cover (Monday–Friday was assumed there)."""
    return any(d is not None and calendar.uncovered_years(today, d) for d in deadlines)


def deadlines_in_force(application: Application) -> tuple[date | None, ...]:
    """The deadlines a case is held to in its current state."""
    return (
        application.notice_due_on if application.status == "submitted" else None,
        application.correction_deadline if application.status == "correction_requested" else None,
        application.due_on if application.accepted_at is not None else None,
        application.deficiency_deadline if application.deficiencies else None,
    )


def flag_provisional(calendar: WorkingCalendar, application: Application, today: date) -> None:
    """Set the case's `provisional_deadline` flag from its deadlines in force."""
    application.provisional_deadline = provisional(calendar, today, *deadlines_in_force(application))
