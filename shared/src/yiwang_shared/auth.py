"""Access-token verification against identity-svc's JWKS, and FastAPI dependencies.

Tokens are RS256 JWTs with a `kid`. Keys are cached; an unknown `kid` triggers one refetch
(at most once every `min_refetch_seconds`) so a key rotation is picked up without restarts.
Only RS256 is accepted, which refuses `alg: none` and HS256-signed-with-the-public-key tokens.

A verified token is remembered (LRU, bounded) until its `exp`, so a client's next requests with
the same token cost a dict lookup instead of an RSA signature check (issue 19). A remembered token
is still refused exactly as a new one would be: when it expires, when its session or account is
revoked, and when its `kid` no longer names the key that signed it.

Claims: `sub` (account id), `kind` (`person` or `staff`), `roles`, `org_unit` (staff's unit id),
`loa` (level of assurance 2–5), and `act` when an agent acts for a legal person
(`{"entity_id", "uscc", "grant_id", "scope"}`; scope is `["*"]` or item codes), and `sid`, the
login session, which a logout ends everywhere within seconds (`yiwang_shared.revocation`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any, Protocol

import httpx
import jwt
from fastapi import Depends, Request
from jwt.algorithms import RSAAlgorithm

from .errors import Forbidden, ServiceUnavailable, Unauthorized
from .outbound import async_client
from .revocation import RevocationFeed

ALGORITHM = "RS256"

#: Each staff role's name as the people who hold it say it.
ROLE_NAMES_ZH = {
    "window_clerk": "窗口工作人员",
    "approver": "审批人员",
    "hotline_agent": "热线坐席",
    "dispatcher": "派单员",
    "handler": "承办人员",
    "supervisor": "监督人员",
    "catalog_editor": "事项目录编辑",
    "evaluator": "好差评管理人员",
    "admin": "管理员",
}

STAFF_ROLES = frozenset(
    {
        "window_clerk",
        "approver",
        "hotline_agent",
        "dispatcher",
        "handler",
        "supervisor",
        "catalog_editor",
        "evaluator",
        "admin",
    }
)


# ── the errors of signing in, declared (listed in every service's x-problem-codes) ──


class JwksUnavailable(ServiceUnavailable):
    """The token signing keys could not be fetched from identity-svc."""

    code = "auth.jwks_unavailable"


class TokenMalformed(Unauthorized):
    """The access token is not a JWT."""

    code = "auth.token_malformed"


class TokenAlgorithm(Unauthorized):
    """The access token is signed with an algorithm other than RS256."""

    code = "auth.token_algorithm"


class TokenKid(Unauthorized):
    """The access token names no signing key (kid)."""

    code = "auth.token_kid"


class TokenUnknownKey(Unauthorized):
    """The access token was signed with an unknown key."""

    code = "auth.token_unknown_key"


class TokenExpired(Unauthorized):
    """The access token has expired: refresh it or log in again."""

    code = "auth.token_expired"


class TokenNotYetValid(Unauthorized):
    """The access token is not valid yet (check the device's clock)."""

    code = "auth.token_not_yet_valid"


class TokenInvalid(Unauthorized):
    """The access token does not verify."""

    code = "auth.token_invalid"


class TokenType(Unauthorized):
    """The token is not an access token."""

    code = "auth.token_type"


class TokenRevoked(Unauthorized):
    """The session ended or the account was disabled: log in again."""

    code = "auth.token_revoked"


class HeaderMalformed(Unauthorized):
    """The Authorization header is not `Bearer <token>`."""

    code = "auth.header_malformed"


class LoginRequired(Unauthorized):
    """The operation needs a bearer access token."""

    code = "auth.required"


class RoleRequired(Forbidden):
    """The caller holds none of the roles the operation needs."""

    code = "auth.role_required"


@dataclass(frozen=True)
class ActingFor:
    """A legal person an agent acts for, under a grant (法人授权)."""

    entity_id: str
    uscc: str
    grant_id: str
    scope: tuple[str, ...]

    def covers(self, item_code: str) -> bool:
        """True if the grant's scope covers `item_code`."""
        return "*" in self.scope or item_code in self.scope


@dataclass(frozen=True)
class Principal:
    """Who is calling: verified from the access token."""

    subject: str
    kind: str
    roles: frozenset[str] = field(default_factory=frozenset)
    org_unit: str | None = None  # the unit's id
    loa: int = 2
    acting_for: ActingFor | None = None
    token_id: str | None = None
    expires_at: float = 0.0
    org_unit_code: str | None = None  # the unit's code, e.g. 110105-MZJ (所属单位编码)
    session_id: str | None = None  # the login session (`sid`) the token belongs to

    @property
    def is_staff(self) -> bool:
        """True for staff accounts."""
        return self.kind == "staff"

    @property
    def is_admin(self) -> bool:
        """True for administrators."""
        return "admin" in self.roles

    def has_any_role(self, roles: Iterable[str]) -> bool:
        """True if the principal holds any of `roles`."""
        return bool(self.roles.intersection(roles))

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> Principal:
        """Build a principal from verified token claims."""
        act = claims.get("act")
        acting = None
        if isinstance(act, dict):
            acting = ActingFor(
                entity_id=str(act.get("entity_id", "")),
                uscc=str(act.get("uscc", "")),
                grant_id=str(act.get("grant_id") or ""),
                scope=tuple(str(s) for s in act.get("scope", ())),
            )
        return cls(
            subject=str(claims["sub"]),
            kind=str(claims.get("kind", "person")),
            roles=frozenset(str(r) for r in claims.get("roles", ())),
            org_unit=claims.get("org_unit"),
            loa=int(claims.get("loa", 2)),
            acting_for=acting,
            token_id=claims.get("jti"),
            expires_at=float(claims.get("exp", 0)),
            org_unit_code=claims.get("org_unit_code"),
            session_id=str(claims["sid"]) if claims.get("sid") else None,
        )


class KeySource(Protocol):
    """Where public keys come from, by key id."""

    async def get(self, kid: str) -> Any | None:
        """The public key for `kid`, or None if unknown."""
        ...


def keys_from_jwks(jwks: dict[str, Any]) -> dict[str, Any]:
    """Parse a JWKS document into {kid: public key}."""
    keys: dict[str, Any] = {}
    for jwk in jwks.get("keys", []):
        if jwk.get("kty") != "RSA" or not jwk.get("kid"):
            continue
        if jwk.get("use", "sig") != "sig":
            continue
        keys[jwk["kid"]] = RSAAlgorithm.from_jwk(json.dumps(jwk))
    return keys


class JwksKeySource:
    """Keys fetched over HTTP from a JWKS URL, cached, refetched on an unknown kid."""

    def __init__(
        self,
        url: str,
        *,
        client: httpx.AsyncClient | None = None,
        min_refetch_seconds: float = 5.0,
        max_age_seconds: float = 600.0,
        timeout: float = 3.0,
    ) -> None:
        self.url = url
        self._client = client
        self._keys: dict[str, Any] = {}
        self._fetched_at = 0.0
        self._attempted_at = 0.0
        self._failed = False
        self._min_refetch = min_refetch_seconds
        self._max_age = max_age_seconds
        self._timeout = timeout
        self._lock = asyncio.Lock()
        self._background: asyncio.Task[None] | None = None

    async def refresh(self) -> None:
        """Fetch the JWKS now (waits for a fetch already under way)."""
        async with self._lock:
            await self._fetch()

    async def _fetch(self) -> None:
        self._attempted_at = time.monotonic()
        client = self._client or async_client(timeout=self._timeout)
        try:
            resp = await client.get(self.url)
            resp.raise_for_status()
            self._keys = keys_from_jwks(resp.json())
            self._fetched_at = time.monotonic()
            self._failed = False
        except BaseException:
            self._failed = True
            raise
        finally:
            if self._client is None:
                await client.aclose()

    async def get(self, kid: str) -> Any | None:
        """The key for `kid`, refetching the JWKS once if it is not cached."""
        key = self._keys.get(kid)
        if key is not None:
            if time.monotonic() - self._fetched_at > self._max_age:
                # Refresh in the background so a key withdrawn from the JWKS stops being trusted.
                self._refresh_soon()
            return key
        async with self._lock:
            key = self._keys.get(kid)
            if key is not None:
                return key
            if time.monotonic() - self._attempted_at < self._min_refetch:
                # Tried moments ago (and failed, or the kid was not there): don't hammer identity.
                if self._failed:
                    raise JwksUnavailable(
                        "暂时无法从统一身份认证服务获取令牌签名公钥，请稍后再试。",
                        en="Cannot fetch the token signing keys from identity-svc; try again shortly.",
                    )
                return None
            try:
                await self._fetch()
            except (httpx.HTTPError, ValueError) as exc:
                raise JwksUnavailable(
                    "暂时无法从统一身份认证服务获取令牌签名公钥，请稍后再试。",
                    en="Cannot fetch the token signing keys from identity-svc; try again shortly.",
                ) from exc
            return self._keys.get(kid)

    def _refresh_soon(self) -> None:
        if self._background is not None and not self._background.done():
            return
        if time.monotonic() - self._attempted_at < self._min_refetch:
            return

        async def run() -> None:
            with contextlib.suppress(httpx.HTTPError, ValueError):
                await self.refresh()

        self._background = asyncio.create_task(run())


class CallableKeySource:
    """Keys from a coroutine function (identity-svc uses its own key store)."""

    def __init__(self, fn: Callable[[str], Awaitable[Any | None]]) -> None:
        self._fn = fn

    async def get(self, kid: str) -> Any | None:
        """The key for `kid` from the wrapped function."""
        return await self._fn(kid)


@dataclass(frozen=True, slots=True)
class _Verified:
    """A token that verified: whom it names, the key that signed it, when it is valid."""

    principal: Principal
    kid: str
    key: Any
    not_before: int  # the later of `nbf` and `iat`, as PyJWT reads them
    expires: int


class TokenVerifier:
    """Verifies access tokens locally: signature, expiry, not-before, issuer, audience, and —
    given a revocation feed — that neither the token's session nor its account was revoked.

    Tokens that verified are remembered (up to `cache_size`, least recently used first out; 0 turns
    this off) with the principal they name, so a repeated token skips the signature check. Every
    call still looks the token's `kid` up (a dict hit in every key source), reads the clock and the
    revocation list: a remembered token is refused with the error a fresh verification would give,
    and forgotten. Failures are never remembered.
    """

    def __init__(
        self,
        keys: KeySource,
        *,
        issuer: str,
        audience: str,
        leeway: float = 5,
        revocations: RevocationFeed | None = None,
        cache_size: int = 10_000,
    ) -> None:
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
        self.revocations = revocations
        self.cache_size = cache_size
        self._cache: OrderedDict[str, _Verified] = OrderedDict()

    @property
    def cached_count(self) -> int:
        """How many verified tokens are remembered now."""
        return len(self._cache)

    def check_not_revoked(self, principal: Principal) -> None:
        """Raise Unauthorized if the principal's session or account has been revoked."""
        if self.revocations is not None and self.revocations.covers(principal.subject, principal.session_id):
            raise token_revoked()

    async def verify(self, token: str) -> Principal:
        """The principal the token names; raises Unauthorized when it does not verify."""
        hit = self._cache.get(token)
        if hit is None:
            return await self._verify(token)
        self._cache.move_to_end(token)
        try:
            key = await self.keys.get(hit.kid)
            if key is None:
                raise _unknown_key()
            if key is not hit.key and key != hit.key:
                # The kid names another key now: check the signature again, as for a new token.
                self._cache.pop(token, None)
                return await self._verify(token)
            # PyJWT's own tests, in its order: iat and nbf, then exp.
            now = time.time()
            if hit.not_before > now + self.leeway:
                raise _not_yet_valid()
            if hit.expires <= now - self.leeway:
                raise _expired()
            self.check_not_revoked(hit.principal)
        except Unauthorized:
            self._cache.pop(token, None)
            raise
        return hit.principal

    async def _verify(self, token: str) -> Principal:
        """The full verification; remembers the token when it passes."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise TokenMalformed(
                "访问令牌格式有误，请重新登录。",
                en="The access token is malformed.",
            ) from exc
        if header.get("alg") != ALGORITHM:
            raise TokenAlgorithm(
                f"不接受签名算法为 {header.get('alg')!r} 的令牌，只接受 {ALGORITHM}。",
                en=f"Token algorithm {header.get('alg')!r} is not accepted; only {ALGORITHM}.",
            )
        kid = header.get("kid")
        if not kid or not isinstance(kid, str):
            raise TokenKid(
                "访问令牌缺少密钥标识（kid），请重新登录。",
                en="The access token has no key id (kid).",
            )
        key = await self.keys.get(kid)
        if key is None:
            raise _unknown_key()
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway,
                options={"require": ["exp", "iat", "nbf", "sub", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise _expired() from exc
        except jwt.ImmatureSignatureError as exc:
            raise _not_yet_valid() from exc
        except jwt.PyJWTError as exc:
            raise TokenInvalid(
                f"访问令牌无效（{exc}），请重新登录。",
                en=f"The access token is invalid: {exc}.",
            ) from exc
        if claims.get("typ", "access") != "access":
            raise TokenType("这不是访问令牌。", en="This is not an access token.")
        principal = Principal.from_claims(claims)
        self.check_not_revoked(principal)
        if self.cache_size > 0:
            # decode() required iat, nbf and exp and checked that they are integers.
            self._cache[token] = _Verified(
                principal=principal,
                kid=kid,
                key=key,
                not_before=max(int(claims["iat"]), int(claims["nbf"])),
                expires=int(claims["exp"]),
            )
            self._cache.move_to_end(token)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return principal


def _unknown_key() -> Unauthorized:
    return TokenUnknownKey(
        "访问令牌的签名密钥未知，请重新登录。",
        en="The access token was signed with an unknown key.",
    )


def _expired() -> Unauthorized:
    return TokenExpired(
        "登录已过期，请刷新令牌或重新登录。",
        en="The access token has expired; refresh it or log in again.",
    )


def _not_yet_valid() -> Unauthorized:
    return TokenNotYetValid(
        "访问令牌尚未生效，请核对设备时间后重试。",
        en="The access token is not yet valid.",
    )


def token_revoked() -> Unauthorized:
    """The answer to a token whose session ended (logout) or whose account was disabled."""
    return TokenRevoked(
        "本次登录已退出或账号已停用，访问令牌已失效，请重新登录。",
        en="This access token was revoked (the session ended or the account was disabled); log in again.",
    )


def bearer_token(request: Request) -> str | None:
    """The bearer token in the Authorization header, if any."""
    value = request.headers.get("authorization")
    if not value:
        return None
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HeaderMalformed(
            "Authorization 请求头应为 'Bearer <令牌>'。",
            en="The Authorization header must be 'Bearer <token>'.",
        )
    return token.strip()


async def optional_principal(request: Request) -> Principal | None:
    """The caller if a token was sent (and verifies), else None."""
    cached = getattr(request.state, "principal", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    token = bearer_token(request)
    if token is None:
        return None
    verifier: TokenVerifier = request.app.state.token_verifier
    principal = await verifier.verify(token)
    request.state.principal = principal
    return principal


async def current_principal(
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> Principal:
    """The caller; 401 when no token was sent."""
    if principal is None:
        raise LoginRequired(
            "请先登录：此操作需要访问令牌。",
            en="Log in first: this needs a bearer access token.",
        )
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]


def require_roles(*roles: str) -> Callable[..., Awaitable[Principal]]:
    """A dependency that admits staff holding any of `roles` (admins always)."""
    wanted = frozenset(roles)

    async def dependency(principal: CurrentPrincipal) -> Principal:
        if principal.is_admin or principal.roles & wanted:
            return principal
        raise RoleRequired(
            "此操作需要以下角色之一：" + "、".join(ROLE_NAMES_ZH.get(r, r) for r in sorted(wanted)) + "。",
            en="This needs one of the roles: " + ", ".join(sorted(wanted)) + ".",
            required_roles=sorted(wanted),
        )

    return dependency
