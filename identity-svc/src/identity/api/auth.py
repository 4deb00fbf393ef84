"""Login, tokens, act-for, JWKS and signing-key rotation: /v1/auth."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, status
from starlette.responses import JSONResponse, Response

from yiwang_shared.db import SessionDep

from ..clock import utcnow
from ..schemas.auth import (
    ActClaim,
    ActForRequest,
    ActForResponse,
    KeyRead,
    KeyRotate,
    LoginRequest,
    RefreshRequest,
    TokenResponse,
)
from ..services import auth as auth_service
from .deps import (
    Admin,
    Caller,
    IssuerDep,
    KeysDep,
    PasswordsDep,
    SettingsDep,
)

router = APIRouter(prefix="/v1/auth", tags=["auth"])

PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}


def _token_response(pair: auth_service.TokenPair) -> TokenResponse:
    now = utcnow()
    return TokenResponse(
        access_token=pair.access.token,
        expires_in=pair.access.expires_in,
        refresh_token=pair.refresh_token,
        refresh_expires_in=int((pair.refresh_expires_at - now).total_seconds()),
    )


@router.post(
    "/login",
    response_model=TokenResponse,
    responses={
        401: {"description": "Wrong username or password (one message for both)", **PROBLEM},
        423: {"description": "Locked after repeated wrong passwords; see Retry-After", **PROBLEM},
        429: {"description": "Wait before trying again; see Retry-After", **PROBLEM},
    },
)
async def auth_login(
    body: LoginRequest,
    request: Request,
    session: SessionDep,
    passwords: PasswordsDep,
    issuer: IssuerDep,
    settings: SettingsDep,
) -> TokenResponse:
    """Log in with a resident ID, mobile, passport number or staff username (anyone)."""
    # Refusals here keep their bookkeeping (failure count, lock): see identity.errors.
    pair = await auth_service.login(
        session,
        username=body.username,
        password=body.password.get_secret_value(),
        passwords=passwords,
        issuer=issuer,
        settings=settings,
        db=request.app.state.db,
    )
    return _token_response(pair)


@router.post(
    "/refresh",
    response_model=TokenResponse,
    responses={401: {"description": "Invalid, expired or reused refresh token", **PROBLEM}},
)
async def auth_refresh(
    body: RefreshRequest,
    session: SessionDep,
    issuer: IssuerDep,
    settings: SettingsDep,
) -> TokenResponse:
    """Exchange a refresh token for a new access and refresh token (holder of the token)."""
    # A reused token's family is revoked even though the request is refused: see identity.errors.
    pair = await auth_service.refresh(
        session, refresh_token=body.refresh_token, issuer=issuer, settings=settings
    )
    return _token_response(pair)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def auth_logout(body: RefreshRequest, session: SessionDep) -> Response:
    """End the session of a refresh token (holder of the token); unknown tokens are ignored."""
    await auth_service.logout(session, refresh_token=body.refresh_token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/act-for",
    response_model=ActForResponse,
    responses={403: {"description": "identity.no_valid_grant", **PROBLEM}},
)
async def auth_act_for(
    body: ActForRequest, caller: Caller, session: SessionDep, issuer: IssuerDep
) -> ActForResponse:
    """A token acting for an enterprise (its legal representative, or an agent with a grant)."""
    result = await auth_service.act_for(
        session,
        principal=caller,
        enterprise_id=body.enterprise_id,
        grant_id=body.grant_id,
        issuer=issuer,
    )
    return ActForResponse(
        access_token=result.access.token,
        expires_in=result.access.expires_in,
        act=ActClaim(**result.act),
    )


@router.get("/jwks", responses={200: {"description": "JSON Web Key Set (RFC 7517)"}})
async def auth_jwks(session: SessionDep, keys: KeysDep) -> JSONResponse:
    """The public keys that verify access tokens (anyone)."""
    return JSONResponse(
        await keys.jwks(session),
        headers={"Cache-Control": "public, max-age=300"},
        media_type="application/jwk-set+json",
    )


def _key_read(state: Any) -> KeyRead:
    return KeyRead(
        kid=state.key.kid,
        status=state.status,
        created_at=state.key.created_at,
        active_from=state.key.active_from,
        retires_at=state.retires_at,
        unpublish_at=state.unpublish_at,
    )


@router.get("/keys", response_model=list[KeyRead])
async def auth_keys_list(_: Admin, session: SessionDep, keys: KeysDep) -> list[KeyRead]:
    """The signing keys and their rotation state (admin)."""
    return [_key_read(s) for s in await keys.states(session)]


@router.post("/keys/rotate", response_model=KeyRead, status_code=status.HTTP_201_CREATED)
async def auth_keys_rotate(
    _: Admin, session: SessionDep, keys: KeysDep, body: KeyRotate | None = None
) -> KeyRead:
    """Add a signing key: published now, signing after the rollover delay (admin)."""
    row = await keys.rotate(session, delay_seconds=body.delay_seconds if body else None)
    state = next(s for s in await keys.states(session) if s.key.kid == row.kid)
    return _key_read(state)
