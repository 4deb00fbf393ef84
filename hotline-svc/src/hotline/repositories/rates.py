"""Queries behind the three rates (三率): response obligations and call-backs in a month."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Callback, ResponseDue


class RatesRepository:
    """Response obligations and call-backs, read for the indicators."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def dues(self, start: datetime, end: datetime, *, now: datetime) -> list[ResponseDue]:
        """Response obligations with a deadline in [start, end) that are due by `now`: answered, or
        their deadline passed."""
        query = select(ResponseDue).where(
            ResponseDue.due_at >= start,
            ResponseDue.due_at < end,
            or_(ResponseDue.due_at <= now, ResponseDue.responded_at.is_not(None)),
        )
        return list((await self.session.execute(query)).scalars())

    async def callbacks(self, start: datetime, end: datetime) -> list[Callback]:
        """Call-backs made in [start, end)."""
        query = select(Callback).where(and_(Callback.called_at >= start, Callback.called_at < end))
        return list((await self.session.execute(query)).scalars())
