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

    async def of_application(self, application_id: str) -> list[ApplicationMaterial]:
        """Every material of the case, by round, then as handed in."""
        rows = await self.session.execute(
            select(ApplicationMaterial)
            .where(ApplicationMaterial.application_id == application_id)
            .order_by(ApplicationMaterial.round, ApplicationMaterial.created_at)
        )
        return list(rows.scalars())

    async def names_after_round(self, application_id: str, round_no: int) -> set[str]:
        """The names of the materials handed in after round `round_no`."""
        rows = await self.session.execute(
            select(ApplicationMaterial.name).where(
                ApplicationMaterial.application_id == application_id, ApplicationMaterial.round > round_no
            )
        )
        return set(rows.scalars())

    async def last_handed_in(self, application_id: str, round_no: int) -> datetime | None:
        """When the last material of round `round_no` was handed in (None: none was)."""
        return await self.session.scalar(
            select(func.max(ApplicationMaterial.created_at)).where(
                ApplicationMaterial.application_id == application_id, ApplicationMaterial.round == round_no
            )
        )

    def add(self, material: ApplicationMaterial) -> None:
        """Stage a material."""
        self.session.add(material)
