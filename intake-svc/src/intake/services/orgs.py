"""The organisation read model (from identity.org_unit.changed.v1) and questions about units:
which unit a staff member belongs to, and the chain of units above it — walked in memory on the
cached tree (`services/read_models.py`), never unit by unit in the database."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal

from ..models.applications import OrgUnit
from ..repositories.org_units import OrgUnitRepository
from .read_models import OrgTree, UnitRecord, org_tree, place_phones

#: Deeper than any real tree: a cycle in bad data cannot loop for ever.
MAX_DEPTH = 12


async def upsert_org_unit(session: AsyncSession, data: dict[str, Any]) -> OrgUnit:
    """Create or update a unit from an org_unit.changed payload; an older event never wins."""
    return await OrgUnitRepository(session).upsert(data)


def _find(tree: OrgTree, ref: str) -> UnitRecord | None:
    return tree.by_id.get(ref) or tree.by_code.get(ref)


async def find_unit(session: AsyncSession, ref: str) -> UnitRecord | None:
    """A unit by id or by code."""
    return _find(await org_tree(session), ref)


async def unit_chain(session: AsyncSession, ref: str | None) -> list[UnitRecord]:
    """The unit and its ancestors, nearest first (empty when unknown)."""
    tree = await org_tree(session)
    chain: list[UnitRecord] = []
    unit = _find(tree, ref) if ref else None
    while unit is not None and len(chain) < MAX_DEPTH:
        chain.append(unit)
        unit = tree.by_id.get(unit.parent_id) if unit.parent_id else None
    return chain


async def staff_unit_code(session: AsyncSession, principal: Principal) -> str | None:
    """The code of the staff member's unit (the token carries its id; a code is accepted too)."""
    if not principal.org_unit:
        return None
    unit = await find_unit(session, principal.org_unit)
    return unit.code if unit is not None else principal.org_unit


def units_at_and_below(tree: OrgTree, code: str) -> tuple[str, ...]:
    """`code` and the codes of the read model's units under it (their codes carry it plus
    "-<suffix>": windows of a centre, …), `code` first."""
    under = code + "-"
    return (code, *sorted(c for c in tree.by_code if c.startswith(under)))


async def staff_units(session: AsyncSession, principal: Principal) -> tuple[str, ...]:
    """The codes of the staff member's unit and the units under it (none without a unit): whose
    cases they see."""
    code = await staff_unit_code(session, principal)
    return () if code is None else units_at_and_below(await org_tree(session), code)


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
    return (await place_phones(session)).get(unit_code)


async def bundle_window(session: AsyncSession, configured: str) -> str | None:
    """The window that receives 一件事 applications made online: `configured`, else the first window
    (by code) directly under the service centre nearest the top of the tree (the district's)."""
    if configured:
        return configured
    tree = await org_tree(session)
    centres = sorted(
        (u for u in tree.by_code.values() if u.kind == "service_centre"), key=lambda u: (u.level, u.code)
    )
    for centre in centres:
        windows = sorted(
            u.code for u in tree.by_code.values() if u.kind == "window" and u.parent_id == centre.id
        )
        if windows:
            return windows[0]
    return None
