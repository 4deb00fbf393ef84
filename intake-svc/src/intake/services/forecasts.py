"""Reading a demand forecast (需求预判): the cached fit of the hall and item, cut to the weeks asked
for, with the staffing hint worked out now from the hall's measured service times.

Who may see it: supervisors and administrators — the people who staff the windows and oversee the
halls, and who already read a hall's configuration and its 限时等候 indicator (every hall, as intake's
electronic supervision does).
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal

from .. import errors
from ..config import Settings
from ..repositories.demand import ALL_ITEMS, DemandRepository, place_of_unit
from ..schemas.forecasts import (
    DemandDayRead,
    DemandForecastRead,
    ForecastBacktestRead,
    ForecastFigureRead,
    Measure,
    StaffingRead,
    WeekdayStaffingRead,
)
from .access import require_role
from .catalogue import find_published_item
from .demand import ONLINE, ONLINE_NAME
from .orgs import find_unit
from .queue_halls import load_hall
from .queue_tickets import service_minutes

READER_ROLES = ("supervisor", "admin")
READ = errors.Deed("查看办件量预测", "read the demand forecast")


async def _service_minutes(
    session: AsyncSession, unit_code: str, *, now: datetime, settings: Settings
) -> tuple[float, bool]:
    """(minutes per case, measured) of the hall: its windows' mean, else the default."""
    place = await place_of_unit(session, unit_code) if unit_code != ONLINE else None
    if place is not None:
        measured = await service_minutes(
            session, await load_hall(session, place.id), now=now, sample=settings.queue_service_sample
        )
        if measured:
            return round(sum(measured.values()) / len(measured), 1), True
    return settings.queue_default_service_minutes, False


def _windows(demand: float, minutes: int | None, per_case: float, utilisation: float) -> int | None:
    if minutes is None:
        return None
    if minutes <= 0 or demand <= 0:
        return 0
    return math.ceil(demand * per_case / (minutes * utilisation))


def _figure(entry: dict[str, Any]) -> ForecastFigureRead:
    return ForecastFigureRead(
        forecast=entry["forecast"], lower=entry["lower"], upper=entry["upper"], baseline=entry["baseline"]
    )


def _backtest(measure: str, stored: dict[str, Any]) -> ForecastBacktestRead:
    test = stored.get("backtest") or {}
    mae, baseline = test.get("mae"), test.get("baseline_mae")
    return ForecastBacktestRead.model_validate(
        {
            "measure": measure,
            "model": stored["model"],
            "held_out_from": test.get("from_day"),
            "held_out_to": test.get("to_day"),
            "days": test.get("days", 0),
            "mae": mae,
            "mase": test.get("mase"),
            "baseline_mae": baseline,
            "baseline_mase": test.get("baseline_mase"),
            "beats_baseline": None if mae is None or baseline is None else mae < baseline,
        }
    )


def _days(
    result: dict[str, Any], count: int, basis: str, per_case: float, utilisation: float
) -> list[DemandDayRead]:
    days = []
    for n, opening in enumerate(result["opening"][:count]):
        apps, visits = result["applications"]["days"][n], result["visits"]["days"][n]
        demand = (visits if basis == "visits" else apps)["forecast"]
        day = date.fromisoformat(opening["day"])
        days.append(
            DemandDayRead(
                day=day,
                weekday=day.isoweekday(),
                open=bool(apps["open"]),
                open_minutes=opening["minutes"],
                applications=_figure(apps),
                visits=_figure(visits),
                windows_needed=_windows(demand, opening["minutes"], per_case, utilisation),
            )
        )
    return days


def _weekdays(days: list[DemandDayRead]) -> list[WeekdayStaffingRead]:
    out = []
    for weekday in range(1, 8):
        open_days = [d for d in days if d.weekday == weekday and d.open]
        needs = [d.windows_needed for d in open_days if d.windows_needed is not None]
        n = len(open_days) or 1
        out.append(
            WeekdayStaffingRead(
                weekday=weekday,
                open_days=len(open_days),
                applications=round(sum(d.applications.forecast for d in open_days) / n, 1),
                visits=round(sum(d.visits.forecast for d in open_days) / n, 1),
                windows_needed=max(needs) if needs else None,
            )
        )
    return out


async def _names(session: AsyncSession, unit_code: str, item_code: str | None) -> tuple[str, str | None]:
    unit = None if unit_code == ONLINE else await find_unit(session, unit_code)
    unit_name = ONLINE_NAME if unit_code == ONLINE else (unit.name if unit else unit_code)
    entry = await find_published_item(session, item_code) if item_code else None
    return unit_name, entry.name if entry else None


async def read_forecast(
    session: AsyncSession,
    *,
    unit_code: str,
    item_code: str | None,
    weeks: int,
    actor: Principal,
    now: datetime,
    settings: Settings,
) -> DemandForecastRead:
    """The day's forecast of the hall and item (every item when None); 404 without history, 409
    while today's is not fitted yet."""
    require_role(actor, READ, READER_ROLES)
    repo = DemandRepository(session)
    cached = await repo.forecast(unit_code, item_code or ALL_ITEMS)
    if cached is None:  # (yesterday's, until today's is fitted, is served: `as_of` says so)
        if not await repo.has_history(unit_code, item_code or ALL_ITEMS):
            raise errors.forecast_no_history(unit_code, item_code)
        raise errors.forecast_not_ready(unit_code)
    result = cached.result
    per_case, measured = await _service_minutes(session, unit_code, now=now, settings=settings)
    visited = any(d["forecast"] > 0 for d in result["visits"]["days"])
    basis: Measure = "visits" if visited else "applications"
    days = _days(result, weeks * 7, basis, per_case, settings.forecast_utilisation)
    unit_name, item_name = await _names(session, unit_code, item_code)
    return DemandForecastRead(
        unit_code=unit_code,
        unit_name=unit_name,
        item_code=item_code,
        item_name=item_name,
        as_of=cached.as_of,
        computed_at=cached.computed_at,
        history_from=date.fromisoformat(result["history_from"]),
        history_to=date.fromisoformat(result["history_to"]),
        interval=result["interval"],
        weeks=weeks,
        days=days,
        backtest=[_backtest(m, result[m]) for m in ("applications", "visits")],
        staffing=StaffingRead(
            basis=basis,
            service_minutes=per_case,
            service_minutes_measured=measured,
            utilisation=settings.forecast_utilisation,
            weekdays=_weekdays(days),
        ),
    )
