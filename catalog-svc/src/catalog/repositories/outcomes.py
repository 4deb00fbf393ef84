"""Queries on item outcomes: what applications of each item took (from intake's events)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import ItemOutcome


class OutcomeRepository:
    """Item outcomes in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, application_id: str) -> ItemOutcome | None:
        """The application's outcome row, or None."""
        return await self.session.get(ItemOutcome, application_id)

    def add(self, row: ItemOutcome) -> None:
        """Stage a new row."""
        self.session.add(row)

    async def since(self, start: datetime) -> list[ItemOutcome]:
        """The outcomes of applications received since `start`."""
        rows = await self.session.scalars(select(ItemOutcome).where(ItemOutcome.received_at >= start))
        return list(rows)
