"""The organisation read model: unit lookups, areas (streets, communities), unit kinds."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from .. import errors
from ..models import OrgUnit
from ..repositories.orgs import OrgUnitRepository
from ..repositories.read_models import Unit
from .read_models import org_tree

STREET_CODE = re.compile(r"^\d{9}$")
COMMUNITY_CODE = re.compile(r"^\d{12}$")


async def find_unit(session: AsyncSession, code: str) -> Unit | None:
    """The unit with `code`, or None."""
    return (await org_tree(session)).by_code.get(code)


async def unit_code_of(session: AsyncSession, unit_id: str) -> str | None:
    """The code of the unit with id `unit_id`, or None when the read model does not know it."""
    unit = (await org_tree(session)).by_id.get(unit_id)
    return unit.code if unit is not None else None


async def ancestry(session: AsyncSession, code: str, *, limit: int = 12) -> list[str]:
    """The unit's code and its ancestors', nearest first, at most `limit` (just the code when unknown)."""
    tree = await org_tree(session)
    codes: list[str] = []
    unit = tree.by_code.get(code)
    while unit is not None and len(codes) < limit:
        codes.append(unit.code)
        unit = tree.by_id.get(unit.parent_id) if unit.parent_id else None
    return codes or [code]


async def check_unit(session: AsyncSession, code: str, field: str) -> Unit:
    """The unit with `code`; 422 naming `field` when unknown."""
    unit = await find_unit(session, code)
    if unit is None:
        raise errors.unknown_unit(code, field)
    return unit


async def check_area(
    session: AsyncSession, street_code: str | None, community_code: str | None
) -> tuple[str | None, str | None]:
    """Validate street and community against the tree; a community implies its street."""
    tree = await org_tree(session)
    if community_code:
        community = tree.by_code.get(community_code)
        if community is None or community.kind != "community":
            raise errors.unknown_area(community_code, "community_code")
        parent = tree.by_id.get(community.parent_id) if community.parent_id else None
        if parent is not None:
            if street_code and street_code != parent.code:
                raise errors.community_outside_street(community_code, street_code, parent.code)
            street_code = parent.code
    if street_code:
        street = tree.by_code.get(street_code)
        if street is None or street.kind != "street":
            raise errors.unknown_area(street_code, "street_code")
    return street_code, community_code


def street_of(unit_code: str) -> str | None:
    """The street a unit belongs to by its code (110105001-FWZX → 110105001), else None."""
    head = unit_code.split("-", 1)[0]
    if len(head) >= 9 and head[:9].isdigit():
        return head[:9]
    return None


def unit_group(unit_code: str, kind: str | None) -> str | None:
    """'street' for a street and its centre/communities, 'department' for a department."""
    if street_of(unit_code):
        return "street"
    if kind == "department":
        return "department"
    return None


async def upsert_org_unit(session: AsyncSession, data: dict[str, Any]) -> OrgUnit:
    """Create or update a unit from an org_unit.changed payload; an older event never wins."""
    return await OrgUnitRepository(session).upsert(data)


async def unit_kinds(session: AsyncSession) -> dict[str, str]:
    """Every known unit's kind, by code."""
    return {code: unit.kind for code, unit in (await org_tree(session)).by_code.items()}


async def unit_names(session: AsyncSession) -> dict[str, str]:
    """Every known unit's name, by code."""
    return {code: unit.name for code, unit in (await org_tree(session)).by_code.items()}
