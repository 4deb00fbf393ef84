"""Queries on the organisation read model (identity's units, from identity.org_unit.changed.v1)
and on where a unit can be reached."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared import org_read_model

from ..models.applications import OrgUnit
from ..models.appointments import ServicePlace


class OrgUnitRepository:
    """Organisation units in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, unit_id: str) -> OrgUnit | None:
        """The unit with id `unit_id`, or None."""
        return await self.session.get(OrgUnit, unit_id)

    async def find_by_code(self, code: str) -> OrgUnit | None:
        """The unit with code `code`, or None."""
        return (await self.session.execute(select(OrgUnit).where(OrgUnit.code == code))).scalar_one_or_none()

    async def upsert(self, data: dict[str, Any]) -> OrgUnit:
        """Create or update a unit from an org_unit.changed payload; an older event never wins."""
        return await org_read_model.upsert_org_unit(self.session, OrgUnit, data)

    async def find_place_phone(self, unit_code: str) -> str | None:
        """The phone of the unit's first active service place (by code), if any."""
        row = await self.session.execute(
            select(ServicePlace.phone)
            .where(ServicePlace.org_unit_code == unit_code, ServicePlace.active.is_(True))
            .order_by(ServicePlace.code)
            .limit(1)
        )
        return row.scalar_one_or_none()
