"""Queries on the documents issued on a case (告知书、通知书、决定书)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.applications import Notice


class NoticeRepository:
    """Notices in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, notice_id: str) -> Notice | None:
        """The notice, or None."""
        return await self.session.get(Notice, notice_id)

    async def of_application(self, application_id: str) -> list[Notice]:
        """Every document of the case, as issued."""
        rows = await self.session.execute(
            select(Notice).where(Notice.application_id == application_id).order_by(Notice.issued_at)
        )
        return list(rows.scalars())

    async def corrections_of(self, application_id: str) -> list[Notice]:
        """The one-time notices of the case, oldest first."""
        rows = await self.session.execute(
            select(Notice)
            .where(Notice.application_id == application_id, Notice.kind == "correction")
            .order_by(Notice.issued_at, Notice.number)
        )
        return list(rows.scalars())

    def add(self, notice: Notice) -> None:
        """Stage a new notice."""
        self.session.add(notice)
