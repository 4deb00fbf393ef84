"""Organisation units (组织机构): /v1/org-units. Reading is public; changes are for admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from yiwang_shared.db import SessionDep
from yiwang_shared.links import set_location
from yiwang_shared.openapi import created, problems
from yiwang_shared.pagination import PageQuery

from ..schemas.org_units import (
    KIND_DESCRIPTION,
    OrgUnitCreate,
    OrgUnitKind,
    OrgUnitPage,
    OrgUnitRead,
    OrgUnitTreeRead,
    OrgUnitUpdate,
)
from ..services import org_units as org_service
from .deps import Admin
from .views import org_tree_view, org_unit_view

router = APIRouter(prefix="/v1/org-units", tags=["org-units"])


@router.get("", response_model=OrgUnitPage)
async def org_units_list(
    session: SessionDep,
    page: PageQuery,
    kind: Annotated[
        OrgUnitKind | None, Query(description="Only units of this kind. " + KIND_DESCRIPTION)
    ] = None,
    parent_id: Annotated[str | None, Query(description="Only the children of this unit.")] = None,
) -> OrgUnitPage:
    """Units, flat with parent ids, by code; filter by kind and/or parent (anyone)."""
    units, total = await org_service.list_org_units(
        session, kind=kind, parent_id=parent_id, limit=page.limit, offset=page.offset
    )
    return OrgUnitPage(
        items=[org_unit_view(u) for u in units], total=total, limit=page.limit, offset=page.offset
    )


@router.get(
    "/tree",
    response_model=OrgUnitTreeRead,
    responses=problems(s404="No unit has the id given as root_id (未找到该机构)"),
)
async def org_units_tree(
    session: SessionDep,
    root_id: Annotated[str | None, Query(description="Only the subtree under this unit.")] = None,
) -> OrgUnitTreeRead:
    """The units as a tree, or the subtree under `root_id` (anyone)."""
    roots = await org_service.org_tree(session, root_id=root_id)
    return OrgUnitTreeRead(roots=[org_tree_view(n) for n in roots])


@router.get("/{ref}", response_model=OrgUnitRead)
async def org_units_get(ref: str, session: SessionDep) -> OrgUnitRead:
    """One unit by id or by code (anyone)."""
    return org_unit_view(await org_service.get_org_unit(session, ref))


@router.post(
    "",
    response_model=OrgUnitRead,
    status_code=status.HTTP_201_CREATED,
    responses=created("The new unit", 409),
)
async def org_units_create(
    body: OrgUnitCreate, _: Admin, session: SessionDep, response: Response
) -> OrgUnitRead:
    """Create a unit (admin); publishes identity.org_unit.changed.v1."""
    unit = await org_service.create_org_unit(session, data=body)
    set_location(response, f"/v1/org-units/{unit.id}")
    return org_unit_view(unit)


@router.patch(
    "/{ref}",
    response_model=OrgUnitRead,
    responses=problems(s409="Another unit has this USCC (统一社会信用代码已被使用)"),
)
async def org_units_update(ref: str, body: OrgUnitUpdate, _: Admin, session: SessionDep) -> OrgUnitRead:
    """Change a unit's name, level, parent or USCC (admin; by id or code); publishes its changed event."""
    unit = await org_service.update_org_unit(session, ref, changes=body.model_dump(exclude_unset=True))
    return org_unit_view(unit)
