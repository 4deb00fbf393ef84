"""Queries on the guide-view marks: which (hashed) client's view of which item counted on which day."""

from __future__ import annotations

from datetime import date
from typing import cast

from sqlalchemy import Table, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import GuideViewMark


class GuideViewMarkRepository:
    """Guide-view marks in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def mark(self, *, day: date, client: str, item_code: str) -> bool:
        """Mark the client's view of the item on the day; False when it was marked already."""
        session = self.session
        table = cast(Table, GuideViewMark.__table__)
        dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
        stmt = (
            insert.values(day=day, client=client, item_code=item_code)
            .on_conflict_do_nothing()
            .returning(table.c.day)
        )
        return (await session.execute(stmt)).first() is not None

    async def delete_before(self, day: date) -> int:
        """Delete the marks of days before `day`; how many."""
        result = await self.session.execute(delete(GuideViewMark).where(GuideViewMark.day < day))
        return int(getattr(result, "rowcount", 0) or 0)
