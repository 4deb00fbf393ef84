"""Login, token claims, refresh rotation and reuse detection, logout, wrong-password throttling,
expiry."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import update
from support import PASSWORD, Actor, claims, create_staff, login, make_admin, problem, register_person

from identity.config import Settings
from identity.main import create_app
from identity.models import RefreshToken
from yiwang_shared.auth import keys_from_jwks
from yiwang_shared.db import Database
from yiwang_shared.testing.app import running_app


async def test_person_logs_in_with_resident_id_or_mobile(client: httpx.AsyncClient) -> None:
    person = await register_person(client)
    assert person.resident_id and person.phone
    by_id = await login(client, person.resident_id.lower())  # lower-case x is fine too
    by_phone = await login(client, "+86 " + person.phone)
    for tokens in (by_id, by_phone):
        assert claims(tokens["access_token"])["sub"] == person.id
        assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 900


async def test_access_token_claims_follow_the_shared_format(client: httpx.AsyncClient, admin: Actor) -> None:
    staff = await create_staff(client, admin, "approver1", ["approver"])
    token = staff.access_token
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "RS256" and header["kid"]
    jwks = (await client.get("/v1/auth/jwks")).json()
    key = keys_from_jwks(jwks)[header["kid"]]
    c = jwt.decode(token, key, algorithms=["RS256"], audience="yiwang", issuer="yiwang-identity")
    assert set(c) == {
        "iss",
        "aud",
        "sub",
        "kind",
        "roles",
        "org_unit",
        "org_unit_code",
        "loa",
        "iat",
        "nbf",
        "exp",
        "jti",
        "typ",
        "sid",
    }
    assert c["kind"] == "staff" and c["roles"] == ["approver"] and c["loa"] == 4
    assert c["typ"] == "access" and c["exp"] - c["iat"] == 900 and c["nbf"] == c["iat"]
    me = (await client.get("/v1/me", headers=staff.headers)).json()
    assert c["org_unit"] == me["account"]["org_unit"]["id"]
    assert c["org_unit_code"] == me["account"]["org_unit"]["code"]

    person = await register_person(client)
    pc = claims(person.access_token)
    assert pc["kind"] == "person" and pc["roles"] == [] and pc["loa"] == 2 and "org_unit" not in pc
    assert "org_unit_code" not in pc


async def test_wrong_password_and_unknown_user_look_the_same(client: httpx.AsyncClient) -> None:
    person = await register_person(client)
    wrong = await client.post("/v1/auth/login", json={"username": person.phone, "password": "nope12345"})
    unknown = await client.post("/v1/auth/login", json={"username": "13000000000", "password": "nope12345"})
    nobody = await client.post("/v1/auth/login", json={"username": "ghost", "password": "nope12345"})
    bodies = [problem(r, 401, "identity.invalid_credentials") for r in (wrong, unknown, nobody)]
    assert len({(b["title"], b["detail"]) for b in bodies}) == 1
    assert all(r.headers["www-authenticate"] == "Bearer" for r in (wrong, unknown, nobody))


async def test_refresh_rotates_and_reuse_revokes_the_family(client: httpx.AsyncClient) -> None:
    person = await register_person(client)
    first = person.refresh_token
    resp = await client.post("/v1/auth/refresh", json={"refresh_token": first})
    assert resp.status_code == 200, resp.text
    second = resp.json()["refresh_token"]
    assert second != first and claims(resp.json()["access_token"])["sub"] == person.id
    third = (await client.post("/v1/auth/refresh", json={"refresh_token": second})).json()["refresh_token"]

    # The first token is replayed (stolen copy): refused, and the whole family is revoked.
    replay = await client.post("/v1/auth/refresh", json={"refresh_token": first})
    problem(replay, 401, "identity.refresh_token_reused")
    problem(
        await client.post("/v1/auth/refresh", json={"refresh_token": third}),
        401,
        "identity.refresh_token_invalid",
    )

    # Another login is a separate family and unaffected.
    other = (await login(client, person.phone or ""))["refresh_token"]
    assert (await client.post("/v1/auth/refresh", json={"refresh_token": other})).status_code == 200


async def test_logout_revokes_the_refresh_token(client: httpx.AsyncClient) -> None:
    person = await register_person(client)
    resp = await client.post("/v1/auth/logout", json={"refresh_token": person.refresh_token})
    assert resp.status_code == 204
    again = await client.post("/v1/auth/refresh", json={"refresh_token": person.refresh_token})
    problem(again, 401, "identity.refresh_token_invalid")
    assert (await client.post("/v1/auth/logout", json={"refresh_token": "unknown"})).status_code == 204


async def test_expired_refresh_token(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(refresh_token_ttl_seconds=60)
    async with running_app(create_app(settings)) as client:
        person = await register_person(client)
        # Age the token in the database rather than waiting a minute.
        db = Database(settings.resolved_database_url())
        async with db.transaction() as session:
            await session.execute(update(RefreshToken).values(expires_at=RefreshToken.issued_at))
        await db.dispose()
        resp = await client.post("/v1/auth/refresh", json={"refresh_token": person.refresh_token})
        problem(resp, 401, "identity.refresh_token_expired")


def _from(address: str) -> dict[str, str]:
    """The header the gateway sets: the client's address as it saw it."""
    return {"X-Forwarded-For": address}


