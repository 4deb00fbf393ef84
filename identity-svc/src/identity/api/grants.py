"""Grants (法人授权): /v1/grants — list, check, confirm, revoke."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query

from yiwang_shared.db import SessionDep
from yiwang_shared.openapi import problems
from yiwang_shared.pagination import PageQuery

from ..lifecycles import GrantStatus
from ..schemas.grants import (
    STATUS_DESCRIPTION,
    GrantCheckRead,
    GrantPage,
    GrantRead,
    GrantRevocationRead,
    GrantRevoke,
)
from ..services import grants as grant_service
from ..services.clock import utcnow
from .deps import Caller
from .views import grant_view

router = APIRouter(prefix="/v1/grants", tags=["grants"])


@router.get("", response_model=GrantPage)
async def grants_list(
    caller: Caller,
    session: SessionDep,
    page: PageQuery,
    enterprise_id: Annotated[str | None, Query(description="Only grants for this enterprise.")] = None,
    status: Annotated[
        GrantStatus | None, Query(description="Only grants in this state. " + STATUS_DESCRIPTION)
    ] = None,
) -> GrantPage:
    """Grants, newest first: all of an enterprise for its legal representative and staff;
    otherwise the caller's own (as grantor or grantee)."""
    grants, total = await grant_service.list_grants(
        session,
        viewer=caller,
        enterprise_id=enterprise_id,
        status=status,
        limit=page.limit,
        offset=page.offset,
    )
    now = utcnow()
    return GrantPage(
        items=[grant_view(g, now, caller) for g in grants], total=total, limit=page.limit, offset=page.offset
    )


@router.get(
    "/check",
    response_model=GrantCheckRead,
    responses=problems(
        s403="A person asking about someone else (只能查询本人的授权)",
        s404="No such enterprise (未找到该企业)",
    ),
)
async def grants_check(
    caller: Caller,
    session: SessionDep,
    person_id: Annotated[str, Query(description="Who would act (the agent's person id).")],
    enterprise_id: Annotated[str, Query(description="For which enterprise.")],
    item_code: Annotated[
        str | None, Query(max_length=50, description="On which item (事项编码); omit for any item.")
    ] = None,
) -> GrantCheckRead:
    """May the person act for the enterprise (on the item) now? (staff, or the person themselves)

    A refusal is an answer, not an error: `allowed` is false and `reason` says why. intake-svc asks
    this before it accepts an application made for an enterprise."""
    result = await grant_service.check_authority(
        session,
        person_id=person_id,
        enterprise_id=enterprise_id,
        item_code=item_code,
        asked_by=caller,
    )
    grant = result.grant
    return GrantCheckRead(
        allowed=result.allowed,
        reason=result.reason,  # type: ignore[arg-type]
        grant_id=grant.id if grant else None,
        scope=list(grant.scope) if grant else (["*"] if result.allowed else None),
        valid_until=grant.valid_until if grant else None,
    )


@router.get("/{grant_id}", response_model=GrantRead)
async def grants_get(grant_id: str, caller: Caller, session: SessionDep) -> GrantRead:
    """One grant (its grantee, grantor, the legal representative, staff)."""
    return grant_view(await grant_service.get_grant(session, grant_id, viewer=caller), utcnow(), caller)


@router.post(
    "/{grant_id}/confirm",
    response_model=GrantRead,
    responses=problems(s409="The grant is not pending: active, revoked or expired (授权不是待确认状态)"),
)
async def grants_confirm(grant_id: str, caller: Caller, session: SessionDep) -> GrantRead:
    """Confirm a pending grant (the grantee)."""
    grant = await grant_service.confirm_grant(session, grant_id, grantee=caller)
    return grant_view(grant, utcnow(), caller)


@router.post("/{grant_id}/revoke", response_model=GrantRevocationRead)
async def grants_revoke(
    grant_id: str,
    caller: Caller,
    session: SessionDep,
    body: Annotated[GrantRevoke, Body()] = GrantRevoke(),  # noqa: B008 - read-only default: no body sent
) -> GrantRevocationRead:
    """Revoke a grant and everything granted under it (the grantor, the legal representative,
    an admin). Revoking a revoked grant changes nothing."""
    grant, revoked = await grant_service.revoke_grant(session, grant_id, actor=caller, reason=body.reason)
    return GrantRevocationRead(grant=grant_view(grant, utcnow(), caller), revoked_ids=[g.id for g in revoked])
