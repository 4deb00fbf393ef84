"""Token verification against a real JWKS endpoint: rotation, refetch, refusals."""

from __future__ import annotations

import asyncio
import base64
import json
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import jwt
import pytest
import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI
from jwt.algorithms import RSAAlgorithm

from yiwang_shared.auth import JwksKeySource, Principal, TokenVerifier
from yiwang_shared.errors import ServiceUnavailable, Unauthorized
from yiwang_shared.revocation import RevocationFeed, Revocations, revocation_digest, revocations_url_for


class Keys:
    """The JWKS the test server publishes; tests add keys to rotate."""

    def __init__(self) -> None:
        self.private: dict[str, rsa.RSAPrivateKey] = {}
        self.fetches = 0

    def add(self, kid: str) -> None:
        self.private[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwks(self) -> dict[str, object]:
        keys = []
        for kid, key in self.private.items():
            jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
            jwk.update(kid=kid, use="sig", alg="RS256")
            keys.append(jwk)
        return {"keys": keys}

    def token(self, kid: str, **overrides: object) -> str:
        now = int(time.time())
        claims: dict[str, object] = {
            "iss": "yiwang-identity",
            "aud": "yiwang",
            "sub": "u1",
            "kind": "person",
            "roles": [],
            "loa": 2,
            "iat": now,
            "nbf": now,
            "exp": now + 60,
            "jti": "j",
            "typ": "access",
        }
        claims.update(overrides)
        return jwt.encode(claims, self.private[kid], algorithm="RS256", headers={"kid": kid})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def jwks_server() -> Iterator[tuple[str, Keys]]:
    keys = Keys()
    keys.add("k1")
    app = FastAPI()

    @app.get("/jwks")
    def jwks() -> dict[str, object]:
        keys.fetches += 1
        return keys.jwks()

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}/jwks", keys
    server.should_exit = True
    thread.join(5)


def _verifier(url: str, **kw: float) -> TokenVerifier:
    return TokenVerifier(JwksKeySource(url, **kw), issuer="yiwang-identity", audience="yiwang", leeway=0)


async def test_valid_token_gives_principal(jwks_server: tuple[str, Keys]) -> None:
    url, keys = jwks_server
    act = {"entity_id": "e1", "uscc": "91350100M000100Y43", "grant_id": None, "scope": ["*"]}
    p = await _verifier(url).verify(keys.token("k1", roles=["admin"], kind="staff", act=act))
    assert isinstance(p, Principal) and p.is_staff and p.is_admin
    assert p.acting_for is not None and p.acting_for.grant_id == "" and p.acting_for.covers("X")


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"exp": int(time.time()) - 10}, "auth.token_expired"),
        # Computed at collection: far enough ahead that a slow run still finds it in the future.
        ({"nbf": int(time.time()) + 3600}, "auth.token_not_yet_valid"),
        ({"aud": "someone-else"}, "auth.token_invalid"),
        ({"iss": "evil"}, "auth.token_invalid"),
        ({"typ": "refresh"}, "auth.token_type"),
    ],
)
async def test_claims_refused(jwks_server: tuple[str, Keys], overrides: dict[str, object], code: str) -> None:
    url, keys = jwks_server
    with pytest.raises(Unauthorized) as err:
        await _verifier(url).verify(keys.token("k1", **overrides))
    assert err.value.code == code


