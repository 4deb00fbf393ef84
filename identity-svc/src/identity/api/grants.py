"""Grants (法人授权): /v1/grants — list, check, confirm, revoke."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from yiwang_shared.db import SessionDep

from ..clock import utcnow
from ..schemas.grants import (
    GrantCheckResult,
    GrantRead,
    GrantRevoke,
    GrantRevokeResult,
    GrantStatus,
)
from ..services import grants as grant_service
from .deps import Caller
from .views import grant_view

router = APIRouter(prefix="/v1/grants", tags=["grants"])


@router.get("", response_model=list[GrantRead])
async def grants_list(
    caller: Caller,
    session: SessionDep,
    enterprise_id: str | None = None,
    status: GrantStatus | None = None,
) -> list[GrantRead]:
    """Grants: all of an enterprise for its legal representative and staff; otherwise the
    caller's own (as grantor or grantee)."""
    grants = await grant_service.list_grants(
        session, viewer=caller, enterprise_id=enterprise_id, status=status
    )
    now = utcnow()
    return [grant_view(g, now) for g in grants]


@router.get("/check", response_model=GrantCheckResult)
async def grants_check(
    caller: Caller,
    session: SessionDep,
    person_id: Annotated[str, Query(description="Who would act.")],
    enterprise_id: Annotated[str, Query(description="For which enterprise.")],
    item_code: Annotated[
        str | None, Query(max_length=50, description="On which item; omit for any item.")
    ] = None,
) -> GrantCheckResult:
    """May the person act for the enterprise (on the item) now? (staff, or the person themselves)"""
    result = await grant_service.check_authority(
        session,
        person_id=person_id,
        enterprise_id=enterprise_id,
        item_code=item_code,
        asked_by=caller,
    )
    grant = result.grant
    return GrantCheckResult(
        allowed=result.allowed,
        reason=result.reason,  # type: ignore[arg-type]
        grant_id=grant.id if grant else None,
        scope=list(grant.scope) if grant else (["*"] if result.allowed else None),
        valid_until=grant.valid_until if grant else None,
    )


@router.get("/{grant_id}", response_model=GrantRead)
async def grants_get(grant_id: str, caller: Caller, session: SessionDep) -> GrantRead:
    """One grant (its grantee, grantor, the legal representative, staff)."""
    return grant_view(await grant_service.get_grant(session, grant_id, viewer=caller), utcnow())


@router.post("/{grant_id}/confirm", response_model=GrantRead)
async def grants_confirm(grant_id: str, caller: Caller, session: SessionDep) -> GrantRead:
    """Confirm a pending grant (the grantee)."""
    grant = await grant_service.confirm_grant(session, grant_id, grantee=caller)
    return grant_view(grant, utcnow())


@router.post("/{grant_id}/revoke", response_model=GrantRevokeResult)
async def grants_revoke(
    grant_id: str, caller: Caller, session: SessionDep, body: GrantRevoke | None = None
) -> GrantRevokeResult:
    """Revoke a grant and everything granted under it (the grantor, the legal representative,
    an admin). Revoking a revoked grant changes nothing."""
    grant, revoked = await grant_service.revoke_grant(
        session, grant_id, actor=caller, reason=body.reason if body else None
    )
    return GrantRevokeResult(grant=grant_view(grant, utcnow()), revoked_ids=[g.id for g in revoked])
