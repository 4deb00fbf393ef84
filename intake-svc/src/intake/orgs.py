"""The organisation read model (from identity.org_unit.changed.v1) and questions about units:
which unit a staff member belongs to, and the chain of units above it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared import org_read_model
from yiwang_shared.auth import Principal

from .models.applications import OrgUnit


async def upsert_org_unit(session: AsyncSession, data: dict[str, Any]) -> OrgUnit:
    """Create or update a unit from an org_unit.changed payload; an older event never wins."""
    return await org_read_model.upsert_org_unit(session, OrgUnit, data)


async def find_unit(session: AsyncSession, ref: str) -> OrgUnit | None:
    """A unit by id or by code."""
    unit = await session.get(OrgUnit, ref)
    if unit is not None:
        return unit
    return (await session.execute(select(OrgUnit).where(OrgUnit.code == ref))).scalar_one_or_none()


async def unit_chain(session: AsyncSession, ref: str | None) -> list[OrgUnit]:
    """The unit and its ancestors, nearest first (empty when unknown)."""
    chain: list[OrgUnit] = []
    unit = await find_unit(session, ref) if ref else None
    while unit is not None and len(chain) < 12:
        chain.append(unit)
        unit = await session.get(OrgUnit, unit.parent_id) if unit.parent_id else None
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
