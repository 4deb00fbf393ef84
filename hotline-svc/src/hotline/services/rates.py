"""The three rates (三率) per unit and month, the composite score, and rankings.

Each rate follows the one definition in docs/indicators.md, which evaluation-svc's indicators
follow too, so both services show the same figure for the same unit and month:

- response rate 响应率 = response obligations answered by their deadline / obligations due, in the
  month (Asia/Shanghai) of the deadline; an obligation (one per ticket and round, owed by the
  unit leading the round) is due once it was answered or its deadline passed;
- resolution rate 解决率 = call-backs in the month that found the request resolved / call-backs;
- satisfaction rate 满意率 = call-backs in the month with "satisfied" / call-backs (基本满意 is not
  satisfied, and is shown as its own count);
- composite 综合得分 = weighted mean of the three (default weights 10 / 45 / 45), in percent.
Rates are percentages of exact counts rounded half-even to 2 places (evaluation gives the same
ratio as a share to 4 places). Units are credited with the round they led; streets aggregate
their own units (the street, its service centre and communities) and departments are ranked
among departments.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.calendar import local_date
from yiwang_shared.orm import utcnow

from ..repositories.rates import RatesRepository
from ..schemas import UnitRatesRead
from .days import day_start, month_bounds
from .orgs import street_of, unit_group, unit_kinds


@dataclass
class Tally:
    """Counts behind one unit's rates."""

    due: int = 0
    on_time: int = 0
    called_back: int = 0
    resolved: int = 0
    satisfied: int = 0
    basically: int = 0
    units: set[str] = field(default_factory=set)


def _exact(num: int, den: int) -> Fraction | None:
    return Fraction(100 * num, den) if den else None


def _pct(value: Fraction | None) -> float | None:
    """A percentage rounded half-even to 2 places, from the exact value (no float error)."""
    return None if value is None else float(round(value, 2))


def to_rates(code: str, month: str, t: Tally, weights: tuple[float, float, float]) -> UnitRatesRead:
    """Turn counts into rates and the composite score."""
    exact = (_exact(t.on_time, t.due), _exact(t.resolved, t.called_back), _exact(t.satisfied, t.called_back))
    parts = [(Fraction(w), r) for w, r in zip(weights, exact, strict=True) if r is not None]
    total_weight = sum(w for w, _ in parts)
    composite = _pct(sum(w * r for w, r in parts) / total_weight) if parts and total_weight else None
    response, resolution, satisfaction = (_pct(r) for r in exact)
    return UnitRatesRead(
        unit_code=code,
        month=month,
        responses_due=t.due,
        responded_on_time=t.on_time,
        called_back=t.called_back,
        resolved=t.resolved,
        satisfied=t.satisfied,
        basically_satisfied=t.basically,
        response_rate=response,
        resolution_rate=resolution,
        satisfaction_rate=satisfaction,
        composite=composite,
    )


#: The day counts are kept per Beijing day at UTC+8, which China has kept all year since 1992
#: (summer time before): months from then on are read from them, earlier ones from the raw rows.
COUNTED_FROM = "1992-01"


def _month_days(month: str) -> tuple[date, date] | None:
    """The first day of `month` and of the month after, when the day counts cover it."""
    if not COUNTED_FROM <= month < "9999-12":
        return None
    year, mon = int(month[:4]), int(month[5:7])
    return date(year, mon, 1), date(year + (mon == 12), mon % 12 + 1, 1)


async def tallies(
    session: AsyncSession, month: str, *, now: datetime | None = None, unit: str | None = None
) -> dict[str, Tally]:
    """Counts per unit for the month (of every unit, or of `unit` only): the days that are over
    from the day counts, the rest of the month from the raw obligations."""
    start, end = month_bounds(month)
    now = now or utcnow()
    repo = RatesRepository(session)
    days = _month_days(month)
    due_rows: list[Any] = []
    if days is None:
        raw_from = start
        calls = await repo.callback_counts(start, end, unit=unit)
    else:
        first, following = days
        # Every obligation of a day before today is due (its deadline has passed, or it was
        # answered): the day's counts are the month's. From today on, being due depends on `now`.
        cut = max(first, min(local_date(now), following))
        if cut > first:
            due_rows.extend(await repo.due_counted(first, cut, unit=unit))
        raw_from = day_start(cut)
        calls = await repo.callbacks_counted(first, following, unit=unit)
    if raw_from < end:
        due_rows.extend(await repo.due_counts(raw_from, end, now=now, unit=unit))
    out: dict[str, Tally] = defaultdict(Tally)
    for code, due, on_time in due_rows:
        t = out[code]
        t.due += int(due)
        t.on_time += int(on_time)
    for code, called, resolved, satisfied, basically in calls:
        t = out[code]
        t.called_back, t.resolved = int(called), int(resolved)
        t.satisfied, t.basically = int(satisfied), int(basically)
    return out


async def unit_rates(
    session: AsyncSession, month: str, weights: tuple[float, float, float], unit: str | None = None
) -> list[UnitRatesRead]:
    """Rates of every unit with tickets in the month (or of one unit)."""
    counts = await tallies(session, month, unit=unit or None)
    codes = [unit] if unit else sorted(counts)
    return [to_rates(code, month, counts.get(code, Tally()), weights) for code in codes]


async def ranking(
    session: AsyncSession, month: str, kind: str, weights: tuple[float, float, float]
) -> list[UnitRatesRead]:
    """Streets (their units added up) or departments, best composite first, with ranks."""
    counts = await tallies(session, month)
    kinds = await unit_kinds(session)
    grouped: dict[str, Tally] = defaultdict(Tally)
    for code, t in counts.items():
        if unit_group(code, kinds.get(code)) != kind:
            continue
        key = street_of(code) if kind == "street" else code
        assert key is not None
        g = grouped[key]
        g.due += t.due
        g.on_time += t.on_time
        g.called_back += t.called_back
        g.resolved += t.resolved
        g.satisfied += t.satisfied
        g.basically += t.basically
    rows = [to_rates(code, month, t, weights) for code, t in grouped.items()]
    rows.sort(key=lambda r: (r.composite is None, -(r.composite or 0.0), r.unit_code))
    rank = 0
    previous: float | None = None
    for i, r in enumerate(rows, start=1):
        if r.composite is None:
            continue
        if r.composite != previous:
            rank = i
            previous = r.composite
        r.rank = rank
    return rows
