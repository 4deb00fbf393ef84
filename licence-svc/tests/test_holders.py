"""Holders see their own licences only: a citizen by account (and, through identity-svc, by the
resident ID on the licences issued before); an agent the enterprise's; staff none this way."""

from __future__ import annotations

import random

import httpx
from fastapi import FastAPI
from licence_support import bound, citizen, issued, staff

from licence.services.licences import Issue, issue
from licence.services.types import get_type
from yiwang_shared.orm import utcnow
from yiwang_shared.testing.tokens import TestTokens
from yiwang_shared.validators import resident_id_check_char


async def test_a_citizen_sees_only_their_own(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    await issued(app, "citizen-1")
    licence_id = (await client.get("/v1/licences", headers=citizen(tokens, "citizen-1"))).json()["items"][0][
        "id"
    ]
    await bound(app, "citizen-2")
    other = citizen(tokens, "citizen-2")
    assert (await client.get("/v1/licences", headers=other)).json()["total"] == 0
    for path in ("", "/rendering", "/trail", "/uses", "/shares"):
        resp = await client.get(f"/v1/licences/{licence_id}{path}", headers=other)
        assert resp.status_code == 404 and resp.json()["code"] == "licence.licence_not_found", path
        assert "无权查看" in resp.json()["detail"]
    mine = citizen(tokens, "citizen-1")
    trail = (await client.get(f"/v1/licences/{licence_id}/trail", headers=mine)).json()
    assert [t["action"] for t in trail["items"]] == ["issue"] and trail["total"] == 1
    assert (
        await client.get("/v1/licences", headers=staff(tokens, "110105-MZJ", "approver"))
    ).status_code == 403
    assert (await client.get("/v1/licences")).status_code == 401
    bad = await client.get("/v1/licences", params={"status": "lost"}, headers=mine)
    assert bad.status_code == 422


async def _enterprise_licence(app: FastAPI, *, uscc: str | None, account: str | None) -> str:
    async with app.state.db.transaction() as s:
        licence = await issue(
            s,
            Issue(
                licence_type=await get_type(s, "YYZZ"),
                holder_kind="enterprise",
                holder_name="北京朝阳示例科技有限公司",
                holder_identifier=uscc,
                holder_account_id=account,
                issuing_unit_code="110105-SCJGJ",
                issuing_unit_name="区市场监管局",
                valid_from=utcnow().date(),
            ),
            keys=app.state.keys,
            now=utcnow(),
        )
        return licence.id


async def test_an_agent_sees_the_enterprises_licences(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    by_uscc = await _enterprise_licence(app, uscc="91110105MA01C7Q8X1", account=None)
    by_id = await _enterprise_licence(app, uscc=None, account="ent-1")
    act = {"entity_id": "ent-1", "uscc": "91110105MA01C7Q8X1", "grant_id": "g-1", "scope": ["*"]}
    agent = citizen(tokens, "agent-1", act=act)
    await bound(app, "agent-1")
    listed = (await client.get("/v1/licences", headers=agent)).json()
    assert {item["id"] for item in listed["items"]} == {by_uscc, by_id}
    # The same person, not acting for it, holds none of them.
    assert (await client.get(f"/v1/licences/{by_id}", headers=citizen(tokens, "agent-1"))).status_code == 404


def _resident_id(rng: random.Random) -> str:
    birth = f"{rng.randrange(1950, 2000)}0{rng.randrange(1, 10)}1{rng.randrange(0, 10)}"
    body = f"110105{birth}{rng.randrange(100, 999)}"
    return body + resident_id_check_char(body)


async def test_licences_issued_to_a_resident_id_are_found_through_identity(
    linked: tuple[FastAPI, httpx.AsyncClient], tokens: TestTokens, identity_url: str
) -> None:
    app, client = linked
    rid = _resident_id(random.Random())
    phone = "139" + f"{random.randrange(10**8):08d}"
    async with httpx.AsyncClient(base_url=identity_url) as identity:
        created = await identity.post(
            "/v1/persons",
            json={"name": "张伟", "phone": phone, "password": "Passw0rd!2026", "resident_id": rid},
        )
    assert created.status_code == 201, created.text
    person_id = created.json()["id"]
    async with app.state.db.transaction() as s:
        licence = await issue(
            s,
            Issue(
                licence_type=await get_type(s, "JMSFZ"),
                holder_kind="person",
                holder_name="张伟",
                holder_identifier=rid,
                holder_account_id=None,
                issuing_unit_code="110105-GAFJ",
                issuing_unit_name="北京市公安局朝阳分局",
                valid_from=utcnow().date(),
                number=rid,
                data={"姓名": "张伟", "公民身份号码": rid},
            ),
            keys=app.state.keys,
            now=utcnow(),
        )
    mine = (await client.get("/v1/licences", headers=citizen(tokens, person_id))).json()
    assert [item["id"] for item in mine["items"]] == [licence.id]
    assert mine["items"][0]["holder_identifier"] == rid
    # Bound now: found by account too, without asking identity again.
    async with app.state.db.transaction(write=False) as s:
        assert (await s.get(type(licence), licence.id)).holder_account_id == person_id  # type: ignore[union-attr]


async def test_identity_down_is_a_clear_503(client: httpx.AsyncClient, tokens: TestTokens) -> None:
    resp = await client.get("/v1/licences", headers=citizen(tokens, "never-seen"))
    assert resp.status_code == 503 and resp.json()["code"] == "licence.upstream_unavailable"
    assert "identity-svc" in resp.json()["detail"] and resp.headers["retry-after"] == "5"
