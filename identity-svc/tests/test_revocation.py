"""Revocation: a logout, a password change or a disabled staff account stops
the access tokens of that session or account within seconds, not when they expire."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
from support import PASSWORD, Actor, claims, create_staff, login, make_admin, problem, register_person

from identity.config import Settings
from identity.main import create_app
from yiwang_shared.revocation import revocation_digest
from yiwang_shared.testing.app import running_app

#: Long enough for a few refreshes of the list at the test's 0.2 s.
WITHIN = 3.0


async def _refused_soon(client: httpx.AsyncClient, token: str) -> None:
    """The token is answered 401 auth.token_revoked within WITHIN seconds."""
    deadline = asyncio.get_running_loop().time() + WITHIN
    while True:
        resp = await client.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
        if resp.status_code == 401 or asyncio.get_running_loop().time() > deadline:
            break
        await asyncio.sleep(0.1)
    body = problem(resp, 401, "auth.token_revoked")
    assert "重新登录" in body["detail"]


async def _works(client: httpx.AsyncClient, token: str) -> None:
    resp = await client.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200, resp.text


async def test_logout_stops_that_sessions_access_token_and_no_other(
    make_settings: Callable[..., Settings],
) -> None:
    async with running_app(create_app(make_settings(revocation_refresh_seconds=0.2))) as client:
        person = await register_person(client)
        other = await login(client, person.phone or "")
        assert claims(person.access_token)["sid"] != claims(other["access_token"])["sid"]
        await _works(client, person.access_token)
        resp = await client.post("/v1/auth/logout", json={"refresh_token": person.refresh_token})
        assert resp.status_code == 204
        await _refused_soon(client, person.access_token)
        await _works(client, other["access_token"])  # the person's other session goes on

        # The list names nobody: digests only, and the ended session's is there.
        listed = (await client.get("/v1/auth/revocations")).json()
        assert revocation_digest("session", claims(person.access_token)["sid"]) in listed["sessions"]
        assert person.id not in str(listed) and claims(person.access_token)["sid"] not in str(listed)


async def test_disabling_a_staff_account_stops_its_tokens(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(revocation_refresh_seconds=0.2)
    async with running_app(create_app(settings)) as client:
        admin = await make_admin(client, settings)
        clerk = await create_staff(client, admin, "clerk-revoked", ["window_clerk"])
        await _works(client, clerk.access_token)
        resp = await client.patch(f"/v1/staff/{clerk.id}", headers=admin.headers, json={"status": "disabled"})
        assert resp.status_code == 200, resp.text
        await _refused_soon(client, clerk.access_token)
        listed = (await client.get("/v1/auth/revocations")).json()
        assert revocation_digest("account", clerk.id) in listed["accounts"]
        await _works(client, admin.access_token)


async def test_a_password_change_ends_every_session_of_the_account(
    make_settings: Callable[..., Settings],
) -> None:
    async with running_app(create_app(make_settings(revocation_refresh_seconds=0.2))) as client:
        person = await register_person(client)
        stolen: Actor = Actor(
            id=person.id, access_token=(await login(client, person.phone or ""))["access_token"]
        )
        resp = await client.post(
            "/v1/me/password",
            headers=person.headers,
            json={"current_password": PASSWORD, "new_password": PASSWORD + "-new"},
        )
        assert resp.status_code == 204, resp.text
        await _refused_soon(client, stolen.access_token)
        await _refused_soon(client, person.access_token)
        fresh = await login(client, person.phone or "", PASSWORD + "-new")
        await _works(client, fresh["access_token"])
