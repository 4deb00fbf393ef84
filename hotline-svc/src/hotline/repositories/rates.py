"""Queries behind the three rates (三率): response obligations and call-backs in a month, counted
per unit by the database (a month's rows grow with the district's traffic; only the counts leave
it, read from indexes that hold every column they need)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Callback, ResponseDue


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
