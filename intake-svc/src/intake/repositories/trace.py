"""Queries on the trace (办事留痕): the hash-chained entries of a case."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.applications import TraceEntry


class TraceRepository:
    """Trace entries in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_application(self, application_id: str) -> list[TraceEntry]:
        """The case's entries in order."""
        rows = await self.session.execute(
            select(TraceEntry).where(TraceEntry.application_id == application_id).order_by(TraceEntry.seq)
        )
        return list(rows.scalars())

    async def page(self, application_id: str, *, limit: int, offset: int) -> tuple[list[TraceEntry], int]:
        """One page of the case's entries in order, and how many there are in all."""
        where = TraceEntry.application_id == application_id
        total = int(await self.session.scalar(select(func.count()).select_from(TraceEntry).where(where)) or 0)
        rows = await self.session.execute(
            select(TraceEntry).where(where).order_by(TraceEntry.seq).limit(limit).offset(offset)
        )
        return list(rows.scalars()), total

    def add(self, entry: TraceEntry) -> None:
        """Stage a new entry."""
        self.session.add(entry)
