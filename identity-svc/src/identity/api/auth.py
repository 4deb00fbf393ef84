"""Login, tokens, act-for, JWKS and signing-key rotation: /v1/auth."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Request, Response, status
from starlette.responses import JSONResponse

from yiwang_shared.clients import client_key
from yiwang_shared.db import SessionDep
from yiwang_shared.links import set_location
from yiwang_shared.openapi import created, problems
from yiwang_shared.pagination import PageQuery, paginate

from ..errors import KeyNotFound
from ..schemas.auth import (
    ActClaimRead,
    ActForTokenRead,
    AuthActFor,
    AuthLogin,
    AuthLogout,
    AuthRefresh,
    JwkSetRead,
    KeyPage,
    KeyRead,
    KeyRotate,
    RevocationsRead,
    TokenRead,
)
from ..services import auth as auth_service
from ..services.clock import utcnow
from ..services.keys import KeyState
from ..services.revocation import RevocationCache, window_seconds
from .deps import (
    Admin,
    Caller,
    IssuerDep,
    KeysDep,
    PasswordsDep,
    SettingsDep,
)
from .responses import retry_after

router = APIRouter(prefix="/v1/auth", tags=["auth"])


class JwkSetResponse(JSONResponse):
    """A JWKS document, with the media type RFC 7517 gives it."""

    media_type = "application/jwk-set+json"


def _token_read(pair: auth_service.TokenPair) -> TokenRead:
    now = utcnow()
    return TokenRead(
        access_token=pair.access.token,
        expires_in=pair.access.expires_in,
        refresh_token=pair.refresh_token,
        refresh_expires_in=int((pair.refresh_expires_at - now).total_seconds()),
    )


@router.post(
    "/login",
    response_model=TokenRead,
    responses=retry_after(
        problems(
            401,
            429,
            503,
            s401="Wrong username or password: one answer for both, known name or not (账号或密码不正确)",
            s403="The account is disabled (账号已停用)",
            s429="Several wrong passwords from this client: wait for Retry-After seconds; other clients "
            "are not held up, and the account is never locked (请稍后再试)",
        ),
        429,
    ),
)
async def auth_login(
    body: AuthLogin,
    request: Request,
    session: SessionDep,
    passwords: PasswordsDep,
    issuer: IssuerDep,
    settings: SettingsDep,
) -> TokenRead:
    """Log in with a resident ID, mobile, passport number or staff username (anyone).

    Wrong passwords are counted per name and client (the address the gateway forwards): a client
    that keeps failing must wait, the account is never locked."""
    # Refusals here keep their bookkeeping (failure counts): see identity.errors.
    pair = await auth_service.login(
        session,
        username=body.username,
        password=body.password.get_secret_value(),
        passwords=passwords,
        issuer=issuer,
        settings=settings,
        client=client_key(request),
        db=request.app.state.db,
    )
    return _token_read(pair)


@router.post(
    "/refresh",
    response_model=TokenRead,
    responses=problems(503, s401="Invalid, expired or reused refresh token: log in again (请重新登录)"),
)
async def auth_refresh(
    body: AuthRefresh,
    session: SessionDep,
    issuer: IssuerDep,
    settings: SettingsDep,
) -> TokenRead:
    """Exchange a refresh token for a new access and refresh token (holder of the token)."""
    # A reused token's family is revoked even though the request is refused: see identity.errors.
    pair = await auth_service.refresh(
        session, refresh_token=body.refresh_token, issuer=issuer, settings=settings
    )
    return _token_read(pair)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def auth_logout(body: AuthLogout, session: SessionDep) -> Response:
    """End the session of a refresh token (holder of the token); unknown tokens are ignored.

    The session's access tokens stop working at the gateway and every service within seconds
    (they poll `GET /v1/auth/revocations`)."""
    await auth_service.logout(session, refresh_token=body.refresh_token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/revocations",
    response_model=RevocationsRead,
    responses={200: {"description": "The current revocation list; poll it, do not cache it."}},
)
async def auth_revocations(request: Request, settings: SettingsDep, response: Response) -> RevocationsRead:
    """Sessions and accounts whose access tokens are refused (anyone; digests only)."""
    cache: RevocationCache = request.app.state.revocation_cache
    current = await cache.get(request.app.state.db)
    response.headers["Cache-Control"] = "no-cache"
    return RevocationsRead(
        sessions=sorted(current.sessions),
        accounts=sorted(current.accounts),
        window_seconds=int(window_seconds(settings)),
    )


@router.post(
    "/act-for",
    response_model=ActForTokenRead,
    responses=problems(
        404,
        503,
        s403="No confirmed, current grant (identity.no_valid_grant), or a staff account (无权代表该企业)",
    ),
)
async def auth_act_for(
    body: AuthActFor, caller: Caller, session: SessionDep, issuer: IssuerDep
) -> ActForTokenRead:
    """A token acting for an enterprise (its legal representative, or an agent with a grant)."""
    result = await auth_service.act_for(
        session,
        principal=caller,
        enterprise_id=body.enterprise_id,
        grant_id=body.grant_id,
        issuer=issuer,
    )
    return ActForTokenRead(
        access_token=result.access.token,
        expires_in=result.access.expires_in,
        act=ActClaimRead(**result.act),
    )


@router.get(
    "/jwks",
    response_model=JwkSetRead,
    response_class=JwkSetResponse,
    responses={
        200: {
            "description": "JSON Web Key Set (RFC 7517); cache it for up to five minutes.",
            "headers": {"Cache-Control": {"schema": {"type": "string"}}},
        }
    },
)
async def auth_jwks(session: SessionDep, keys: KeysDep, response: Response) -> JwkSetRead:
    """The public keys that verify access tokens (anyone)."""
    response.headers["Cache-Control"] = "public, max-age=300"
    return JwkSetRead.model_validate(await keys.jwks(session))


def _key_read(state: KeyState) -> KeyRead:
    return KeyRead(
        kid=state.key.kid,
        status=state.status,  # type: ignore[arg-type]
        created_at=state.key.created_at,
        active_from=state.key.active_from,
        retires_at=state.retires_at,
        unpublish_at=state.unpublish_at,
    )


@router.get("/keys", response_model=KeyPage)
async def auth_keys_list(_: Admin, session: SessionDep, keys: KeysDep, page: PageQuery) -> KeyPage:
    """The signing keys and their rotation state, oldest first (admin)."""
    return KeyPage.model_validate(paginate([_key_read(s) for s in await keys.states(session)], page))


@router.get("/keys/{kid}", response_model=KeyRead)
async def auth_keys_get(kid: str, _: Admin, session: SessionDep, keys: KeysDep) -> KeyRead:
    """One signing key's rotation state (admin)."""
    for state in await keys.states(session):
        if state.key.kid == kid:
            return _key_read(state)
    raise KeyNotFound(kid)


@router.post(
    "/keys/rotate",
    response_model=KeyRead,
    status_code=status.HTTP_201_CREATED,
    responses=created("The new key: published now, signing after the delay"),
)
async def auth_keys_rotate(
    _: Admin,
    session: SessionDep,
    keys: KeysDep,
    response: Response,
    body: Annotated[KeyRotate, Body()] = KeyRotate(),  # noqa: B008 - read-only default: no body sent
) -> KeyRead:
    """Add a signing key: published now, signing after the rollover delay (admin)."""
    row = await keys.rotate(session, delay_seconds=body.delay_seconds)
    state = next(s for s in await keys.states(session) if s.key.kid == row.kid)
    set_location(response, f"/v1/auth/keys/{row.kid}")
    return _key_read(state)
