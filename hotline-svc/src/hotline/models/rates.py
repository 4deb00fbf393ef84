"""Counts behind the three rates (三率), per unit and day (Asia/Shanghai), kept by the database.

Triggers on `response_dues` and `callbacks` (migration hotline_0005) keep them in the writer's
transaction, whoever writes (a dispatch, a response, a re-dispatch moving an obligation, a repair
by hand): a month's rates read a few hundred of these rows instead of the month's raw rows.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class ResponseDayCount(Base):
    """Response obligations (`response_dues`) of one unit with a deadline on one day."""

    __tablename__ = "response_day_counts"

    # Day first: a month's counts are one range of the key.
    day: Mapped[date] = mapped_column(Date, primary_key=True)  # the deadline's day in Beijing
    unit_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    obligations: Mapped[int] = mapped_column(Integer)
    on_time: Mapped[int] = mapped_column(Integer)  # answered by their deadline


class CallbackDayCount(Base):
    """Call-backs (`callbacks`) credited to one unit, made on one day."""

    __tablename__ = "callback_day_counts"

    day: Mapped[date] = mapped_column(Date, primary_key=True)  # the call's day in Beijing
    unit_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    callbacks: Mapped[int] = mapped_column(Integer)
    resolved: Mapped[int] = mapped_column(Integer)
    satisfied: Mapped[int] = mapped_column(Integer)
    basically: Mapped[int] = mapped_column(Integer)
