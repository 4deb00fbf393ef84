"""Demand history (需求预判, issue 21 §5): each application received and each number taken adds one
to the day's count of its hall and item, in the transaction that creates it — so the count is
exact (it commits if and only if the case or the ticket does; a replayed Idempotency-Key creates
nothing and counts nothing). Events were the other way (intake's own `application.submitted` and
`queue_ticket.taken`, deduplicated by event id): they would add a consumer, a processed-events row
per case and a lag, for a count that is only ever intake's own.

An application is counted by a trigger on `applications` (migration intake_0026: a submission is
at issue 19's budget of 8 statements, and a trigger adds none); a number by `count_visit`, one
`INSERT … ON CONFLICT DO UPDATE`, the last statement of taking it (PostgreSQL then holds the row
only until the commit).

Which hall: a number is the hall's (its place's org unit); an application the unit that received it
— a window's centre (the window's parent unit: 110105-ZWFW-W01 → 110105-ZWFW), a department or a
station itself — and an application made online the online hall `online` (网上办事大厅).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.calendar import WorkingCalendar

from ..models.appointments import ServicePlace
from ..models.queue import QueueTicket
from ..repositories.demand import DemandRepository, place_of_unit
from ..schemas.appointments import PlaceHours
from .appointment_hours import periods_on
from .read_models import working_calendar

#: The online hall (网上办事大厅): applications made online.
ONLINE = "online"
ONLINE_NAME = "网上办事大厅"
#: The item code of a number taken by category, without an item.
NO_ITEM = ""


async def count_visit(session: AsyncSession, ticket: QueueTicket, hall_unit_code: str) -> None:
    """Add the number taken (a visit to the hall) to its hall's demand of the day."""
    await DemandRepository(session).bump(
        ticket.day, hall_unit_code, ticket.item_code or NO_ITEM, applications=0, visits=1
    )


@dataclass(frozen=True)
class Opening:
    """When a hall is open: its place's hours on the working-day calendar; the online hall every
    day; a unit without a place on working days (its minutes unknown)."""

    unit_code: str
    place: ServicePlace | None
    calendar: WorkingCalendar

    def minutes(self, day: date) -> int | None:
        """Minutes open on `day` (0 closed; None: open, hours unknown)."""
        if self.unit_code == ONLINE:
            return None
        if self.place is None:
            return None if self.calendar.is_working_day(day) else 0
        hours = PlaceHours.model_validate(self.place.hours)
        total = 0
        for period, _ in periods_on(hours, day, self.calendar):
            start = period.start.hour * 60 + period.start.minute
            total += period.end.hour * 60 + period.end.minute - start
        return total

    def is_open(self, day: date) -> bool:
        """Open at all on `day`."""
        return self.minutes(day) != 0

    def days(self, first: date, last: date) -> dict[date, int | None]:
        """{day: minutes open} of first–last."""
        return {
            first + timedelta(days=n): self.minutes(first + timedelta(days=n))
            for n in range((last - first).days + 1)
        }


async def opening_of(session: AsyncSession, unit_code: str) -> Opening:
    """The hall's opening (its place, the calendar)."""
    place = None if unit_code == ONLINE else await place_of_unit(session, unit_code)
    return Opening(unit_code, place, await working_calendar(session))
