"""Request dependencies: the holder the caller is, the role checks, the clock and the HTTP calls.

What depends only on roles is a dependency here (answering 403 before the body is read); what
depends on the data (is this licence my unit's? is this application the holder's?) is checked in
the service.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, cast

from fastapi import Depends, Request

from yiwang_shared.auth import CurrentPrincipal, Principal, bearer_token
from yiwang_shared.clients import address_key, forwarded_address
from yiwang_shared.db import SAFE_METHODS, SessionDep
from yiwang_shared.errors import Forbidden
from yiwang_shared.orm import utcnow

from .. import errors
from ..config import Settings
from ..services.holders import Holder, IdentityCall, holder_of, remember
from ..services.uses import IntakeCall
from ..services.verification import RateLimiter


def settings_of(request: Request) -> Settings:
    """The service's settings."""
    return cast(Settings, request.app.state.settings)


async def _now() -> datetime:
    return utcnow()


#: The time of the request (moved in tests with time-machine).
Now = Annotated[datetime, Depends(_now)]


async def _settings(request: Request) -> Settings:
    return settings_of(request)


#: The service's settings.
SettingsDep = Annotated[Settings, Depends(_settings)]


async def _holder(request: Request, principal: CurrentPrincipal, session: SessionDep) -> Holder:
    settings = settings_of(request)
    identity = IdentityCall(
        client=request.app.state.http,
        base_url=settings.resolved_identity_url(),
        bearer=bearer_token(request),
        timeout=settings.request_timeout_seconds,
    )
    holder, learned = await holder_of(session, principal, identity)
    if learned is not None:
        if request.method in SAFE_METHODS:
            # A GET's session is read-only: what identity confirmed is kept in a write of its own.
            async with request.app.state.db.transaction() as write:
                await remember(write, learned)
        else:
            await remember(session, learned)
    return holder


#: The holder the signed-in caller is (a person, or the enterprise an agent acts for).
HolderDep = Annotated[Holder, Depends(_holder)]


async def _intake(request: Request) -> IntakeCall:
    settings = settings_of(request)
    return IntakeCall(
        client=request.app.state.http,
        base_url=settings.intake_url,
        bearer=bearer_token(request),
        timeout=settings.request_timeout_seconds,
    )


#: How to ask intake-svc, with the caller's token.
IntakeDep = Annotated[IntakeCall, Depends(_intake)]


async def _client(request: Request) -> str:
    return address_key(forwarded_address(request))


#: The client as the rate limits count it (the forwarded address, IPv6 by /64).
ClientKey = Annotated[str, Depends(_client)]


async def _limiter(request: Request) -> RateLimiter:
    return cast(RateLimiter, request.app.state.verify_limiter)


#: The public verifications' rate limiter.
LimiterDep = Annotated[RateLimiter, Depends(_limiter)]


def require(
    check: Callable[[Principal], bool], refusal: Callable[[], Forbidden]
) -> Callable[..., Awaitable[Principal]]:
    """A dependency admitting callers for whom `check` holds; anyone else gets `refusal()`."""

    async def dependency(principal: CurrentPrincipal) -> Principal:
        if check(principal):
            return principal
        raise refusal()

    return dependency


#: Any staff member (using a licence for a case; 403 licence.staff_only).
Staff = Annotated[Principal, Depends(require(lambda p: p.is_staff, errors.staff_only))]
#: Approvers and handlers (the issuing unit's changes; 403 licence.not_issuing_unit).
IssuingStaff = Annotated[
    Principal,
    Depends(
        require(
            lambda p: p.is_staff and p.has_any_role({"approver", "handler"}), errors.issuing_roles_required
        )
    ),
]
#: Administrators (the licence-type catalogue; 403 licence.not_admin).
Admin = Annotated[Principal, Depends(require(lambda p: p.is_staff and p.is_admin, errors.not_admin))]
