"""Demand forecast responses (需求预判): per day the forecast with its interval beside the naive
baseline, the backtest on held-out weeks, and the staffing hint."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

Measure = Literal["applications", "visits"]


class ForecastFigureRead(BaseModel):
    """One measure's forecast of one day."""

    forecast: float = Field(description="The model's forecast (expected count).")
    lower: float = Field(description="Lower end of the interval (`interval` coverage).")
    upper: float = Field(description="Upper end of the interval.")
    baseline: float = Field(description="The seasonal-naive baseline: the last open same weekday.")


class DemandDayRead(BaseModel):
    """A future day: open or not, both measures' forecasts and the windows the visits need."""

    day: date
    weekday: int = Field(ge=1, le=7, description="ISO weekday, 1 = Monday.")
    open: bool = Field(description="False: the hall is closed (holiday, weekend); every figure is 0.")
    open_minutes: int | None = Field(description="Minutes open by the place's hours; null when unknown.")
    applications: ForecastFigureRead = Field(description="Applications received (收件).")
    visits: ForecastFigureRead = Field(description="Hall visits: numbers taken (取号).")
    windows_needed: int | None = Field(
        description="Windows to open for the forecast demand (see `staffing`); null: hours unknown."
    )


class ForecastBacktestRead(BaseModel):
    """How far to trust a measure's forecast: the errors on the held-out weeks (the model fitted on
    the weeks before them), the model's beside the baseline's."""

    measure: Measure
    model: str = Field(
        description="The model fitted, e.g. `ETS(A,Ad,A) weekly`; `seasonal naive` "
        "when the history is too short or flat for one."
    )
    held_out_from: date | None = Field(description="First held-out day; null: too little history.")
    held_out_to: date | None
    days: int = Field(description="Open held-out days the errors average over.")
    mae: float | None = Field(description="The model's mean absolute error (cases a day).")
    mase: float | None = Field(
        description="MAE scaled by the history's mean change from a week before (below 1: better than "
        "that change)."
    )
    baseline_mae: float | None = Field(description="The seasonal-naive baseline's MAE on the same days.")
    baseline_mase: float | None
    beats_baseline: bool | None = Field(description="The model's MAE is below the baseline's.")


class WeekdayStaffingRead(BaseModel):
    """A weekday over the forecast weeks: mean demand on its open days and the windows it needs."""

    weekday: int = Field(ge=1, le=7, description="ISO weekday, 1 = Monday.")
    open_days: int = Field(description="Open days of this weekday in the forecast weeks.")
    applications: float = Field(description="Mean forecast applications on them.")
    visits: float = Field(description="Mean forecast visits on them.")
    windows_needed: int | None = Field(description="The most windows any of them needs.")


class StaffingRead(BaseModel):
    """The staffing hint: windows needed = demand × minutes per case ÷ (minutes open × utilisation)."""

    basis: Measure = Field(
        description="The demand counted: visits where the hall issues numbers, else applications."
    )
    service_minutes: float = Field(
        description="Minutes per case: the hall's windows' measured mean "
        "(the queue's last services), else the configured default."
    )
    service_minutes_measured: bool
    utilisation: float = Field(description="Share of open time a window serves.")
    weekdays: list[WeekdayStaffingRead]


class DemandForecastRead(BaseModel):
    """A hall's (and an item's, or all items') demand forecast for the next weeks (需求预判)."""

    unit_code: str = Field(description="The hall's org unit, or `online` (网上办事大厅).")
    unit_name: str
    item_code: str | None = Field(description="The item; null: every item of the hall.")
    item_name: str | None
    as_of: date = Field(description="First forecast day; the history runs to the day before.")
    computed_at: datetime = Field(description="When the daily pass fitted it.")
    history_from: date
    history_to: date
    interval: float = Field(description="Coverage of the intervals (0.8: 80 %).")
    weeks: int
    days: list[DemandDayRead]
    backtest: list[ForecastBacktestRead]
    staffing: StaffingRead
