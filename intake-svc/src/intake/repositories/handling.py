"""Queries on what the deciding unit records on a case across cases: the running clock pauses
(特别程序). A case's own steps and pauses are loaded with it (`repositories/applications.py`)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.applications import ClockPause


class HandlingRepository:
    """Clock pauses in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def running_since(self, application_ids: list[str]) -> dict[str, date]:
        """{application id: start of its running pause} for those of `application_ids` paused."""
        if not application_ids:
            return {}
        rows = await self.session.execute(
            select(ClockPause.application_id, ClockPause.started_on).where(
                ClockPause.application_id.in_(application_ids), ClockPause.ended_on.is_(None)
            )
        )
        return {a: d for a, d in rows.all()}
