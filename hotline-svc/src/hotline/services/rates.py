"""The three rates (三率) per unit and month, the composite score, and rankings.

- response rate 响应率 = responses due in the month that were made in time / responses due
  (a response is due once its deadline passed, or once it was made);
- resolution rate 解决率 = call-backs in the month that found the request resolved / call-backs;
- satisfaction rate 满意率 = (satisfied + w × basically satisfied) / call-backs, w configurable
  (default 0: only "satisfied" counts, as the domain defines it);
- composite 综合得分 = weighted mean of the three (default weights 10 / 45 / 45), in percent.
Units are credited with the round they led; streets aggregate their own units (the street, its
service centre and communities) and departments are ranked among departments.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.orm import utcnow

from ..days import month_bounds
from ..models import Callback, OrgUnit, ResponseDue
from ..schemas import UnitRatesRead
from .orgs import street_of, unit_group


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


def _pct(num: float, den: int) -> float | None:
    return round(100.0 * num / den, 2) if den else None


def to_rates(
    code: str, month: str, t: Tally, weights: tuple[float, float, float], basic_weight: float
) -> UnitRatesRead:
    """Turn counts into rates and the composite score."""
    response = _pct(t.on_time, t.due)
    resolution = _pct(t.resolved, t.called_back)
    satisfaction = _pct(t.satisfied + basic_weight * t.basically, t.called_back)
    parts = [
        (w, r) for w, r in zip(weights, (response, resolution, satisfaction), strict=True) if r is not None
    ]
    total_weight = sum(w for w, _ in parts)
    composite = round(sum(w * r for w, r in parts) / total_weight, 2) if parts and total_weight else None
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


async def tallies(session: AsyncSession, month: str, *, now: datetime | None = None) -> dict[str, Tally]:
    """Counts per unit for the month."""
    start, end = month_bounds(month)
    now = now or utcnow()
    out: dict[str, Tally] = defaultdict(Tally)
    dues = await session.execute(
        select(ResponseDue).where(
            ResponseDue.due_at >= start,
            ResponseDue.due_at < end,
            or_(ResponseDue.due_at <= now, ResponseDue.responded_at.is_not(None)),
        )
    )
    for d in dues.scalars():
        t = out[d.unit_code]
        t.due += 1
        if d.responded_at is not None and d.responded_at <= d.due_at:
            t.on_time += 1
    calls = await session.execute(
        select(Callback).where(and_(Callback.called_at >= start, Callback.called_at < end))
    )
    for c in calls.scalars():
        t = out[c.unit_code]
        t.called_back += 1
        t.resolved += int(c.resolved)
        t.satisfied += int(c.satisfaction == "satisfied")
        t.basically += int(c.satisfaction == "basically")
    return out


async def unit_rates(
    session: AsyncSession,
    month: str,
    weights: tuple[float, float, float],
    basic_weight: float,
    unit: str | None = None,
) -> list[UnitRatesRead]:
    """Rates of every unit with tickets in the month (or of one unit)."""
    counts = await tallies(session, month)
    codes = [unit] if unit else sorted(counts)
    return [to_rates(code, month, counts.get(code, Tally()), weights, basic_weight) for code in codes]


async def ranking(
    session: AsyncSession, month: str, kind: str, weights: tuple[float, float, float], basic_weight: float
) -> list[UnitRatesRead]:
    """Streets (their units added up) or departments, best composite first, with ranks."""
    counts = await tallies(session, month)
    kinds = dict((await session.execute(select(OrgUnit.code, OrgUnit.kind))).all())
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
    rows = [to_rates(code, month, t, weights, basic_weight) for code, t in grouped.items()]
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
