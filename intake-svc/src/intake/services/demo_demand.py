"""A year of demo demand history (需求预判) for the demo halls, loaded by `intake.demo` straight into
`demand_days` (not as a year of fake applications): deterministic (seeded by hall and day), with a
weekly season (Monday busiest, Saturday mornings at the district hall, closed on Sundays), the
hall closed on the calendar's holidays and busier on the day after one, a slow upward trend and
noise. Only days the hall has no count for are filled, so a reload leaves real counts alone.

The history is the hall's, over all items (`item_code` empty): intake learns the catalogue's item
codes from catalog-svc's events only after start-up, so a loader running beside catalog's cannot
name them. Per-item forecasts come from real counts once an item has some.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from ..repositories.demand import DemandRepository, days_with_demand
from .demand import NO_ITEM, ONLINE, Opening, opening_of

#: How many days of history the demo has (52 weeks, up to yesterday).
HISTORY_DAYS = 364
#: Demand on each ISO weekday relative to a Tuesday.
WEEKDAY_SHAPE = {1: 1.3, 2: 1.0, 3: 0.95, 4: 1.05, 5: 1.15, 6: 0.5, 7: 0.35}
#: The day after a closed stretch brings what waited (Monday's included).
AFTER_HOLIDAY = 1.35
#: Growth over the year (a district's demand creeping up).
YEARLY_GROWTH = 0.15


@dataclass(frozen=True)
class DemoHall:
    """A hall's demo level: applications and visits on an ordinary Tuesday a year ago."""

    unit_code: str
    applications: float
    visits: float


HALLS = [
    DemoHall("110105-ZWFW", applications=70.0, visits=110.0),  # 区政务服务中心办事大厅
    DemoHall("110105001-FWZX", applications=24.0, visits=36.0),  # the street centre
    DemoHall(ONLINE, applications=55.0, visits=0.0),  # 网上办事大厅: no numbers taken
]


def _count(rng: random.Random, mean: float) -> int:
    """A Poisson-like count (normal approximation, over-dispersed a little)."""
    if mean <= 0:
        return 0
    return max(0, round(rng.gauss(mean, 1.3 * math.sqrt(mean))))


def history_rows(hall: DemoHall, opening: Opening, first: date, last: date) -> list[dict[str, object]]:
    """The hall's demo rows of first–last (closed days have none)."""
    rows: list[dict[str, object]] = []
    day = first
    while day <= last:
        if opening.is_open(day):
            rng = random.Random(f"{hall.unit_code}:{day.isoformat()}")  # same day, same figures
            factor = WEEKDAY_SHAPE[day.isoweekday()]
            factor *= 1 + YEARLY_GROWTH * (day - first).days / HISTORY_DAYS
            if not opening.is_open(day - timedelta(days=1)) and day.isoweekday() != 1:
                factor *= AFTER_HOLIDAY
            rows.append(
                {
                    "day": day,
                    "unit_code": hall.unit_code,
                    "item_code": NO_ITEM,
                    "applications": _count(rng, hall.applications * factor),
                    "visits": _count(rng, hall.visits * factor),
                }
            )
        day += timedelta(days=1)
    return rows


async def load_history(session: AsyncSession, today: date) -> int:
    """Fill the demo halls' days of the last year that have no count; how many rows."""
    first, last = today - timedelta(days=HISTORY_DAYS), today - timedelta(days=1)
    repo = DemandRepository(session)
    filled: list[str] = []
    total = 0
    for hall in HALLS:
        have = await days_with_demand(session, hall.unit_code, first, last)
        rows = [
            r
            for r in history_rows(hall, await opening_of(session, hall.unit_code), first, last)
            if r["day"] not in have
        ]
        if rows:
            await repo.insert_days(rows)
            filled.append(hall.unit_code)
            total += len(rows)
    if filled:
        await repo.drop_forecasts(filled)  # fitted before the history was there
    return total
