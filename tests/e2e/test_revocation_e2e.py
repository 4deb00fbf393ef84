"""Revocation end to end (issue 15, point 9): after a logout, and after an administrator disables
a staff account, the access token is refused within seconds at the gateway and at every service
reached directly — not only when it expires."""

from __future__ import annotations

import asyncio
import uuid

import httpx
from devstack import Platform
from helpers import PASSWORD, bearer, login

DEMO_PASSWORD = "Demo#2026"
#: The platform's services poll identity's list every 2 s (the default): a few polls' grace.
WITHIN_SECONDS = 8.0


async def _catalog_item(gw: httpx.AsyncClient) -> str:
    resp = await gw.get("/api/catalog/v1/items", params={"size": 1})
    assert resp.status_code == 200, resp.text
    return str(resp.json()["items"][0]["code"])


def _reads(item_code: str) -> dict[str, str]:
    """A read each service checks the caller's token on, by service."""
    return {
        "identity": "/v1/me",
        "catalog": f"/v1/items/{item_code}",
        "intake": "/v1/applications",
        "hotline": "/v1/tickets",
        "evaluation": "/v1/bad-reviews",
    }


async def _statuses(
    platform: Platform, gw: httpx.AsyncClient, token: str, reads: dict[str, str]
) -> dict[str, int]:
    """The status of each read, at the service directly and through the gateway."""
    out: dict[str, int] = {}
    async with httpx.AsyncClient(timeout=10) as direct:
        for service, path in reads.items():
            resp = await direct.get(platform.service_url(service) + path, headers=bearer(token))
            out[service] = resp.status_code
            if resp.status_code == 401:
                assert resp.json()["code"] == "auth.token_revoked", resp.text
            resp = await gw.get(f"/api/{service}{path}", headers=bearer(token))
            out["gateway→" + service] = resp.status_code
            if resp.status_code == 401:
                assert resp.json()["code"] == "auth.token_revoked", resp.text
    return out


async def _all_refused_soon(
    platform: Platform, gw: httpx.AsyncClient, token: str, reads: dict[str, str]
) -> float:
    """Seconds until every read answers 401 auth.token_revoked (fails after WITHIN_SECONDS)."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    while True:
        statuses = await _statuses(platform, gw, token, reads)
        if all(s == 401 for s in statuses.values()):
            return loop.time() - start
        assert loop.time() - start < WITHIN_SECONDS, f"still accepted after logout/disable: {statuses}"
        await asyncio.sleep(0.25)


async def test_logout_and_disabling_stop_the_token_everywhere_within_seconds(
    platform: Platform, gw: httpx.AsyncClient
) -> None:
    admin = bearer((await login(gw, "admin", DEMO_PASSWORD))["access_token"])
    district = (await gw.get("/api/identity/v1/org-units/110105", headers=admin)).json()["id"]
    username = "revoke-" + uuid.uuid4().hex[:8]
    created = await gw.post(
        "/api/identity/v1/staff",
        headers=admin,
        json={
            "username": username,
            "name": "测试督查",
            "org_unit_id": district,
            "roles": ["supervisor"],
            "password": PASSWORD,
        },
    )
    assert created.status_code == 201, created.text
    reads = _reads(await _catalog_item(gw))

    first, second = await login(gw, username), await login(gw, username)
    for tokens in (first, second):
        statuses = await _statuses(platform, gw, tokens["access_token"], reads)
        assert set(statuses.values()) == {200}, statuses

    # Logout ends that session everywhere; the other session goes on.
    resp = await gw.post("/api/identity/v1/auth/logout", json={"refresh_token": first["refresh_token"]})
    assert resp.status_code == 204
    await _all_refused_soon(platform, gw, first["access_token"], reads)
    statuses = await _statuses(platform, gw, second["access_token"], reads)
    assert set(statuses.values()) == {200}, statuses

    # Disabling the account ends the rest.
    resp = await gw.patch(
        f"/api/identity/v1/staff/{created.json()['id']}", headers=admin, json={"status": "disabled"}
    )
    assert resp.status_code == 200, resp.text
    await _all_refused_soon(platform, gw, second["access_token"], reads)
