"""Queries behind the three rates (三率): response obligations and call-backs in a month, counted
per unit by the database — from the per-unit, per-day counts the triggers keep (a month's raw rows
grow with the district's traffic, its counts do not), and from the raw rows where an obligation's
being due depends on the moment (its deadline day is not over), read from an index that holds every
column they need."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Integer, and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Callback, CallbackDayCount, ResponseDayCount, ResponseDue


def _sum_of(condition: Any) -> Any:
    """How many rows of the group meet `condition` (0 for none, never NULL)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0).cast(Integer)


class RatesRepository:
    """Response obligations and call-backs, counted for the indicators."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def due_counts(
        self, start: datetime, end: datetime, *, now: datetime, unit: str | None = None
    ) -> Sequence[Any]:
        """Per unit (or of `unit`): (unit code, obligations due, answered by their deadline), of the
        obligations with a deadline in [start, end) that are due by `now`: answered, or their
        deadline passed."""
        on_time = and_(ResponseDue.responded_at.is_not(None), ResponseDue.responded_at <= ResponseDue.due_at)
        query = (
            select(ResponseDue.unit_code, func.count(), _sum_of(on_time))
            .where(
                ResponseDue.due_at >= start,
                ResponseDue.due_at < end,
                or_(ResponseDue.due_at <= now, ResponseDue.responded_at.is_not(None)),
            )
            .group_by(ResponseDue.unit_code)
        )
        if unit is not None:
            query = query.where(ResponseDue.unit_code == unit)
        return (await self.session.execute(query)).all()

    async def due_counted(self, first: date, until: date, *, unit: str | None = None) -> Sequence[Any]:
        """Per unit (or of `unit`): (unit code, obligations, answered by their deadline), of the
        obligations with a deadline on a day in [first, until), from the day counts."""
        query = (
            select(
                ResponseDayCount.unit_code,
                func.sum(ResponseDayCount.obligations),
                func.sum(ResponseDayCount.on_time),
            )
            .where(ResponseDayCount.day >= first, ResponseDayCount.day < until)
            .group_by(ResponseDayCount.unit_code)
            # A unit whose obligations all moved away has rows of 0 left: not a unit with any.
            .having(func.sum(ResponseDayCount.obligations) > 0)
        )
        if unit is not None:
            query = query.where(ResponseDayCount.unit_code == unit)
        return (await self.session.execute(query)).all()

    async def callbacks_counted(self, first: date, until: date, *, unit: str | None = None) -> Sequence[Any]:
        """Per unit (or of `unit`): (unit code, call-backs, resolved, satisfied, basically
        satisfied), of the call-backs made on a day in [first, until), from the day counts."""
        query = (
            select(
                CallbackDayCount.unit_code,
                func.sum(CallbackDayCount.callbacks),
                func.sum(CallbackDayCount.resolved),
                func.sum(CallbackDayCount.satisfied),
                func.sum(CallbackDayCount.basically),
            )
            .where(CallbackDayCount.day >= first, CallbackDayCount.day < until)
            .group_by(CallbackDayCount.unit_code)
            .having(func.sum(CallbackDayCount.callbacks) > 0)
        )
        if unit is not None:
            query = query.where(CallbackDayCount.unit_code == unit)
        return (await self.session.execute(query)).all()

    async def callback_counts(
        self, start: datetime, end: datetime, *, unit: str | None = None
    ) -> Sequence[Any]:
        """Per unit (or of `unit`): (unit code, call-backs, resolved, satisfied, basically
        satisfied), of the call-backs made in [start, end)."""
        query = (
            select(
                Callback.unit_code,
                func.count(),
                _sum_of(Callback.resolved.is_(True)),
                _sum_of(Callback.satisfaction == "satisfied"),
                _sum_of(Callback.satisfaction == "basically"),
            )
            .where(Callback.called_at >= start, Callback.called_at < end)
            .group_by(Callback.unit_code)
        )
        if unit is not None:
            query = query.where(Callback.unit_code == unit)
        return (await self.session.execute(query)).all()
