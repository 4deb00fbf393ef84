"""Queries on what the deciding unit records on a case: decision steps and clock pauses
(特别程序)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.applications import ClockPause, DecisionStep


class HandlingRepository:
    """Decision steps and clock pauses in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def steps_of(self, application_id: str) -> list[DecisionStep]:
        """The case's steps in order."""
        rows = await self.session.execute(
            select(DecisionStep)
            .where(DecisionStep.application_id == application_id)
            .order_by(DecisionStep.started_at)
        )
        return list(rows.scalars())

    async def pauses_of(self, application_id: str) -> list[ClockPause]:
        """The case's special procedures in order."""
        rows = await self.session.execute(
            select(ClockPause)
            .where(ClockPause.application_id == application_id)
            .order_by(ClockPause.started_on)
        )
        return list(rows.scalars())

    async def get_running_pause(self, application_id: str) -> ClockPause:
        """The case's running pause (exactly one: raises otherwise)."""
        query = select(ClockPause).where(
            ClockPause.application_id == application_id, ClockPause.ended_on.is_(None)
        )
        return (await self.session.execute(query)).scalar_one()

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

    def add(self, row: DecisionStep | ClockPause) -> None:
        """Stage a step or a pause."""
        self.session.add(row)
