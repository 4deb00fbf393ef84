"""Queries on the organisation read model (identity's units)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared import org_read_model

from ..models import OrgUnit


class OrgUnitRepository:
    """Organisation units in the read model."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, unit_id: str) -> OrgUnit | None:
        """The unit with id `unit_id`, or None."""
        return await self.session.get(OrgUnit, unit_id)

    async def upsert(self, data: dict[str, Any]) -> OrgUnit:
        """Create or update a unit from an org_unit.changed payload; an older event never wins."""
        return await org_read_model.upsert_org_unit(self.session, OrgUnit, data)
