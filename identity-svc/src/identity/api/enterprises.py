"""Enterprises (法人) and granting authority for them: /v1/enterprises."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from yiwang_shared.db import SessionDep

from ..clock import utcnow
from ..schemas.accounts import LoaChange
from ..schemas.common import Page
from ..schemas.enterprises import EnterpriseCreate, EnterpriseRead
from ..schemas.grants import GrantCreate, GrantRead
from ..services import enterprises as enterprise_service
from ..services import grants as grant_service
from .deps import Admin, Caller, SettingsDep
from .views import enterprise_view, grant_view

router = APIRouter(prefix="/v1/enterprises", tags=["enterprises"])


@router.post("", response_model=EnterpriseRead, status_code=status.HTTP_201_CREATED)
async def enterprises_register(
    body: EnterpriseCreate, caller: Caller, session: SessionDep, settings: SettingsDep
) -> EnterpriseRead:
    """Register an enterprise with the caller as legal representative (a person, LoA ≥ minimum)."""
    enterprise = await enterprise_service.register_enterprise(
        session,
        registrant=caller,
        name=body.name,
        uscc=body.uscc,
        min_loa=settings.enterprise_min_loa,
    )
    return enterprise_view(enterprise, "legal_representative")


@router.get("", response_model=Page[EnterpriseRead])
async def enterprises_list(
    caller: Caller,
    session: SessionDep,
    uscc: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Page[EnterpriseRead]:
    """A person's enterprises (represented or acted for under a current grant); all for staff."""
    rows, total = await enterprise_service.list_enterprises_for(
        session, viewer=caller, uscc=uscc, limit=limit, offset=offset
    )
    return Page[EnterpriseRead](
        items=[enterprise_view(e, r) for e, r in rows], total=total, limit=limit, offset=offset
    )


@router.get("/{enterprise_id}", response_model=EnterpriseRead)
async def enterprises_get(enterprise_id: str, caller: Caller, session: SessionDep) -> EnterpriseRead:
    """An enterprise (its legal representative, agents with a current grant, staff)."""
    enterprise, relation = await enterprise_service.get_enterprise_for(session, enterprise_id, viewer=caller)
    return enterprise_view(enterprise, relation)


@router.put("/{enterprise_id}/loa", response_model=EnterpriseRead)
async def enterprises_set_loa(
    enterprise_id: str, body: LoaChange, admin: Admin, session: SessionDep
) -> EnterpriseRead:
    """Set an enterprise's level of assurance (admin)."""
    enterprise = await enterprise_service.set_enterprise_loa(
        session, enterprise_id, loa=body.loa, reason=body.reason, actor=admin
    )
    return enterprise_view(enterprise, "staff")


@router.post("/{enterprise_id}/grants", response_model=GrantRead, status_code=status.HTTP_201_CREATED)
async def enterprises_grant(
    enterprise_id: str, body: GrantCreate, caller: Caller, session: SessionDep
) -> GrantRead:
    """Grant a person authority to act for the enterprise (the legal representative, or an
    agent whose grant allows delegation, within it); pending until the grantee confirms."""
    grant = await grant_service.create_grant(session, enterprise_id, grantor=caller, data=body)
    return grant_view(grant, utcnow())
