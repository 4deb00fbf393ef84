"""Organisation units (组织机构): /v1/org-units. Reading is public; changes are for admins."""

from __future__ import annotations

from fastapi import APIRouter, status

from yiwang_shared.db import SessionDep

from ..schemas.org_units import (
    OrgUnitCreate,
    OrgUnitKind,
    OrgUnitNode,
    OrgUnitRead,
    OrgUnitUpdate,
)
from ..services import org_units as org_service
from .deps import Admin
from .views import org_tree_view, org_unit_view

router = APIRouter(prefix="/v1/org-units", tags=["org-units"])


@router.get("", response_model=list[OrgUnitRead])
async def org_units_list(
    session: SessionDep, kind: OrgUnitKind | None = None, parent_id: str | None = None
) -> list[OrgUnitRead]:
    """Every unit, flat with parent ids, by code; filter by kind and/or parent (anyone)."""
    units = await org_service.list_org_units(session, kind=kind, parent_id=parent_id)
    return [org_unit_view(u) for u in units]


@router.get("/tree", response_model=list[OrgUnitNode])
async def org_units_tree(session: SessionDep, root_id: str | None = None) -> list[OrgUnitNode]:
    """The units as a tree, or the subtree under `root_id` (anyone)."""
    return [org_tree_view(n) for n in await org_service.org_tree(session, root_id=root_id)]


@router.get("/{ref}", response_model=OrgUnitRead)
async def org_units_get(ref: str, session: SessionDep) -> OrgUnitRead:
    """One unit by id or by code (anyone)."""
    return org_unit_view(await org_service.get_org_unit(session, ref))


@router.post("", response_model=OrgUnitRead, status_code=status.HTTP_201_CREATED)
async def org_units_create(body: OrgUnitCreate, _: Admin, session: SessionDep) -> OrgUnitRead:
    """Create a unit (admin); publishes identity.org_unit.changed.v1."""
    return org_unit_view(await org_service.create_org_unit(session, data=body))


@router.patch("/{unit_id}", response_model=OrgUnitRead)
async def org_units_update(unit_id: str, body: OrgUnitUpdate, _: Admin, session: SessionDep) -> OrgUnitRead:
    """Change a unit's name, level, parent or USCC (admin); publishes identity.org_unit.changed.v1."""
    unit = await org_service.update_org_unit(session, unit_id, changes=body.model_dump(exclude_unset=True))
    return org_unit_view(unit)