async def test_alg_none_and_hs256_with_public_key_refused(jwks_server: tuple[str, Keys]) -> None:
    url, keys = jwks_server
    claims = jwt.decode(keys.token("k1"), options={"verify_signature": False})
    unsigned = jwt.encode(claims, None, algorithm="none", headers={"kid": "k1"})
    with pytest.raises(Unauthorized):
        await _verifier(url).verify(unsigned)
    pem = (
        keys.private["k1"]
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    header = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT","kid":"k1"}').rstrip(b"=")
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=")
    import hashlib
    import hmac

    sig = base64.urlsafe_b64encode(hmac.new(pem, header + b"." + body, hashlib.sha256).digest()).rstrip(b"=")
    with pytest.raises(Unauthorized) as err:
        await _verifier(url).verify((header + b"." + body + b"." + sig).decode())
    assert err.value.code == "auth.token_algorithm"
    with pytest.raises(Unauthorized):
        await _verifier(url).verify("not-a-token")


async def test_unknown_kid_refetches_once_then_knows_rotated_key(jwks_server: tuple[str, Keys]) -> None:
    url, keys = jwks_server
    # An interval long enough that five refused verifies fit in it on a loaded machine.
    verifier = _verifier(url, min_refetch_seconds=1.0)
    await verifier.verify(keys.token("k1"))
    keys.add("k2")  # rotation: identity publishes a new key
    await asyncio.sleep(1.05)
    before = keys.fetches
    p = await verifier.verify(keys.token("k2"))
    assert p.subject == "u1" and keys.fetches == before + 1
    # A kid nobody publishes: one refetch at most per interval, then refused.
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(
        jwt.decode(keys.token("k1"), options={"verify_signature": False}),
        stranger,
        algorithm="RS256",
        headers={"kid": "k9"},
    )
    await asyncio.sleep(1.05)
    before = keys.fetches
    for _ in range(5):
        with pytest.raises(Unauthorized):
            await verifier.verify(forged)
    assert keys.fetches == before + 1


async def test_jwks_down_answers_quickly_without_hammering() -> None:
    verifier = _verifier(f"http://127.0.0.1:{_free_port()}/jwks", min_refetch_seconds=30)
    keys = Keys()
    keys.add("k1")
    with pytest.raises(ServiceUnavailable):
        await verifier.verify(keys.token("k1"))
    start = time.monotonic()
    with pytest.raises(ServiceUnavailable):
        await verifier.verify(keys.token("k1"))
    assert time.monotonic() - start < 0.5


class _ListSource:
    """A revocation source the test controls; `fail` makes it raise like an unreachable identity."""

    def __init__(self) -> None:
        self.value = Revocations()
        self.fail = False

    async def fetch(self) -> Revocations:
        if self.fail:
            raise httpx.ConnectError("identity is down")
        return self.value


async def test_a_revoked_session_or_account_is_refused_and_the_last_list_outlives_an_outage(
    jwks_server: tuple[str, Keys],
) -> None:
    """Issue 15, point 9: logout and disabling an account did not stop access tokens."""
    url, keys = jwks_server
    source = _ListSource()
    feed = RevocationFeed(source, interval=3600)
    verifier = TokenVerifier(
        JwksKeySource(url), issuer="yiwang-identity", audience="yiwang", leeway=0, revocations=feed
    )
    ended = keys.token("k1", sub="u1", sid="s-ended")
    other = keys.token("k1", sub="u1", sid="s-other")
    disabled = keys.token("k1", sub="u2", sid="s-u2")
    legacy = keys.token("k1", sub="u3")  # no sid: only its account can be revoked
    assert (await verifier.verify(ended)).session_id == "s-ended"
    source.value = Revocations(
        sessions=frozenset({revocation_digest("session", "s-ended")}),
        accounts=frozenset({revocation_digest("account", "u2"), revocation_digest("account", "u3")}),
    )
    assert await feed.refresh()
    for token in (ended, disabled, legacy):
        with pytest.raises(Unauthorized) as exc:
            await verifier.verify(token)
        assert exc.value.code == "auth.token_revoked"
        assert "重新登录" in exc.value.detail
    assert (await verifier.verify(other)).subject == "u1"
    # identity unreachable: the list in force stays in force.
    source.fail = True
    assert not await feed.refresh()
    with pytest.raises(Unauthorized):
        await verifier.verify(ended)
    # Digests name nobody: the list holds no id in clear.
    assert "s-ended" not in "".join(source.value.sessions)


def test_revocations_url_sits_beside_the_jwks() -> None:
    assert (
        revocations_url_for("http://identity:8001/v1/auth/jwks") == "http://identity:8001/v1/auth/revocations"
    )
