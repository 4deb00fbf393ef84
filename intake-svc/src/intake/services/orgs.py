"""The organisation read model (from identity.org_unit.changed.v1) and questions about units:
which unit a staff member belongs to, and the chain of units above it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal

from ..models.applications import OrgUnit
from ..repositories.org_units import OrgUnitRepository


async def upsert_org_unit(session: AsyncSession, data: dict[str, Any]) -> OrgUnit:
    """Create or update a unit from an org_unit.changed payload; an older event never wins."""
    return await OrgUnitRepository(session).upsert(data)


async def find_unit(session: AsyncSession, ref: str) -> OrgUnit | None:
    """A unit by id or by code."""
    units = OrgUnitRepository(session)
    unit = await units.find(ref)
    if unit is not None:
        return unit
    return await units.find_by_code(ref)


async def unit_chain(session: AsyncSession, ref: str | None) -> list[OrgUnit]:
    """The unit and its ancestors, nearest first (empty when unknown)."""
    units = OrgUnitRepository(session)
    chain: list[OrgUnit] = []
    unit = await find_unit(session, ref) if ref else None
    while unit is not None and len(chain) < 12:
        chain.append(unit)
        unit = await units.find(unit.parent_id) if unit.parent_id else None
    return chain


async def staff_unit_code(session: AsyncSession, principal: Principal) -> str | None:
    """The code of the staff member's unit (the token carries its id; a code is accepted too)."""
    if not principal.org_unit:
        return None
    unit = await find_unit(session, principal.org_unit)
    return unit.code if unit is not None else principal.org_unit


async def staff_unit_codes(session: AsyncSession, principal: Principal) -> list[str]:
    """The staff member's unit code and every ancestor's code, nearest first."""
    if not principal.org_unit:
        return []
    chain = await unit_chain(session, principal.org_unit)
    return [u.code for u in chain] or [principal.org_unit]


async def place_phone(session: AsyncSession, unit_code: str | None) -> str | None:
    """The phone of the unit's first active service place, if it has one."""
    if not unit_code:
        return None
    return await OrgUnitRepository(session).find_place_phone(unit_code)
