"""Writes to the organisation read model (identity's units, from identity.org_unit.changed.v1);
it is read whole, through the read-model cache (`repositories/read_models.py`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared import org_read_model

from ..models.applications import OrgUnit


class OrgUnitRepository:
    """Organisation units in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def upsert(self, data: dict[str, Any]) -> OrgUnit:
        """Create or update a unit from an org_unit.changed payload; an older event never wins."""
        return await org_read_model.upsert_org_unit(self.session, OrgUnit, data)
