"""Demand forecast error beside the seasonal-naive baseline (需求预判, issue 21 §5), on the demo
history.

One run:
  1. a fresh SQLite database migrated and loaded with intake's demo (`intake.demo.load_demo`: the
     demo halls and a year of their demand history, as `make run` loads it);
  2. the daily forecast pass (`ForecastWorker.forecast_pass`) at the run's day, timed: each hall's
     ETS(A,Ad,A) model fitted on the history, the last four weeks held out for the backtest;
  3. prints, per hall and measure, the model's MAE and MASE on the held-out weeks beside the
     seasonal-naive baseline's (the last open same weekday), and the pass's time.

    .venv/bin/python bench/forecast/run.py [--day 2026-12-05] [--json FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from intake.demo import load_demo
from intake.models.demand import DemandForecast
from intake.services.forecast_worker import ForecastWorker
from yiwang_shared.db import Database


async def _run(day: date | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'intake.db'}"
        started = time.perf_counter()
        await load_demo(url)  # history up to yesterday (the loader's real today)
        load_seconds = time.perf_counter() - started
        db = Database(url)
        try:
            now = datetime.now(UTC) if day is None else datetime(day.year, day.month, day.day, 2, tzinfo=UTC)
            worker = ForecastWorker(db, lambda: now)
            started = time.perf_counter()
            series = await worker.forecast_pass()
            fit_seconds = time.perf_counter() - started
            async with db.transaction(write=False) as session:
                rows = list(await session.scalars(select(DemandForecast).order_by(DemandForecast.unit_code)))
                results = [(r.unit_code, r.item_code, r.result) for r in rows]
        finally:
            await db.dispose()
    return {"load_seconds": load_seconds, "fit_seconds": fit_seconds, "series": series, "results": results}


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def report(run: dict[str, Any]) -> list[dict[str, Any]]:
    """Print the table; the rows printed."""
    print(f"demo history loaded in {run['load_seconds']:.1f} s (migrations included)")
    print(
        f"forecast pass: {run['series']} series (two measures, a backtest and a forecast fit each) in "
        f"{run['fit_seconds']:.1f} s, the fitting child process's start included\n"
    )
    head = f"{'hall':16} {'item':5} {'measure':13} {'held out':23} {'model':20} {'MAE':>7} {'MASE':>6} "
    print(head + f"{'naive MAE':>10} {'naive MASE':>11}  better")
    rows = []
    for unit, item, result in run["results"]:
        for measure in ("applications", "visits"):
            test = result[measure]["backtest"]
            if not test or test["mae"] == test["baseline_mae"] == 0:
                continue  # none of it there (the online hall takes no numbers)
            better = test["mae"] < test["baseline_mae"]
            window = f"{test['from_day']}–{test['to_day'][5:]}"
            print(
                f"{unit:16} {item or '·':5} {measure:13} {window:23} {result[measure]['model']:20} "
                f"{test['mae']:7.2f} {_fmt(test['mase']):>6} {test['baseline_mae']:10.2f} "
                f"{_fmt(test['baseline_mase']):>11}  {'yes' if better else 'no'}"
            )
            rows.append({"unit_code": unit, "item_code": item, "measure": measure, **test, "better": better})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--day", type=date.fromisoformat, default=None, help="The pass's day (default today)."
    )
    parser.add_argument("--json", type=Path, default=None, help="Also write the figures here.")
    args = parser.parse_args(argv)
    run = asyncio.run(_run(args.day))
    rows = report(run)
    if args.json:
        args.json.write_text(
            json.dumps({**{k: v for k, v in run.items() if k != "results"}, "rows": rows}, indent=2)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
