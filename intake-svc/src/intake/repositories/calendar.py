"""Queries on the working-day calendar identity-svc keeps (a shared table, read-only here)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.calendar import WorkingCalendar
from yiwang_shared.tables import calendar_days


class CalendarRepository:
    """The working-day calendar in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def database_key(self) -> str:
        """Which database the session reads (its URL), to cache per database."""
        return str(getattr(self.session.bind, "url", ""))

    async def fingerprint(self) -> tuple[Any, ...]:
        """(row count, latest update): changes whenever the table does."""
        query = sa.select(sa.func.count(), sa.func.max(calendar_days.c.updated_at))
        return tuple((await self.session.execute(query)).one())

    async def load(self) -> WorkingCalendar:
        """The calendar as the database has it now."""
        return await WorkingCalendar.load(self.session)
