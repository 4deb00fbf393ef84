"""Queries on the materials handed in with an application, round by round."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.applications import ApplicationMaterial


class MaterialRepository:
    """Application materials in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def last_handed_in(self, application_id: str, round_no: int) -> datetime | None:
        """When the last material of round `round_no` was handed in (None: none was)."""
        return await self.session.scalar(
            select(func.max(ApplicationMaterial.created_at)).where(
                ApplicationMaterial.application_id == application_id, ApplicationMaterial.round == round_no
            )
        )
