"""Delegated applications against a real identity-svc (its own process and database): an
enterprise's agent needs a valid grant for the item at submission; identity being down is a
clear 503 with nothing written."""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from intake_support import Env, elements
from sqlalchemy import func, select

from intake.models.applications import Application
from yiwang_shared.auth import JwksKeySource, TokenVerifier
from yiwang_shared.testing.databases import sqlite_url
from yiwang_shared.testing.nats import NatsServer
from yiwang_shared.testing.process import running_service
from yiwang_shared.validators import resident_id_check_char, uscc_check_char

_seq = itertools.count(random.randint(100, 800))
PASSWORD = "Secret#2026x"
REVIEWER = "root"


def _resident_id() -> str:
    body = f"110105199{random.randint(0, 9)}0{random.randint(1, 9)}1{random.randint(0, 9)}{next(_seq):03d}"
    return body + resident_id_check_char(body)


def _uscc() -> str:
    body = f"91110105MA{random.randint(10**6, 10**7 - 1)}"
    return body + uscc_check_char(body)


@pytest.fixture
async def identity(nats_server: NatsServer, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """A real identity-svc (`python -m identity`) on its own SQLite database."""
    settings = {
        "database_url": sqlite_url(tmp_path, "identity"),
        "nats_url": nats_server.url,
        "argon2_time_cost": "1",
        "argon2_memory_cost_kib": "8",
        "argon2_parallelism": "1",
    }
    async with (
        running_service("identity", settings) as base,
        httpx.AsyncClient(base_url=base, timeout=10) as client,
    ):
        # An administrator verifies enterprise claims, as a window clerk does after seeing the
        # business licence and the representative's ID.
        # Through identity's own command line: services never import each other.
        env = {**os.environ, "IDENTITY_BOOTSTRAP_PASSWORD": PASSWORD}
        env.update({"IDENTITY_" + key.upper(): value for key, value in settings.items()})
        bootstrap = "identity.services.bootstrap"
        command = [sys.executable, "-m", bootstrap, "--username", REVIEWER, "--name", "管理员"]
        done = subprocess.run(
            [*command, "--unit-code", "110105", "--unit-name", "北京市朝阳区"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        yield client


async def _verified_enterprise(identity: httpx.AsyncClient, rep: dict[str, str]) -> str:
    """An enterprise claimed by `rep` and verified at the window; its id."""
    ent = await identity.post("/v1/enterprises", headers=rep, json={"name": "示例公司", "uscc": _uscc()})
    assert ent.status_code == 201, ent.text
    login = await identity.post("/v1/auth/login", json={"username": REVIEWER, "password": PASSWORD})
    assert login.status_code == 200, login.text
    verified = await identity.post(
        f"/v1/enterprises/{ent.json()['id']}/verify",
        headers={"Authorization": "Bearer " + login.json()["access_token"]},
        json={"business_licence_checked": True, "representative_id_checked": True},
    )
    assert verified.status_code == 200, verified.text
    return str(ent.json()["id"])


async def _person(identity: httpx.AsyncClient, name: str) -> tuple[str, dict[str, str]]:
    phone = f"137{random.randint(10**7, 10**8 - 1)}"
    resp = await identity.post(
        "/v1/persons",
        json={"name": name, "phone": phone, "password": PASSWORD, "resident_id": _resident_id()},
    )
    assert resp.status_code == 201, resp.text
    login = await identity.post("/v1/auth/login", json={"username": phone, "password": PASSWORD})
    assert login.status_code == 200, login.text
    return resp.json()["id"], {"Authorization": "Bearer " + login.json()["access_token"]}


def _wire(env: Env, identity: httpx.AsyncClient) -> None:
    """intake trusts identity's tokens (its JWKS) and asks it for grants."""
    env.app.state.token_verifier = TokenVerifier(
        JwksKeySource(str(identity.base_url).rstrip("/") + "/v1/auth/jwks", client=identity),
        issuer="yiwang-identity",
        audience="yiwang",
    )
    env.app.state.settings.identity_url = str(identity.base_url).rstrip("/")


async def _count(env: Env) -> int:
    async with env.db.transaction(write=False) as session:
        return int(await session.scalar(select(func.count()).select_from(Application)) or 0)


def _body(enterprise_id: str, item_code: str = "SCJ-0001") -> dict[str, Any]:
    return {
        "item_code": item_code,
        "enterprise_id": enterprise_id,
        "materials": [{"name": "申请书", "media": ["original"], "originals": 1}],
    }


async def test_agent_needs_a_valid_grant_for_the_item(env: Env, identity: httpx.AsyncClient) -> None:
    _wire(env, identity)
    await env.publish_item("SCJ-0002", elements("食品生产许可"))
    rep_id, rep = await _person(identity, "张伟")
    agent_id, agent = await _person(identity, "李娜")
    _, stranger = await _person(identity, "王芳")
    ent_id = await _verified_enterprise(identity, rep)
    grant = await identity.post(
        f"/v1/enterprises/{ent_id}/grants",
        headers=rep,
        json={
            "grantee_id": agent_id,
            "scope": ["SCJ-0001"],
            "valid_until": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
        },
    )
    assert grant.status_code == 201, grant.text

    # Pending (not yet confirmed by the agent): refused, saying what to do, in the agent's language.
    resp = await env.client.post("/v1/applications", json=_body(ent_id), headers=agent)
    assert resp.status_code == 403 and resp.json()["code"] == "intake.grant_missing"
    assert resp.json()["reason"] == "grant_pending" and "授权尚待经办人确认" in resp.json()["detail"]
    # Read at a window too: no raw ids, no "您" (the clerk is not the agent).
    detail = resp.json()["detail"]
    assert agent_id not in detail and ent_id not in detail and "您" not in detail, detail
    english = await env.client.post(
        "/v1/applications", json=_body(ent_id), headers={**agent, "Accept-Language": "en"}
    )
    assert english.status_code == 403 and "grant_pending" in english.json()["detail"]
    assert (await identity.post(f"/v1/grants/{grant.json()['id']}/confirm", headers=agent)).status_code == 200

    resp = await env.client.post("/v1/applications", json=_body(ent_id), headers=agent)
    assert resp.status_code == 201, resp.text
    application = resp.json()
    assert application["enterprise_id"] == ent_id and application["applicant_id"] == agent_id
    assert application["submitted_by"] == agent_id and application["applicant_name"] == "李娜"
    assert (
        application["representation"] == "delegated"
    )  # filed for the enterprise by its agent, under a grant
    # Outside the grant's scope, or without any grant: refused, nothing written.
    before = await _count(env)
    for headers, body in ((agent, _body(ent_id, "SCJ-0002")), (stranger, _body(ent_id))):
        resp = await env.client.post("/v1/applications", json=body, headers=headers)
        assert resp.status_code == 403 and resp.json()["code"] == "intake.grant_missing", resp.text
    assert await _count(env) == before
    # The legal representative acting for the enterprise sees its application.
    acted = await identity.post("/v1/auth/act-for", headers=rep, json={"enterprise_id": ent_id})
    assert acted.status_code == 200, acted.text
    rep_for_ent = {"Authorization": "Bearer " + acted.json()["access_token"]}
    listed = await env.client.get("/v1/applications", headers=rep_for_ent)
    assert [a["id"] for a in listed.json()["items"]] == [application["id"]]
    assert rep_id != agent_id


async def test_identity_down_is_a_clear_503(env: Env, identity: httpx.AsyncClient) -> None:
    _wire(env, identity)
    _, agent = await _person(identity, "李娜")
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env.app.state.settings.identity_url = f"http://127.0.0.1:{port}"
    resp = await env.client.post("/v1/applications", json=_body("ent-x"), headers=agent)
    assert resp.status_code == 503 and resp.json()["code"] == "intake.identity_unavailable"
    assert await _count(env) == 0


async def test_a_revoked_agent_loses_the_enterprises_cases_at_once(
    env: Env, identity: httpx.AsyncClient
) -> None:
    """Issue 15, point 5: intake checked the grant at submission only, so a revoked agent's act-for
    token still read the enterprise's applications and could withdraw one until it expired."""
    _wire(env, identity)
    _, rep = await _person(identity, "张伟")
    agent_id, agent = await _person(identity, "李娜")
    ent_id = await _verified_enterprise(identity, rep)
    grant = await identity.post(
        f"/v1/enterprises/{ent_id}/grants",
        headers=rep,
        json={
            "grantee_id": agent_id,
            "scope": ["*"],
            "valid_until": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
        },
    )
    assert grant.status_code == 201, grant.text
    assert (await identity.post(f"/v1/grants/{grant.json()['id']}/confirm", headers=agent)).status_code == 200
    acted = await identity.post("/v1/auth/act-for", headers=agent, json={"enterprise_id": ent_id})
    assert acted.status_code == 200, acted.text
    agent_for_ent = {"Authorization": "Bearer " + acted.json()["access_token"]}
    filed = await env.client.post("/v1/applications", json=_body(ent_id), headers=agent_for_ent)
    assert filed.status_code == 201, filed.text
    app_id = filed.json()["id"]
    assert (await env.client.get(f"/v1/applications/{app_id}", headers=agent_for_ent)).status_code == 200

    revoked = await identity.post(
        f"/v1/grants/{grant.json()['id']}/revoke", headers=rep, json={"reason": "离职"}
    )
    assert revoked.status_code == 200, revoked.text
    # identity.grant.revoked.v1 reaches intake within moments; the token is still unexpired.
    deadline = asyncio.get_running_loop().time() + 15
    while (await env.client.get(f"/v1/applications/{app_id}", headers=agent_for_ent)).status_code == 200:
        assert asyncio.get_running_loop().time() < deadline, "the revocation never reached intake"
        await asyncio.sleep(0.2)
    for headers in (agent_for_ent, agent):
        assert (await env.client.get(f"/v1/applications/{app_id}", headers=headers)).status_code == 404
        assert (await env.client.get("/v1/applications", headers=headers)).json()["total"] == 0
        withdraw = await env.client.post(
            f"/v1/applications/{app_id}/withdraw", json={"reason": "不办了"}, headers=headers
        )
        assert withdraw.status_code == 404, withdraw.text
    # The enterprise's own representative still sees it.
    rep_acted = await identity.post("/v1/auth/act-for", headers=rep, json={"enterprise_id": ent_id})
    rep_for_ent = {"Authorization": "Bearer " + rep_acted.json()["access_token"]}
    assert (await env.client.get(f"/v1/applications/{app_id}", headers=rep_for_ent)).status_code == 200