async def test_throttle_sequence_for_one_client(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(lockout_base_delay_seconds=0.3)
    async with running_app(create_app(settings)) as client:
        person = await register_person(client)
        username = person.phone

        async def attempt(password: str = "wrong-pass-1") -> httpx.Response:
            return await client.post("/v1/auth/login", json={"username": username, "password": password})

        for _ in range(3):
            problem(await attempt(), 401, "identity.invalid_credentials")
        # After 3 failures in a row this client must wait: even with the right password.
        throttled = problem(await attempt(PASSWORD), 429, "identity.login_throttled")
        assert int((await attempt()).headers["retry-after"]) >= 1
        assert throttled["retry_after_seconds"] >= 1
        await asyncio.sleep(0.35)
        problem(await attempt(), 401, "identity.invalid_credentials")  # 4th failure
        # The wait doubles: 0.6 s now.
        await asyncio.sleep(0.35)
        problem(await attempt(), 429, "identity.login_throttled")
        await asyncio.sleep(0.3)
        problem(await attempt(), 401, "identity.invalid_credentials")  # 5th failure: no lock, a longer wait
        problem(await attempt(PASSWORD), 429, "identity.login_throttled")
        await asyncio.sleep(1.25)
        await login(client, username or "")  # once the wait is over the right password works


async def test_wrong_passwords_never_lock_the_owner_out(make_settings: Callable[..., Settings]) -> None:
    """Five wrong passwords from anyone used to lock the account for 900 s
    (423 even for its owner). Now only the guessing client waits; the owner elsewhere logs in."""
    async with running_app(create_app(make_settings())) as client:
        person = await register_person(client)
        guess = {"username": person.phone, "password": "wrong-pass-1"}
        statuses = [
            (await client.post("/v1/auth/login", json=guess, headers=_from("203.0.113.7"))).status_code
            for _ in range(8)
        ]
        assert statuses[:3] == [401, 401, 401] and set(statuses[3:]) == {429}, statuses
        owner = await client.post(
            "/v1/auth/login",
            json={"username": person.phone, "password": PASSWORD},
            headers=_from("198.51.100.2"),
        )
        assert owner.status_code == 200, owner.text
        # The guesser is still held up, even if it now has the password.
        again = await client.post(
            "/v1/auth/login",
            json={"username": person.phone, "password": PASSWORD},
            headers=_from("203.0.113.7"),
        )
        problem(again, 429, "identity.login_throttled")


async def test_unknown_names_are_answered_exactly_like_known_ones(
    make_settings: Callable[..., Settings],
) -> None:
    """Unknown names used to get 401 while known ones got 429 and 423, which told
    which accounts exist. Now both go through the same counts, answers and Retry-After, and both
    cost one password hash."""
    settings = make_settings(lockout_base_delay_seconds=60)
    app = create_app(settings)
    async with running_app(app) as client:
        person = await register_person(client)
        await make_admin(client, settings, username="admin")
        hashed: list[str] = []
        passwords = app.state.passwords
        real_verify = passwords._verify

        def counting_verify(stored_hash: str, password: str) -> object:
            hashed.append(password)
            return real_verify(stored_hash, password)

        passwords._verify = counting_verify

        async def sequence(username: str) -> tuple[list[tuple[int, str, str, str | None]], int]:
            out, before = [], len(hashed)
            for _ in range(6):
                resp = await client.post(
                    "/v1/auth/login", json={"username": username, "password": "wrong-pass-1"}
                )
                body = resp.json()
                out.append((resp.status_code, body["code"], body["detail"], resp.headers.get("retry-after")))
            return out, len(hashed) - before

        known, known_hashes = await sequence(person.phone or "")
        assert [s for s, *_ in known] == [401, 401, 401, 429, 429, 429]
        assert known_hashes == 3  # three passwords checked, then refused before hashing
        for other in ("13000000001", "admin", "ghost-admin"):  # unknown mobile, real admin, unknown name
            assert await sequence(other) == (known, known_hashes), other


async def test_many_clients_step_up_yet_a_client_without_failures_logs_in(
    make_settings: Callable[..., Settings],
) -> None:
    """Failures from many clients used to lock the account for everyone. Now
    they step up: each failing client waits from its first failure, all failing clients share one
    growing wait, and a client that has not failed still logs in with the right password."""
    settings = make_settings(lockout_delay_after=3, login_step_up_after=4, lockout_base_delay_seconds=30)
    async with running_app(create_app(settings)) as client:
        person = await register_person(client)
        guess = {"username": person.phone, "password": "wrong-pass-1"}
        for i in range(4):  # one guess each from four addresses: each alone is below its threshold
            problem(await client.post("/v1/auth/login", json=guess, headers=_from(f"203.0.113.{i}")), 401)
        # Under attack: a client that failed once waits now (below the attack it had three tries).
        waited = await client.post("/v1/auth/login", json=guess, headers=_from("203.0.113.0"))
        assert int(problem(waited, 429, "identity.login_throttled")["retry_after_seconds"]) >= 1
        # A new client's first guess is still checked (and counts) ...
        problem(await client.post("/v1/auth/login", json=guess, headers=_from("203.0.113.9")), 401)
        # ... and the owner on a client of their own logs in with the right password.
        owner = await client.post(
            "/v1/auth/login",
            json={"username": person.phone, "password": PASSWORD},
            headers=_from("198.51.100.2"),
        )
        assert owner.status_code == 200, owner.text


async def test_a_forged_forwarded_for_is_not_a_new_client(make_settings: Callable[..., Settings]) -> None:
    """Behind a trusted ingress the gateway forwards `<what the client sent>, <client>, <ingress>`:
    the client is the entry before the last, so varying the forged left part changes nothing."""
    async with running_app(create_app(make_settings(lockout_base_delay_seconds=30))) as client:
        person = await register_person(client)
        guess = {"username": person.phone, "password": "wrong-pass-1"}
        statuses = [
            (
                await client.post(
                    "/v1/auth/login", json=guess, headers=_from(f"10.9.9.{i}, 203.0.113.5, 10.0.0.1")
                )
            ).status_code
            for i in range(5)
        ]
        assert statuses == [401, 401, 401, 429, 429]
        # Spelling the name differently does not start a new count either.
        spelled = await client.post(
            "/v1/auth/login",
            json={"username": "+86 " + (person.phone or ""), "password": "wrong-pass-1"},
            headers=_from("10.9.9.9, 203.0.113.5, 10.0.0.1"),
        )
        problem(spelled, 429, "identity.login_throttled")


async def test_success_resets_the_failure_count(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(lockout_base_delay_seconds=0.2)
    async with running_app(create_app(settings)) as client:
        person = await register_person(client)
        for _ in range(3):
            await client.post("/v1/auth/login", json={"username": person.phone, "password": "wrong-pass-1"})
        await asyncio.sleep(0.25)
        await login(client, person.phone or "")
        for _ in range(3):  # three more failures are plain 401s again, no wait
            problem(
                await client.post(
                    "/v1/auth/login", json={"username": person.phone, "password": "wrong-pass-1"}
                ),
                401,
            )


async def test_expired_and_foreign_tokens_are_refused(client: httpx.AsyncClient, signing_pem: str) -> None:
    person = await register_person(client)
    kid = jwt.get_unverified_header(person.access_token)["kid"]
    c = claims(person.access_token)
    now = int(time.time())
    expired = jwt.encode(
        {**c, "iat": now - 3600, "nbf": now - 3600, "exp": now - 60},
        signing_pem,
        algorithm="RS256",
        headers={"kid": kid},
    )
    resp = await client.get("/v1/me", headers={"Authorization": f"Bearer {expired}"})
    problem(resp, 401, "auth.token_expired")

    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(c, stranger, algorithm="RS256", headers={"kid": kid})
    problem(
        await client.get("/v1/me", headers={"Authorization": f"Bearer {forged}"}), 401, "auth.token_invalid"
    )
    problem(await client.get("/v1/me"), 401, "auth.required")


async def test_short_ttl_token_expires(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(access_token_ttl_seconds=1)
    async with running_app(create_app(settings)) as client:
        person = await register_person(client)
        c = claims(person.access_token)
        assert c["exp"] - c["iat"] == 1
        assert (await client.get("/v1/me", headers=person.headers)).status_code == 200
        # The verifier allows 5 s of clock skew, so wait past it.
        await asyncio.sleep(6.2)
        problem(await client.get("/v1/me", headers=person.headers), 401, "auth.token_expired")


async def test_change_password_ends_sessions(client: httpx.AsyncClient) -> None:
    person = await register_person(client)
    resp = await client.post(
        "/v1/me/password",
        headers=person.headers,
        json={"current_password": PASSWORD, "new_password": "N3w-password"},
    )
    assert resp.status_code == 204, resp.text
    problem(
        await client.post("/v1/auth/refresh", json={"refresh_token": person.refresh_token}),
        401,
        "identity.refresh_token_invalid",
    )
    await login(client, person.phone or "", "N3w-password")
    wrong = await client.post(
        "/v1/me/password",
        headers=person.headers,
        json={"current_password": "not-it-123", "new_password": "N3w-password2"},
    )
    problem(wrong, 403, "identity.password_wrong")


async def test_parallel_guesses_cannot_bypass_the_throttle(client: httpx.AsyncClient) -> None:
    person = await register_person(client)
    bad = {"username": person.phone, "password": "wrong-pass-1"}
    responses = await asyncio.gather(*(client.post("/v1/auth/login", json=bad) for _ in range(12)))
    statuses = sorted(r.status_code for r in responses)
    # Attempts are counted one after the other: three plain failures, then waits.
    assert statuses.count(401) == 3, statuses
    assert set(statuses) <= {401, 429}
