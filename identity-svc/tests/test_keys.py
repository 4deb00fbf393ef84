"""JWKS, the initial signing key, and rotation without downtime."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from sqlalchemy import select
from support import Actor, create_staff, login, make_admin, problem, register_person

from identity.config import Settings
from identity.main import create_app
from identity.models import SigningKey
from identity.services.keys import key_id, key_states
from yiwang_shared.db import Database
from yiwang_shared.testing.app import running_app


async def test_jwks_publishes_the_configured_initial_key(client: httpx.AsyncClient, signing_pem: str) -> None:
    resp = await client.get("/v1/auth/jwks")
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("application/jwk-set+json")
    keys = resp.json()["keys"]
    assert len(keys) == 1
    jwk = keys[0]
    assert set(jwk) == {"kty", "kid", "use", "alg", "n", "e"}
    assert (jwk["kty"], jwk["use"], jwk["alg"]) == ("RSA", "sig", "RS256")
    private = serialization.load_pem_private_key(signing_pem.encode(), password=None)
    assert jwk["kid"] == key_id(private.public_key())  # type: ignore[arg-type]


async def test_generated_key_is_stored_encrypted_with_a_passphrase(
    make_settings: Callable[..., Settings],
) -> None:
    settings = make_settings(signing_key_pem=None, signing_key_passphrase="s3cret-pass")
    async with running_app(create_app(settings)) as client:
        person = await register_person(client)
        assert (await client.get("/v1/me", headers=person.headers)).status_code == 200
    db = Database(settings.resolved_database_url())
    async with db.transaction(write=False) as session:
        pems = (await session.execute(select(SigningKey.private_key_pem))).scalars().all()
    await db.dispose()
    assert len(pems) == 1 and "ENCRYPTED PRIVATE KEY" in pems[0]


async def test_rotation_publishes_at_once_and_signs_after_the_delay(
    make_settings: Callable[..., Settings],
) -> None:
    settings = make_settings(key_rollover_delay_seconds=2)
    async with running_app(create_app(settings)) as client:
        admin = await make_admin(client, settings)
        person = await register_person(client)
        old_kid = jwt.get_unverified_header(person.access_token)["kid"]

        resp = await client.post("/v1/auth/keys/rotate", headers=admin.headers)
        assert resp.status_code == 201, resp.text
        new = resp.json()
        assert new["status"] == "next" and new["kid"] != old_kid

        kids = [k["kid"] for k in (await client.get("/v1/auth/jwks")).json()["keys"]]
        assert set(kids) == {old_kid, new["kid"]}  # published at once
        # Before the rollover, tokens are still signed with the old key.
        early = await login(client, person.phone or "")
        assert jwt.get_unverified_header(early["access_token"])["kid"] == old_kid

        await asyncio.sleep(2.1)
        late = await login(client, person.phone or "")
        assert jwt.get_unverified_header(late["access_token"])["kid"] == new["kid"]
        # Tokens the old key signed still verify, and it stays published until they expire.
        assert (await client.get("/v1/me", headers=person.headers)).status_code == 200
        late_headers = {"Authorization": "Bearer " + late["access_token"]}
        assert (await client.get("/v1/me", headers=late_headers)).status_code == 200
        kids = [k["kid"] for k in (await client.get("/v1/auth/jwks")).json()["keys"]]
        assert kids == [new["kid"], old_kid]  # newest first

        listed = (await client.get("/v1/auth/keys", headers=admin.headers)).json()
        assert listed["total"] == 2 and [k["kid"] for k in listed["items"]] == [old_kid, new["kid"]]
        states = {k["kid"]: k for k in listed["items"]}
        assert states[new["kid"]]["status"] == "signing"
        assert states[old_kid]["status"] == "retiring"
        assert states[old_kid]["unpublish_at"] is not None


async def test_only_admins_rotate(client: httpx.AsyncClient, admin: Actor) -> None:
    supervisor = await create_staff(client, admin, "sup2", ["supervisor"])
    problem(await client.post("/v1/auth/keys/rotate", headers=supervisor.headers), 403, "auth.role_required")
    problem(await client.post("/v1/auth/keys/rotate"), 401, "auth.required")


def _key(kid: str, active_from: datetime) -> SigningKey:
    return SigningKey(kid=kid, private_key_pem="", active_from=active_from)


def test_key_states_retire_and_expire_old_keys() -> None:
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    ttl = timedelta(minutes=15)
    keys = [_key("a", t0), _key("b", t0 + timedelta(hours=1)), _key("c", t0 + timedelta(hours=3))]

    def status_at(now: datetime) -> dict[str, str]:
        return {s.key.kid: s.status for s in key_states(keys, now=now, token_ttl=ttl)}

    assert status_at(t0 + timedelta(minutes=30)) == {"a": "signing", "b": "next", "c": "next"}
    # b signs; a stays published for the token lifetime plus a margin.
    assert status_at(t0 + timedelta(hours=1, minutes=10)) == {"a": "retiring", "b": "signing", "c": "next"}
    assert status_at(t0 + timedelta(hours=1, minutes=17)) == {"a": "expired", "b": "signing", "c": "next"}
    assert status_at(t0 + timedelta(hours=3, minutes=1)) == {"a": "expired", "b": "retiring", "c": "signing"}


async def test_rotation_drops_keys_whose_tokens_have_all_expired(
    make_settings: Callable[..., Settings],
) -> None:
    settings = make_settings(access_token_ttl_seconds=60)
    async with running_app(create_app(settings)) as client:
        admin = await make_admin(client, settings)
        first = (await client.get("/v1/auth/jwks")).json()["keys"][0]["kid"]
        resp = await client.post("/v1/auth/keys/rotate", headers=admin.headers, json={"delay_seconds": 0})
        second = resp.json()["kid"]
        # Pretend the first key retired long ago.
        db = Database(settings.resolved_database_url())
        async with db.transaction() as session:
            now = datetime.now(UTC)
            for kid, age in ((first, timedelta(hours=2)), (second, timedelta(hours=1))):
                key = await session.get(SigningKey, kid)
                assert key is not None
                key.active_from = now - age
        await db.dispose()
        kids = [k["kid"] for k in (await client.get("/v1/auth/jwks")).json()["keys"]]
        assert kids == [second]
        # The next rotation deletes the expired key (private key material is not kept).
        admin_token = (await login(client, "root"))["access_token"]
        fresh = {"Authorization": f"Bearer {admin_token}"}
        assert (await client.post("/v1/auth/keys/rotate", headers=fresh)).status_code == 201
        listed = {k["kid"] for k in (await client.get("/v1/auth/keys", headers=fresh)).json()["items"]}
        assert first not in listed and second in listed and len(listed) == 2


async def test_a_key_stored_in_clear_is_encrypted_once_a_passphrase_is_set(
    make_settings: Callable[..., Settings],
) -> None:
    """A private PEM stored in clear (as `make run` once did) lets whoever reads the database mint
    an admin token. Set a passphrase and the next start encrypts it."""
    plain = make_settings(signing_key_pem=None, signing_key_passphrase=None)
    async with running_app(create_app(plain)) as client:
        kid = (await client.get("/v1/auth/jwks")).json()["keys"][0]["kid"]
    settings = make_settings(signing_key_pem=None, signing_key_passphrase="s3cret-pass")
    async with running_app(create_app(settings)) as client:
        person = await register_person(client)
        assert (await client.get("/v1/me", headers=person.headers)).status_code == 200
        assert [k["kid"] for k in (await client.get("/v1/auth/jwks")).json()["keys"]] == [kid]
    db = Database(settings.resolved_database_url())
    async with db.transaction(write=False) as session:
        pems = (await session.execute(select(SigningKey.private_key_pem))).scalars().all()
    await db.dispose()
    assert len(pems) == 1 and "ENCRYPTED PRIVATE KEY" in pems[0]
