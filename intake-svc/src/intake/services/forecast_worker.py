"""The daily forecast pass (需求预判): once a day, for every hall and item with demand in the last
eight weeks (and every hall over all its items), fit the forecast of the next four weeks from the
history and store it with its backtest — so a request reads a row and never fits a model. The pass
runs every `forecast_pass_seconds` and skips what is already fitted today (a restart refits
nothing); the fits run in a child process, so the service neither waits nor keeps the statistics
libraries in memory.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Any

from yiwang_shared.calendar import local_date
from yiwang_shared.db import Database
from yiwang_shared.periodic import PeriodicTask

from ..repositories.demand import ALL_ITEMS, DemandRepository
from . import forecasting
from .demand import NO_ITEM, opening_of

log = logging.getLogger("intake.forecasts")

#: A hall and item is forecast while it had demand in this many last days.
ACTIVE_DAYS = 56
#: Series fitted by one child process and stored in one transaction.
BATCH = 50
#: History read for a fit: the model's window and the held-out weeks before the backtest's.
HISTORY_DAYS = forecasting.FIT_DAYS + forecasting.HELD_OUT_DAYS


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def compute(
    rows: list[tuple[date, int, int]], first: date, last: date, open_minutes: dict[date, int | None]
) -> dict[str, Any]:
    """The stored result of one hall and item: both measures' forecasts and the opening ahead."""

    def is_open(day: date) -> bool:
        return open_minutes.get(day) != 0

    applications = {d: float(a) for d, a, _ in rows}
    visits = {d: float(v) for d, _, v in rows}
    measures = {
        name: forecasting.forecast_measure(series, first=first, last=last, is_open=is_open)
        for name, series in (("applications", applications), ("visits", visits))
    }
    ahead = [last + timedelta(days=n + 1) for n in range(forecasting.HORIZON_DAYS)]
    result: dict[str, Any] = _jsonable(
        {
            "history_from": first,
            "history_to": last,
            "interval": forecasting.INTERVAL,
            "opening": [{"day": d, "minutes": open_minutes.get(d)} for d in ahead],
            **{name: asdict(m) for name, m in measures.items()},
        }
    )
    return result


Inputs = tuple[list[tuple[date, int, int]], date, date, dict[date, int | None]]


def compute_all(inputs: list[Inputs]) -> list[dict[str, Any]]:
    """`compute` of each (the child process's whole job)."""
    return [compute(*one) for one in inputs]


class ForecastWorker:
    """Fits and stores the forecasts due today; `forecast_pass` is the background task's pass.

    The fits run in a child process started for the pass (spawned, one worker): statsmodels, pandas
    and scipy cost some 150 MB once imported, which the service would otherwise keep for a job that
    runs once a day; the process ends with the pass."""

    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db, self.clock = db, clock

    async def forecast_pass(self) -> int:
        """Fit what is not yet fitted today; how many forecasts were stored."""
        today = local_date(self.clock())
        async with self.db.transaction(write=False) as session:
            repo = DemandRepository(session)
            active = await repo.active_pairs(today - timedelta(days=ACTIVE_DAYS))
            # Every hall over all its items; each item named (a number taken by category names none).
            pairs = {(unit, ALL_ITEMS) for unit, _ in active} | {(u, i) for u, i in active if i != NO_ITEM}
            due = sorted(pairs - await repo.forecasts_as_of(today))
        for start in range(0, len(due), BATCH):
            await self._fit_batch(due[start : start + BATCH], today)
        if due:
            log.info("demand forecasts fitted: %d", len(due))
        return len(due)

    async def _fit_batch(self, batch: list[tuple[str, str]], today: date) -> None:
        inputs = [await self._inputs(unit, item, today) for unit, item in batch]
        # Histories too short for a model get the seasonal-naive forecast: no library, no child.
        fits = any((last - first).days + 1 >= forecasting.MIN_FIT_DAYS for _, first, last, _ in inputs)
        results = await _in_child(compute_all, inputs) if fits else compute_all(inputs)
        async with self.db.transaction() as session:
            repo = DemandRepository(session)
            for (unit, item), result in zip(batch, results, strict=True):
                await repo.store_forecast(unit, item, as_of=today, computed_at=self.clock(), result=result)

    async def _inputs(self, unit_code: str, item_code: str, today: date) -> Inputs:
        """The history of a hall and item up to yesterday, and its opening then and ahead."""
        last = today - timedelta(days=1)
        async with self.db.transaction(write=False) as session:
            repo = DemandRepository(session)
            start = await repo.first_day(unit_code) or last
            first = max(start, last - timedelta(days=HISTORY_DAYS - 1))
            rows = await repo.series(unit_code, item_code, first, last)
            opening = await opening_of(session, unit_code)
            minutes = opening.days(first, last + timedelta(days=forecasting.HORIZON_DAYS))
        return rows, first, last, minutes


async def _in_child(
    fn: Callable[[list[Inputs]], list[dict[str, Any]]], inputs: list[Inputs]
) -> list[dict[str, Any]]:
    """Run `fn(inputs)` in a spawned child process (one for the call), without blocking the loop."""
    context = multiprocessing.get_context("spawn")  # never fork a process running an event loop
    pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
    try:
        return await asyncio.get_running_loop().run_in_executor(pool, fn, inputs)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # a shutdown mid-pass does not wait for the fits


async def start_forecasts(app: Any) -> None:
    """Startup hook: the daily forecast pass (off when `forecast_pass_seconds` is 0)."""
    worker = ForecastWorker(app.state.db, lambda: app.state.clock())
    app.state.forecast_worker = worker
    app.state.forecast_task = PeriodicTask(
        "intake-forecasts",
        worker.forecast_pass,
        seconds=app.state.settings.forecast_pass_seconds,
        first_after=app.state.settings.forecast_first_after_seconds,
        log=log,
    )
    app.state.forecast_task.start()


async def stop_forecasts(app: Any) -> None:
    """Shutdown hook: stop the pass (after the fit under way)."""
    task: PeriodicTask | None = getattr(app.state, "forecast_task", None)
    if task is not None:
        await task.stop()
