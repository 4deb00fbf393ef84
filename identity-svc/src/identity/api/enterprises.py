"""Enterprises (法人) and granting authority for them: /v1/enterprises."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from yiwang_shared.auth import Principal, require_roles
from yiwang_shared.db import SessionDep
from yiwang_shared.links import set_location
from yiwang_shared.openapi import created, problems
from yiwang_shared.pagination import PageQuery
from yiwang_shared.validators import Uscc

from ..lifecycles import EnterpriseStatus
from ..schemas.accounts import LoaUpdate
from ..schemas.enterprises import (
    EnterpriseCreate,
    EnterprisePage,
    EnterpriseRead,
    EnterpriseReject,
    EnterpriseVerify,
)
from ..schemas.grants import GrantCreate, GrantRead
from ..services import enterprises as enterprise_service
from ..services import grants as grant_service
from ..services.clock import utcnow
from .deps import Admin, Caller, SettingsDep
from .views import enterprise_view, grant_view

router = APIRouter(prefix="/v1/enterprises", tags=["enterprises"])

#: Who verifies a claim: the window clerks who see the licence and the ID (and administrators).
Reviewer = Annotated[Principal, Depends(require_roles("window_clerk"))]


@router.post(
    "",
    response_model=EnterpriseRead,
    status_code=status.HTTP_201_CREATED,
    responses={
        **created("The claim, pending until verified at a window"),
        **problems(
            s409="The credit code is verified for an enterprise already, or the caller claimed it "
            "before (已核验登记 / 已提交登记)"
        ),
    },
)
async def enterprises_register(
    body: EnterpriseCreate, caller: Caller, session: SessionDep, settings: SettingsDep, response: Response
) -> EnterpriseRead:
    """Claim an enterprise with the caller as legal representative (a person, LoA ≥ minimum).

    The claim is `pending`: it acts (act-for tokens, grants) only once a window clerk has verified
    it. Other people's pending claims on the same credit code do not stop it."""
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
        Uscc | None, Query(description="Only the enterprises with this unified social credit code.")
    ] = None,
    name: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=100,
            description="Only those whose name contains this (企业名称的一部分, any case): a window "
            "clerk finds the enterprise a person names.",
        ),
    ] = None,
    status: Annotated[
        EnterpriseStatus | None, Query(description="Only those in this verification state (核验状态).")
    ] = None,
) -> EnterprisePage:
    """A person's enterprises (represented or claimed, or acted for under a current grant); all
    enterprises and claims for staff (a clerk finds a claim by `uscc` and `status=pending`, or the
    enterprise a person names by `name`)."""
    rows, total = await enterprise_service.list_enterprises_for(
        session,
        viewer=caller,
        uscc=uscc,
        name=(name.strip() or None) if name else None,
        status=status,
        limit=page.limit,
        offset=page.offset,
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
    "/{enterprise_id}/verify",
    response_model=EnterpriseRead,
    responses=problems(
        404,
        409,
        s404="No such enterprise (未找到该企业)",
        s409="Not a pending claim, or another enterprise with the credit code is verified "
        "(不是待核验的登记 / 已有核验通过的企业)",
    ),
)
async def enterprises_verify(
    enterprise_id: str, body: EnterpriseVerify, reviewer: Reviewer, session: SessionDep
) -> EnterpriseRead:
    """Verify a pending claim at the window after seeing the business licence and the legal
    representative's ID (window clerk, admin); other pending claims on its credit code are
    rejected."""
    enterprise = await enterprise_service.verify_enterprise(
        session, enterprise_id, reviewer=reviewer, name=body.name, note=body.note
    )
    return enterprise_view(enterprise, "staff")


@router.post(
    "/{enterprise_id}/reject",
    response_model=EnterpriseRead,
    responses=problems(
        404, 409, s404="No such enterprise (未找到该企业)", s409="Not a pending claim (不是待核验的登记)"
    ),
)
async def enterprises_reject(
    enterprise_id: str, body: EnterpriseReject, reviewer: Reviewer, session: SessionDep
) -> EnterpriseRead:
    """Reject a pending claim whose licence or representative did not match (window clerk, admin)."""
    enterprise = await enterprise_service.reject_enterprise(
        session, enterprise_id, reviewer=reviewer, reason=body.reason
    )
    return enterprise_view(enterprise, "staff")


@router.post(
    "/{enterprise_id}/grants",
    response_model=GrantRead,
    status_code=status.HTTP_201_CREATED,
    responses={
        **created("The new grant, pending until the grantee confirms it"),
        **problems(
            s403="Not allowed to grant, or the enterprise is not verified (企业尚未核验)",
            s422="No registered person matches the grantee's name and ID (未找到一致的已注册人员)",
        ),
    },
)
async def enterprises_grant(
    enterprise_id: str, body: GrantCreate, caller: Caller, session: SessionDep, response: Response
) -> GrantRead:
    """Grant a person authority to act for a verified enterprise (the legal representative, or an
    agent whose grant allows delegation, within it); pending until the grantee confirms. By
    resident ID the grantee's name is given too; the answer masks the name."""
    grant = await grant_service.create_grant(session, enterprise_id, grantor=caller, data=body)
    set_location(response, f"/v1/grants/{grant.id}")
    return grant_view(grant, utcnow(), caller)
