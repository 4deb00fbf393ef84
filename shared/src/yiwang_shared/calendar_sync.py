"""Keeping every service's working-day calendar in step with identity-svc's (its one owner).

identity-svc publishes `identity.calendar.changed.v1` when an administrator sets a day or imports
a year's official arrangement (国务院办公厅关于放假安排的通知). Each other service applies it to its
own `calendar_days` table with `calendar_consumer("<service>")` — the same function identity uses
on its own table, so every copy ends up the same:

- an *import* replaces the whole year (package rows, earlier imports, earlier hand edits); a
  re-seed from the package never touches an imported year;
- an *admin* change sets the days it lists, as `set_calendar_day` does;
- a change older than what a row already holds (by `changed_at`) is ignored, so a redelivered or
  late event never undoes a newer one.

`refresh_calendar_gauges` reports, per service, whether this year and next are covered; the alert
`YiwangCalendarNextYearNotCovered` fires from 1 November when next year is not
(deploy/prometheus/alerts.yml).
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from typing import ClassVar, Literal

import sqlalchemy as sa
from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from sqlalchemy.ext.asyncio import AsyncSession

from .calendar import (
    MAX_YEAR,
    MIN_YEAR,
    covered_years,
    import_calendar_year,
    local_date,
    set_calendar_day,
)
from .events.consumer import Consumer, PermanentError
from .events.envelope import EventEnvelope
from .events.payloads import EventPayload
from .i18n import TextError
from .metrics import (
    CALENDAR_CURRENT_YEAR_COVERED,
    CALENDAR_DAYS_UNTIL_NEXT_YEAR,
    CALENDAR_LAST_COVERED_YEAR,
    CALENDAR_NEXT_YEAR_COVERED,
)
from .orm import as_utc
from .tables import calendar_days

__all__ = [
    "CALENDAR_CHANGED",
    "CalendarChanged",
    "CalendarDayChange",
    "apply_calendar_change",
    "calendar_consumer",
    "refresh_calendar_gauges",
    "set_calendar_gauges",
]

log = logging.getLogger("yiwang.calendar")

#: The subject every service's calendar consumer listens on (stream IDENTITY).
CALENDAR_CHANGED = "identity.calendar.changed.v1"


class CalendarDayChange(BaseModel):
    """One day as the change sets it."""

    model_config = ConfigDict(extra="forbid")

    day: date
    is_working_day: bool = Field(description="True for a working day (工作日), false for a day off")
    name: str | None = Field(
        default=None, max_length=100, description="e.g. 春节 (a holiday) or 春节调休上班 (a make-up day)"
    )


class CalendarChanged(EventPayload):
    """The working-day calendar changed at identity: days set by hand, or a year's arrangement imported."""

    TYPE: ClassVar[str] = "identity.calendar.changed"
    VERSION: ClassVar[int] = 1

    year: int = Field(ge=MIN_YEAR, le=MAX_YEAR, description="The year every listed day falls in.")
    days: list[CalendarDayChange] = Field(
        description="source import: the year's every exception to Monday–Friday (holidays on "
        "weekdays, make-up working days on weekends); source admin: the days set (a day set back to "
        "the Monday–Friday rule with no name is removed)."
    )
    source: Literal["admin", "import"]
    changed_at: datetime = Field(description="When identity made the change; later changes win.")
    covered: bool = Field(
        description="Whether the year has an official arrangement after the change (package or import)."
    )

    @model_validator(mode="after")
    def _days_in_the_year(self) -> CalendarChanged:
        outside = ", ".join(d.day.isoformat() for d in self.days if d.day.year != self.year)
        if outside:
            raise TextError(f"以下日期不在 {self.year} 年：{outside}", f"days outside {self.year}: {outside}")
        if len({d.day for d in self.days}) != len(self.days):
            raise TextError("同一天列出了两次", "a day is listed twice")
        return self


async def _newer_row(session: AsyncSession, day: date, at: datetime) -> bool:
    found = await session.execute(sa.select(calendar_days.c.updated_at).where(calendar_days.c.day == day))
    value = found.scalar_one_or_none()
    if value is None:
        return False
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    return as_utc(when) > at


async def apply_calendar_change(session: AsyncSession, change: CalendarChanged) -> int:
    """Apply a calendar change to this database's `calendar_days`; the number of days it touched."""
    at = as_utc(change.changed_at)
    if change.source == "import":
        days = {d.day: (d.is_working_day, d.name) for d in change.days}
        return await import_calendar_year(session, change.year, days, at=at)
    touched = 0
    for d in change.days:
        if await _newer_row(session, d.day, at):
            continue  # a later edit of that day is already here
        await set_calendar_day(session, d.day, is_working_day=d.is_working_day, name=d.name, at=at)
        touched += 1
    return touched


async def on_calendar_changed(session: AsyncSession, event: EventEnvelope) -> None:
    """identity.calendar.changed.v1 → this service's `calendar_days`."""
    try:
        change = CalendarChanged.model_validate(event.data)
    except ValidationError as exc:
        raise PermanentError(f"identity.calendar.changed.v1 payload rejected: {exc}") from exc
    touched = await apply_calendar_change(session, change)
    log.info(
        "working-day calendar: %s of %d applied (%d day(s) changed)", change.source, change.year, touched
    )


def calendar_consumer(service: str) -> Consumer:
    """The durable consumer that keeps `service`'s calendar in step with identity's."""
    return Consumer(
        name=f"{service}__calendar_changed",
        stream="IDENTITY",
        subject=CALENDAR_CHANGED,
        handler=on_calendar_changed,
    )


# --- the gauges ---------------------------------------------------------------------------


def set_calendar_gauges(service: str, covered: frozenset[int] | set[int], today: date) -> None:
    """Set the calendar gauges of `service` for `today` (Asia/Shanghai) and the years covered."""
    next_year = today.year + 1
    CALENDAR_CURRENT_YEAR_COVERED.labels(service).set(int(today.year in covered))
    CALENDAR_NEXT_YEAR_COVERED.labels(service).set(int(next_year in covered))
    CALENDAR_DAYS_UNTIL_NEXT_YEAR.labels(service).set((date(next_year, 1, 1) - today).days)
    CALENDAR_LAST_COVERED_YEAR.labels(service).set(max(covered, default=0))


async def refresh_calendar_gauges(app: FastAPI) -> None:
    """Read which years the service's calendar covers and set its gauges (a metrics refresh)."""
    async with app.state.db.transaction(write=False) as session:
        covered = await covered_years(session)
    set_calendar_gauges(str(app.state.service_name), covered, local_date(datetime.now(UTC)))
