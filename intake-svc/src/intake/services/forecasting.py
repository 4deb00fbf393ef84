"""Demand forecasts (需求预判): a seasonal exponential-smoothing model — ETS(A,Ad,A): additive
errors, a damped additive trend and an additive weekly season, statsmodels' `ETSModel` — fitted on
a hall's daily counts; its error on held-out weeks beside the seasonal-naive baseline's (the same
weekday a week before); the next weeks day by day with an 80 % interval. Pure: no I/O (the worker
feeds it and stores what it returns).

Closed days: a day the hall is closed (a statutory holiday on a weekday, a Sunday) is forecast 0
and left out of the errors; in the history, a closed day on a weekday the hall usually opens is
read as that weekday's last open value, so a holiday week does not teach the model a slump. The
baseline reads the history the same way: it is the last open same weekday (kinder to it than a
holiday's 0 would be).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

#: How far ahead the forecast runs, and how many of the last weeks the backtest holds out.
HORIZON_DAYS = 28
HELD_OUT_DAYS = 28
#: The model sees at most the last 26 weeks (a weekly season and a trend need no more; fits stay fast).
FIT_DAYS = 182
#: Fewer days than this: no model, the seasonal-naive forecast only.
MIN_FIT_DAYS = 56
#: The interval's coverage.
INTERVAL = 0.8
MODEL = "ETS(A,Ad,A) weekly"
NAIVE = "seasonal naive"


@dataclass(frozen=True)
class DayForecast:
    """One future day: open, the model's forecast with its interval, and the baseline's."""

    day: date
    open: bool
    forecast: float
    lower: float
    upper: float
    baseline: float


@dataclass(frozen=True)
class Backtest:
    """The errors on the held-out days (open ones): the model's and the baseline's MAE and MASE
    (MAE over the in-sample mean absolute change from a week before)."""

    from_day: date
    to_day: date
    days: int
    mae: float
    mase: float | None
    baseline_mae: float
    baseline_mase: float | None


@dataclass(frozen=True)
class MeasureForecast:
    """The forecast of one measure (applications or visits)."""

    model: str
    days: list[DayForecast]
    backtest: Backtest | None


def _usual_weekdays(days: Sequence[date], open_: Sequence[bool]) -> set[int]:
    seen: dict[int, list[bool]] = {}
    for d, o in zip(days, open_, strict=True):
        seen.setdefault(d.weekday(), []).append(o)
    return {w for w, flags in seen.items() if sum(flags) * 2 > len(flags)}


def impute(days: Sequence[date], values: Sequence[float], open_: Sequence[bool]) -> list[float]:
    """The series with each closed day of a usually open weekday read as that weekday's last open
    value (the weekday's open mean before any)."""
    usual = _usual_weekdays(days, open_)
    means: dict[int, float] = {}
    for w in usual:
        got = [v for d, v, o in zip(days, values, open_, strict=True) if o and d.weekday() == w]
        means[w] = sum(got) / len(got) if got else 0.0
    out: list[float] = []
    for i, (d, v, o) in enumerate(zip(days, values, open_, strict=True)):
        if o or d.weekday() not in usual:
            out.append(float(v))
        else:
            out.append(out[i - 7] if i >= 7 else means[d.weekday()])
    return out


def seasonal_naive(train: Sequence[float], horizon: int) -> list[float]:
    """The last week repeated."""
    week = list(train[-7:]) if len(train) >= 7 else [sum(train) / max(len(train), 1)] * 7
    while len(week) < 7:
        week.insert(0, week[0])
    return [week[i % 7] for i in range(horizon)]


def _fit(
    train: Sequence[float], first: date, horizon: int
) -> tuple[str, list[float], list[float], list[float]]:
    """(model, mean, lower, upper) of the next `horizon` days after `train` (which starts at `first`)."""
    first = first + timedelta(days=max(0, len(train) - FIT_DAYS))
    train = list(train[-FIT_DAYS:])
    naive = seasonal_naive(train, horizon)
    if len(train) < MIN_FIT_DAYS or max(train) == min(train):
        return NAIVE, naive, naive, naive
    import pandas as pd  # heavy: only the fitting child process imports it
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    index = pd.date_range(first, periods=len(train), freq="D")
    model = ETSModel(
        pd.Series(train, index=index, dtype=float),
        error="add",
        trend="add",
        damped_trend=True,
        seasonal="add",
        seasonal_periods=7,
        initialization_method="heuristic",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence chatter: the backtest tells how good it is
            fitted = model.fit(disp=False)
            frame = fitted.get_prediction(start=len(train), end=len(train) + horizon - 1).summary_frame(
                alpha=1 - INTERVAL
            )
    except (ValueError, ArithmeticError, RuntimeError, IndexError):
        return NAIVE, naive, naive, naive
    mean = [float(v) for v in frame["mean"]]
    if not all(math.isfinite(v) for v in mean):
        return NAIVE, naive, naive, naive
    return MODEL, mean, [float(v) for v in frame["pi_lower"]], [float(v) for v in frame["pi_upper"]]


def _mae(pairs: Sequence[tuple[float, float]]) -> float:
    return sum(abs(a - f) for a, f in pairs) / len(pairs)


def _scale(train: Sequence[float]) -> float | None:
    """Mean absolute change from a week before, in sample (the MASE denominator)."""
    diffs = [abs(train[i] - train[i - 7]) for i in range(7, len(train))]
    scale = sum(diffs) / len(diffs) if diffs else 0.0
    return scale if scale > 0 else None


def backtest(days: Sequence[date], values: Sequence[float], open_: Sequence[bool]) -> Backtest | None:
    """Fit on all but the last HELD_OUT_DAYS, forecast them, and compare on their open days with the
    seasonal-naive baseline from the same origin (None: too little history or no open day)."""
    cut = len(days) - HELD_OUT_DAYS
    if cut < MIN_FIT_DAYS:
        return None
    train = impute(days[:cut], values[:cut], open_[:cut])
    _, mean, _, _ = _fit(train, days[0], HELD_OUT_DAYS)
    naive = seasonal_naive(train, HELD_OUT_DAYS)
    held = [i for i in range(HELD_OUT_DAYS) if open_[cut + i]]
    if not held:
        return None
    model_pairs = [(float(values[cut + i]), max(0.0, mean[i])) for i in held]
    naive_pairs = [(float(values[cut + i]), naive[i]) for i in held]
    scale = _scale(train[-FIT_DAYS:])
    mae, baseline_mae = _mae(model_pairs), _mae(naive_pairs)
    return Backtest(
        from_day=days[cut],
        to_day=days[-1],
        days=len(held),
        mae=round(mae, 3),
        mase=round(mae / scale, 3) if scale else None,
        baseline_mae=round(baseline_mae, 3),
        baseline_mase=round(baseline_mae / scale, 3) if scale else None,
    )


def forecast_measure(
    history: Mapping[date, float],
    *,
    first: date,
    last: date,
    is_open: Callable[[date], bool],
    horizon: int = HORIZON_DAYS,
) -> MeasureForecast:
    """The next `horizon` days after `last` from the daily counts `history` of first–last (a day
    missing counts 0), and the backtest on the last HELD_OUT_DAYS of it."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    values = [float(history.get(d, 0)) for d in days]
    open_ = [is_open(d) for d in days]
    series = impute(days, values, open_)
    model, mean, lower, upper = _fit(series, first, horizon)
    naive = seasonal_naive(series, horizon)
    ahead: list[DayForecast] = []
    for i in range(horizon):
        day = last + timedelta(days=i + 1)
        if not is_open(day):
            ahead.append(DayForecast(day, False, 0.0, 0.0, 0.0, 0.0))
            continue
        ahead.append(
            DayForecast(
                day,
                True,
                round(max(0.0, mean[i]), 1),
                round(max(0.0, lower[i]), 1),
                round(max(0.0, upper[i]), 1),
                round(max(0.0, naive[i]), 1),
            )
        )
    return MeasureForecast(model, ahead, backtest(days, values, open_))
