"""Organisation units (组织机构): a tree district → street → community, with departments,
service centres, stations and windows hanging off it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from .. import events
from ..errors import (
    OrgUnitCodeTaken,
    OrgUnitCycle,
    OrgUnitLevelInvalid,
    OrgUnitNameRequired,
    OrgUnitNotFound,
    OrgUnitParentKind,
    OrgUnitParentUnknown,
    OrgUnitUsccTaken,
)
from ..models import OrgUnit
from ..repositories.org_units import OrgUnitRepository
from ..schemas.org_units import OrgUnitCreate
from .clock import utcnow

#: 行使层级 of the territorial kinds; the other kinds take their parent's level.
TERRITORIAL_LEVELS = {"district": 4, "street": 5, "community": 6}

#: Which kinds a unit of each kind may hang under (None: may be a root).
ALLOWED_PARENTS: dict[str, frozenset[str | None]] = {
    "district": frozenset({None}),
    "street": frozenset({"district"}),
    "community": frozenset({"street"}),
    "department": frozenset({"district", "street", "department"}),
    "service_centre": frozenset({"district", "street"}),
    "station": frozenset({"community"}),
    "window": frozenset({"service_centre", "station", "department"}),
}


#: Each kind as the district says it (机构类型).
KIND_ZH = {
    "district": "区",
    "street": "街道",
    "community": "社区",
    "department": "委办局",
    "service_centre": "政务服务中心",
    "station": "社区服务站",
    "window": "窗口",
}


def _kind_zh(kind: str) -> str:
    return KIND_ZH.get(kind, kind)


def _placement_zh(kind: str, allowed: frozenset[str | None], parent_kind: str | None) -> str:
    """Where a unit of `kind` may go, said to the administrator who tried to put it elsewhere."""
    if allowed == {None}:
        return f"{_kind_zh(kind)}是最上级机构，不能设上级机构，请删去 parent_id。"
    under = "、".join(_kind_zh(k) for k in sorted(k for k in allowed if k is not None))
    if parent_kind is None:
        return f"{_kind_zh(kind)}须设在{under}之下，请填写上级机构 parent_id。"
    return f"{_kind_zh(kind)}只能设在{under}之下，不能设在{_kind_zh(parent_kind)}之下，请重新选择上级机构。"


@dataclass
class OrgTreeNode:
    """A unit and its children."""

    unit: OrgUnit
    children: list[OrgTreeNode] = field(default_factory=list)


async def get_org_unit(session: AsyncSession, ref: str) -> OrgUnit:
    """The unit with id or code `ref`; NotFound otherwise."""
    repo = OrgUnitRepository(session)
    unit = await repo.find(ref) or await repo.find_by_code(ref)
    if unit is None:
        raise OrgUnitNotFound.by_ref(ref)
    return unit


async def list_org_units(
    session: AsyncSession,
    *,
    kind: str | None = None,
    parent_id: str | None = None,
    limit: int,
    offset: int,
) -> tuple[list[OrgUnit], int]:
    """A page of units, flat, by code (optionally one kind and/or one parent's children), and the total."""
    return await OrgUnitRepository(session).page(kind=kind, parent_id=parent_id, limit=limit, offset=offset)


async def org_tree(session: AsyncSession, *, root_id: str | None = None) -> list[OrgTreeNode]:
    """The units as a tree: every root (or the subtree under `root_id`), children by code."""
    units = await OrgUnitRepository(session).search()
    nodes = {u.id: OrgTreeNode(u) for u in units}
    roots: list[OrgTreeNode] = []
    for unit in units:  # already ordered by code, so children come out ordered too
        parent = nodes.get(unit.parent_id) if unit.parent_id else None
        (parent.children if parent else roots).append(nodes[unit.id])
    if root_id is None:
        return roots
    if root_id not in nodes:
        raise OrgUnitNotFound.by_id(root_id)
    return [nodes[root_id]]


def _expected_level(kind: str, parent: OrgUnit | None) -> int | None:
    if kind in TERRITORIAL_LEVELS:
        return TERRITORIAL_LEVELS[kind]
    return parent.level if parent else None


async def _parent(repo: OrgUnitRepository, kind: str, parent_id: str | None) -> OrgUnit | None:
    parent = await repo.find(parent_id) if parent_id else None
    if parent_id and parent is None:
        raise OrgUnitParentUnknown(parent_id)
    allowed = ALLOWED_PARENTS[kind]
    parent_kind = parent.kind if parent else None
    if parent_kind not in allowed:
        raise OrgUnitParentKind(
            placement_zh=_placement_zh(kind, allowed, parent_kind),
            kind=kind,
            allowed=sorted("no parent" if k is None else k for k in allowed),
            parent_kind=parent_kind,
        )
    return parent


def _level(kind: str, parent: OrgUnit | None, requested: int | None) -> int:
    expected = _expected_level(kind, parent)
    if expected is None:
        # Unreachable with ALLOWED_PARENTS, kept for safety.
        raise OrgUnitLevelInvalid.without_parent(kind=kind, kind_zh=_kind_zh(kind))
    if requested is not None and requested != expected:
        raise OrgUnitLevelInvalid.mismatch(
            kind=kind,
            kind_zh=_kind_zh(kind),
            requested=requested,
            expected=expected,
            parent=(parent.level, parent.kind, _kind_zh(parent.kind)) if parent else None,
        )
    return expected


async def _check_uscc_free(repo: OrgUnitRepository, uscc: str | None, unit_id: str | None) -> None:
    if uscc is None:
        return
    other = await repo.find_by_uscc(uscc)
    if other is not None and other.id != unit_id:
        raise OrgUnitUsccTaken(other_code=other.code, other_name=other.name)


def _event(unit: OrgUnit, change: str, fields: list[str]) -> events.OrgUnitChanged:
    return events.OrgUnitChanged(
        org_unit_id=unit.id,
        change=change,  # type: ignore[arg-type]
        changed_fields=fields,
        code=unit.code,
        name=unit.name,
        kind=unit.kind,  # type: ignore[arg-type]
        level=unit.level,
        parent_id=unit.parent_id,
        uscc=unit.uscc,
        changed_at=unit.updated_at,
    )


async def create_org_unit(session: AsyncSession, *, data: OrgUnitCreate) -> OrgUnit:
    """Create a unit under its parent; publishes identity.org_unit.changed (created)."""
    repo = OrgUnitRepository(session)
    if await repo.find_by_code(data.code) is not None:
        raise OrgUnitCodeTaken(data.code)
    await _check_uscc_free(repo, data.uscc, None)
    parent = await _parent(repo, data.kind, data.parent_id)
    now = utcnow()
    unit = OrgUnit(
        code=data.code,
        name=data.name,
        kind=data.kind,
        level=_level(data.kind, parent, data.level),
        parent_id=parent.id if parent else None,
        uscc=data.uscc,
        created_at=now,
        updated_at=now,
    )
    repo.add(unit)
    await session.flush()
    fields = ["code", "name", "kind", "level", "parent_id", "uscc"]
    await events.publish(session, _event(unit, "created", fields))
    return unit


async def _check_no_cycle(repo: OrgUnitRepository, unit: OrgUnit, parent: OrgUnit | None) -> None:
    node = parent
    while node is not None:
        if node.id == unit.id:
            raise OrgUnitCycle()
        node = await repo.find(node.parent_id) if node.parent_id else None


async def update_org_unit(session: AsyncSession, ref: str, *, changes: dict[str, Any]) -> OrgUnit:
    """Apply `changes` (name, level, parent_id, uscc) to the unit with id or code `ref`; publishes
    identity.org_unit.changed."""
    repo = OrgUnitRepository(session)
    unit = await repo.find(ref) or await repo.find_by_code(ref)
    if unit is None:
        raise OrgUnitNotFound.by_id(ref)
    parent_id = changes.get("parent_id", unit.parent_id)
    parent = await _parent(repo, unit.kind, parent_id)
    if "parent_id" in changes:
        await _check_no_cycle(repo, unit, parent)
    if "uscc" in changes:
        await _check_uscc_free(repo, changes["uscc"], unit.id)
    if "name" in changes and changes["name"] is None:
        raise OrgUnitNameRequired()
    new_values = {
        "name": changes.get("name", unit.name),
        "parent_id": parent.id if parent else None,
        "uscc": changes.get("uscc", unit.uscc),
        "level": _level(unit.kind, parent, changes.get("level")),
    }
    changed = [k for k, v in new_values.items() if getattr(unit, k) != v]
    if not changed:
        return unit
    if "level" in changed and await repo.search(parent_id=unit.id):
        # Children take their level from this unit; move them first rather than relevel a subtree.
        raise OrgUnitLevelInvalid.with_children(current=unit.level, new=new_values["level"])
    for key in changed:
        setattr(unit, key, new_values[key])
    unit.updated_at = utcnow()
    await session.flush()
    await events.publish(session, _event(unit, "updated", sorted(changed)))
    return unit
