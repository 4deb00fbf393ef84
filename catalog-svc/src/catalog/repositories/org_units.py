"""Queries on the organisation units (the read model identity-svc's events keep)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import OrgUnit


class OrgUnitRepository:
    """Org units in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, unit_id: str) -> OrgUnit | None:
        """The unit with id `unit_id`, or None."""
        return await self.session.get(OrgUnit, unit_id)

    async def find_by_code(self, code: str) -> OrgUnit | None:
        """The unit with `code`, or None."""
        return (await self.session.execute(select(OrgUnit).where(OrgUnit.code == code))).scalar_one_or_none()

    async def code_of(self, unit_id: str) -> str | None:
        """The code of the unit with id `unit_id`, or None."""
        return await self.session.scalar(select(OrgUnit.code).where(OrgUnit.id == unit_id))
