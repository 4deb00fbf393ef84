"""Enterprises (法人) and granting authority for them: /v1/enterprises."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from yiwang_shared.db import SessionDep
from yiwang_shared.links import set_location
from yiwang_shared.openapi import created
from yiwang_shared.pagination import PageQuery
from yiwang_shared.validators import Uscc

from ..clock import utcnow
from ..schemas.accounts import LoaUpdate
from ..schemas.enterprises import EnterpriseCreate, EnterprisePage, EnterpriseRead
from ..schemas.grants import GrantCreate, GrantRead
from ..services import enterprises as enterprise_service
from ..services import grants as grant_service
from .deps import Admin, Caller, SettingsDep
from .views import enterprise_view, grant_view

router = APIRouter(prefix="/v1/enterprises", tags=["enterprises"])


@router.post(
    "",
    response_model=EnterpriseRead,
    status_code=status.HTTP_201_CREATED,
    responses=created("The registered enterprise", 409),
)
async def enterprises_register(
    body: EnterpriseCreate, caller: Caller, session: SessionDep, settings: SettingsDep, response: Response
) -> EnterpriseRead:
    """Register an enterprise with the caller as legal representative (a person, LoA ≥ minimum)."""
    enterprise = await enterprise_service.register_enterprise(
        session,
        registrant=caller,
        name=body.name,
        uscc=body.uscc,
        min_loa=settings.enterprise_min_loa,
    )
    set_location(response, f"/v1/enterprises/{enterprise.id}")
    return enterprise_view(enterprise, "legal_representative")


@router.get("", response_model=EnterprisePage)
async def enterprises_list(
    caller: Caller,
    session: SessionDep,
    page: PageQuery,
    uscc: Annotated[
        Uscc | None, Query(description="Only the enterprise with this unified social credit code.")
    ] = None,
) -> EnterprisePage:
    """A person's enterprises (represented or acted for under a current grant); all for staff."""
    rows, total = await enterprise_service.list_enterprises_for(
        session, viewer=caller, uscc=uscc, limit=page.limit, offset=page.offset
    )
    return EnterprisePage(
        items=[enterprise_view(e, r) for e, r in rows], total=total, limit=page.limit, offset=page.offset
    )


@router.get("/{enterprise_id}", response_model=EnterpriseRead)
async def enterprises_get(enterprise_id: str, caller: Caller, session: SessionDep) -> EnterpriseRead:
    """An enterprise (its legal representative, agents with a current grant, staff)."""
    enterprise, relation = await enterprise_service.get_enterprise_for(session, enterprise_id, viewer=caller)
    return enterprise_view(enterprise, relation)


@router.put("/{enterprise_id}/loa", response_model=EnterpriseRead)
async def enterprises_set_loa(
    enterprise_id: str, body: LoaUpdate, admin: Admin, session: SessionDep
) -> EnterpriseRead:
    """Set an enterprise's level of assurance (admin)."""
    enterprise = await enterprise_service.set_enterprise_loa(
        session, enterprise_id, loa=body.loa, reason=body.reason, actor=admin
    )
    return enterprise_view(enterprise, "staff")


@router.post(
    "/{enterprise_id}/grants",
    response_model=GrantRead,
    status_code=status.HTTP_201_CREATED,
    responses=created("The new grant, pending until the grantee confirms it"),
)
async def enterprises_grant(
    enterprise_id: str, body: GrantCreate, caller: Caller, session: SessionDep, response: Response
) -> GrantRead:
    """Grant a person authority to act for the enterprise (the legal representative, or an
    agent whose grant allows delegation, within it); pending until the grantee confirms."""
    grant = await grant_service.create_grant(session, enterprise_id, grantor=caller, data=body)
    set_location(response, f"/v1/grants/{grant.id}")
    return grant_view(grant, utcnow())
