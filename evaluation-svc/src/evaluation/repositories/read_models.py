"""Queries on the read models of other services' data: identity's units and staff, catalog's items."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared import org_read_model, staff_read_model
from yiwang_shared.calendar import WorkingCalendar
from yiwang_shared.read_model_cache import CachedReadModel
from yiwang_shared.tables import calendar_days

from ..models import CatalogItem, OrgUnit, StaffMember


@dataclass(frozen=True)
class Unit:
    """An organisation unit as the read model has it."""

    id: str
    code: str
    name: str
    parent_id: str | None


@dataclass(frozen=True)
class OrgTree:
    """Every known unit, by id and by code."""

    by_id: Mapping[str, Unit]
    by_code: Mapping[str, Unit]


_ORG_UNITS: Table = OrgUnit.__table__  # type: ignore[assignment]


async def _load_org_tree(session: AsyncSession) -> OrgTree:
    # From the table, not the ORM class: loading must not flush what the step has pending.
    u = _ORG_UNITS.c
    units = [Unit(*row) for row in await session.execute(select(u.id, u.code, u.name, u.parent_id))]
    return OrgTree(
        by_id=MappingProxyType({x.id: x for x in units}),
        by_code=MappingProxyType({x.code: x for x in units}),
    )


async def _load_calendar(session: AsyncSession) -> WorkingCalendar:
    return await WorkingCalendar.load(session)


#: identity's organisation tree (a window's unit; a token's unit id as a code).
ORG_TREE = CachedReadModel("org_units", _ORG_UNITS, _load_org_tree)
#: The working-day calendar (a bad-review case's deadline).
CALENDAR = CachedReadModel("calendar_days", calendar_days, _load_calendar)


class OrgUnitRepository:
    """identity's organisation units, as evaluation keeps them."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

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
