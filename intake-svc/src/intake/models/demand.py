"""intake-svc demand tables (需求预判, issue 21 §5): the daily count of applications received and
numbers taken per hall and item, kept in the transaction that creates them, and the forecasts the
daily pass fits from it (cached: a request never fits a model)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class DemandDay(Base):
    """One local day's demand at a hall for an item: applications received (收件) and hall visits
    (numbers taken, 取号). `unit_code` is the hall's org unit (a service centre, the unit of the
    window that received the case) or `online` (网上办事大厅); `item_code` is empty for a number
    taken by category without naming an item."""

    __tablename__ = "demand_days"
    __table_args__ = (Index("ix_demand_days_unit_item_day", "unit_code", "item_code", "day"),)

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    item_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    applications: Mapped[int] = mapped_column(Integer, default=0)
    visits: Mapped[int] = mapped_column(Integer, default=0)


class DemandForecast(Base):
    """The forecast of a hall (and an item, or `*` for all of them) as the daily pass last fitted
    it: the next weeks day by day, the backtest on held-out weeks, the baseline's figures."""

    __tablename__ = "demand_forecasts"

    unit_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    item_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: The first day forecast (history runs to the day before).
    as_of: Mapped[date] = mapped_column(Date)
    computed_at: Mapped[datetime]
    #: {"model", "history_from", "history_to", "applications": {...}, "visits": {...}, "open_minutes"}.
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
