"""Queries on the read models of other services' data: identity's units and staff, catalog's items."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared import org_read_model, staff_read_model

from ..models import CatalogItem, OrgUnit, StaffMember


class OrgUnitRepository:
    """identity's organisation units, as evaluation keeps them."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, unit_id: str) -> OrgUnit | None:
        """The unit with id `unit_id`, or None."""
        return await self.session.get(OrgUnit, unit_id)

    async def find_by_code(self, code: str) -> OrgUnit | None:
        """The unit with code `code`, or None."""
        return (await self.session.execute(select(OrgUnit).where(OrgUnit.code == code))).scalar_one_or_none()

    async def names(self, codes: list[str]) -> dict[str, str]:
        """{code: name} of the units among `codes` that are known."""
        found = await self.session.execute(select(OrgUnit.code, OrgUnit.name).where(OrgUnit.code.in_(codes)))
        return {code: name for code, name in found.all()}

    async def upsert(self, change: dict[str, Any]) -> None:
        """Create or update a unit from a change; an older change never overwrites a newer one."""
        await org_read_model.upsert_org_unit(self.session, OrgUnit, change)


class StaffRepository:
    """identity's staff members, as evaluation keeps them (names for the rankings)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def names(self, ids: Iterable[str]) -> dict[str, str]:
        """{staff id: name} of the staff members among `ids` that are known."""
        found = await self.session.execute(
            select(StaffMember.id, StaffMember.name).where(StaffMember.id.in_(ids))
        )
        return {staff_id: name for staff_id, name in found.all()}

    async def upsert(self, change: dict[str, Any]) -> None:
        """Create or update a staff member; an older change never overwrites a newer one."""
        await staff_read_model.upsert_staff(self.session, StaffMember, change)


class CatalogItemRepository:
    """catalog's published items (and items only intake has named yet)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, code: str) -> CatalogItem | None:
        """The item with code `code`, or None."""
        return await self.session.get(CatalogItem, code)

    def add(self, item: CatalogItem) -> None:
        """Stage a new item."""
        self.session.add(item)

    async def names(self, codes: list[str]) -> dict[str, str]:
        """{code: name} of the items among `codes` that are known."""
        found = await self.session.execute(
            select(CatalogItem.code, CatalogItem.name).where(CatalogItem.code.in_(codes))
        )
        return {code: name for code, name in found.all()}

    async def codes_of_department(self, unit_code: str) -> list[str]:
        """Item codes a department answers for, in order."""
        rows = await self.session.execute(
            select(CatalogItem.code)
            .where(CatalogItem.department_code == unit_code)
            .order_by(CatalogItem.code)
        )
        return list(rows.scalars())
