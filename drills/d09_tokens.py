"""Drill 9 — tokens: expired, not yet valid, unknown key id, `alg: none`, HS256 signed with the
public key, forged signature, edited claims, wrong audience/issuer, revoked and reused refresh
tokens, the access token of a session that logged out (within seconds, not at expiry: issue 15,
point 9), and a citizen's token on staff endpoints: all refused (401/403), at the gateway and at
each service directly."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
import uuid
from typing import Any, cast

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from .env import DrillEnv
from .result import DrillResult
from .security_support import Logins, bearer, db_rows, gateway_client, problem_issue

NUMBER = 9
NAME = "tokens"

#: One endpoint per service that needs a login (method, path below the service's root).
PROTECTED = {
    "identity": ("GET", "/v1/me"),
    "catalog": ("POST", "/v1/basic-items"),
    "intake": ("GET", "/v1/applications"),
    "hotline": ("GET", "/v1/tickets"),
    "evaluation": ("GET", "/v1/ratings/mine"),
}
#: How long a logged-out session's access token may still be honoured (services poll every 2 s).
REVOCATION_SECONDS = 8.0

#: Staff-only endpoints a citizen's valid token must not open (403).
STAFF_ONLY = [
    ("GET", "identity", "/v1/staff"),
    ("GET", "identity", "/v1/auth/keys"),
    ("GET", "intake", "/v1/supervision/cases"),
    ("GET", "hotline", "/v1/dispatch-rules"),
    ("GET", "hotline", "/v1/kb/usage"),
    ("GET", "evaluation", "/v1/bad-reviews"),
    ("GET", "evaluation", "/v1/reports/monthly?month=2026-11"),
]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _hs256_with_public_key(claims: dict[str, Any], kid: str, public_pem: bytes) -> str:
    # PyJWT refuses to HMAC with a PEM key (that is the point of the attack), so build it by hand.
    head = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode())
    body = _b64(json.dumps(claims).encode())
    sig = hmac.new(public_pem, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_b64(sig)}"


async def _bad_tokens(env: DrillEnv, logins: Logins) -> dict[str, str]:
    """name → a token that must be refused everywhere."""
    real = await logins.token("citizen")
    kid = jwt.get_unverified_header(real)["kid"]
    claims = jwt.decode(real, options={"verify_signature": False})
    rows = await db_rows(
        env, "identity", "SELECT private_key_pem FROM signing_keys WHERE kid = :kid", {"kid": kid}
    )
    key = cast(RSAPrivateKey, serialization.load_pem_private_key(rows[0][0].encode(), password=None))
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    now = int(time.time())
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def signed(**changes: Any) -> str:
        return jwt.encode(
            {**claims, "jti": uuid.uuid4().hex, **changes}, key, algorithm="RS256", headers={"kid": kid}
        )  # type: ignore[arg-type]

    head, _payload, sig = real.split(".")
    edited = _b64(json.dumps({**claims, "roles": ["admin"]}).encode())
    return {
        "expired": signed(iat=now - 3600, nbf=now - 3600, exp=now - 600),
        "not_yet_valid": signed(iat=now + 600, nbf=now + 600, exp=now + 1500),
        "unknown_kid": jwt.encode(claims, stranger, algorithm="RS256", headers={"kid": "drill-unknown-kid"}),
        "forged_same_kid": jwt.encode(claims, stranger, algorithm="RS256", headers={"kid": kid}),
        "alg_none": jwt.encode(claims, key=None, algorithm="none", headers={"kid": kid}),  # type: ignore[arg-type]
        "hs256_public_key": _hs256_with_public_key(claims, kid, public_pem),
        "claims_edited": f"{head}.{edited}.{sig}",
        "wrong_audience": signed(aud="someone-else"),
        "wrong_issuer": signed(iss="https://evil.example"),
        "no_exp": jwt.encode(
            {k: v for k, v in claims.items() if k != "exp"}, key, algorithm="RS256", headers={"kid": kid}
        ),  # type: ignore[arg-type]
        "garbage": "not.a.jwt",
    }


async def run(env: DrillEnv) -> DrillResult:
    """Try every bad token at the gateway and at every service; count what was let in."""
    start = time.monotonic()
    tried, failures = 0, []

    def check(resp: httpx.Response, where: str, allowed: tuple[int, ...] = (401,)) -> None:
        nonlocal tried
        tried += 1
        issue = problem_issue(resp) if resp.status_code in allowed else None
        if resp.status_code not in allowed:
            failures.append(f"{where}: HTTP {resp.status_code}")
        elif issue:
            failures.append(f"{where}: {issue}")

    async with gateway_client(env) as gw, httpx.AsyncClient(timeout=30) as direct:
        logins = Logins(gw)
        bad = await _bad_tokens(env, logins)
        for name, token in bad.items():
            for service, (method, path) in PROTECTED.items():
                kw: dict[str, Any] = {"json": {}} if method == "POST" else {}
                resp = await gw.request(method, f"/api/{service}{path}", headers=bearer(token), **kw)
                check(resp, f"{name} gateway {service}")
                url = env.platform.service_url(service) + path
                check(
                    await direct.request(method, url, headers=bearer(token), **kw), f"{name} direct {service}"
                )

        # Refresh tokens: revoked by logout, and an old one reused after rotation.
        logged_out_access = ""
        for case in ("logged_out", "rotated_away"):
            body = await logins.login("13810000003")
            refresh = body["refresh_token"]
            if case == "logged_out":
                resp = await gw.post(
                    "/api/identity/v1/auth/logout",
                    json={"refresh_token": refresh},
                    headers=bearer(body["access_token"]),
                )
                ok_first = resp.status_code in (200, 204)
                logged_out_access = body["access_token"]
            else:
                resp = await gw.post("/api/identity/v1/auth/refresh", json={"refresh_token": refresh})
                ok_first = resp.status_code == 200
            if not ok_first:
                failures.append(f"refresh {case}: setup answered {resp.status_code}")
            check(
                await gw.post("/api/identity/v1/auth/refresh", json={"refresh_token": refresh}),
                f"refresh {case} gateway",
            )
            url = env.platform.service_url("identity") + "/v1/auth/refresh"
            check(await direct.post(url, json={"refresh_token": refresh}), f"refresh {case} direct")

        # The logged-out session's access token: refused everywhere within seconds of the logout.
        deadline = time.monotonic() + REVOCATION_SECONDS
        for service, (method, path) in PROTECTED.items():
            kw = {"json": {}} if method == "POST" else {}
            targets = (
                ("gateway", gw, f"/api/{service}{path}"),
                ("direct", direct, env.platform.service_url(service) + path),
            )
            for where, client, url in targets:
                resp = await client.request(method, url, headers=bearer(logged_out_access), **kw)
                while resp.status_code != 401 and time.monotonic() < deadline:
                    await asyncio.sleep(0.25)
                    resp = await client.request(method, url, headers=bearer(logged_out_access), **kw)
                check(resp, f"logged-out access token {where} {service}")

        # A citizen's genuine token on staff endpoints.
        citizen = await logins.token("citizen")
        for method, service, path in STAFF_ONLY:
            body_kw: dict[str, Any] = {"json": {}} if method == "POST" else {}
            resp = await gw.request(method, f"/api/{service}{path}", headers=bearer(citizen), **body_kw)
            check(resp, f"citizen gateway {method} {service}{path}", (401, 403))
            url = env.platform.service_url(service) + path
            resp = await direct.request(method, url, headers=bearer(citizen), **body_kw)
            check(resp, f"citizen direct {method} {service}{path}", (401, 403))

    return DrillResult(
        NUMBER,
        NAME,
        env.backend,
        ok=not failures,
        figures={"cases tried": tried, "failed": len(failures), "token kinds": len(bad) + 4},
        notes="; ".join(failures[:6]),
        seconds=time.monotonic() - start,
    )
