"""Staff use a licence for a case only with the holder's application, confirmed by the real
intake-svc; intake not answering or not knowing the application leaves nothing recorded."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from licence_support import MZJ, citizen, deliver, issued, staff
from sqlalchemy import func, select

from licence.clients.intake import Application
from licence.models import Licence, LicenceUse
from licence.services.uses import use_for
from yiwang_shared.auth import Principal
from yiwang_shared.orm import utcnow
from yiwang_shared.testing.tokens import TestTokens


async def _uses(app: FastAPI) -> int:
    async with app.state.db.transaction(write=False) as s:
        return int((await s.execute(select(func.count()).select_from(LicenceUse))).scalar_one())


async def test_an_application_intake_does_not_show_the_staff_member_authorises_nothing(
    linked: tuple[FastAPI, httpx.AsyncClient], tokens: TestTokens
) -> None:
    app, client = linked
    await issued(app, "citizen-1")
    licence = (await client.get("/v1/licences", headers=citizen(tokens, "citizen-1"))).json()["items"][0]
    resp = await client.post(
        f"/v1/licences/{licence['id']}/uses",
        json={"application_id": "no-such-application", "purpose": "核验"},
        headers=staff(tokens, MZJ, "approver"),
    )
    assert resp.status_code == 404 and resp.json()["code"] == "licence.application_not_found", resp.text
    assert "办件" in resp.json()["detail"]
    assert await _uses(app) == 0


async def test_intake_down_is_a_clear_503_and_nothing_recorded(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    await issued(app, "citizen-1")
    licence = (await client.get("/v1/licences", headers=citizen(tokens, "citizen-1"))).json()["items"][0]
    resp = await client.post(
        f"/v1/licences/{licence['id']}/uses",
        json={"application_id": "a-1"},
        headers=staff(tokens, MZJ, "approver"),
    )
    assert resp.status_code == 503 and resp.json()["code"] == "licence.upstream_unavailable"
    assert "intake-svc" in resp.json()["detail"]
    assert await _uses(app) == 0


async def test_only_staff_use_licences(app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens) -> None:
    await issued(app, "citizen-1")
    licence = (await client.get("/v1/licences", headers=citizen(tokens, "citizen-1"))).json()["items"][0]
    path = f"/v1/licences/{licence['id']}/uses"
    resp = await client.post(path, json={"application_id": "a-1"}, headers=citizen(tokens, "citizen-1"))
    assert resp.status_code == 403 and resp.json()["code"] == "licence.staff_only"
    empty = await client.post(path, json={"application_id": " "}, headers=staff(tokens, MZJ, "approver"))
    assert empty.status_code == 422
    assert (await client.get(path, headers=citizen(tokens, "citizen-1"))).json()["total"] == 0


async def test_fetching_for_a_case_needs_staff_a_known_type_and_intake(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    body = {"application_id": "a-1", "type_code": "JMSFZ", "purpose": "申请材料：居民身份证"}
    citizen_try = await client.post("/v1/case-fetches", json=body, headers=citizen(tokens, "citizen-1"))
    assert citizen_try.status_code == 403 and citizen_try.json()["code"] == "licence.staff_only"
    unknown = await client.post(
        "/v1/case-fetches", json={**body, "type_code": "NOPE"}, headers=staff(tokens, MZJ, "approver")
    )
    assert unknown.status_code == 404 and unknown.json()["code"] == "licence.type_not_found"
    down = await client.post("/v1/case-fetches", json=body, headers=staff(tokens, MZJ, "approver"))
    assert down.status_code == 503 and down.json()["code"] == "licence.upstream_unavailable"
    assert await _uses(app) == 0


async def test_the_holder_reads_the_name_of_the_unit_that_used_their_licence(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    done = await issued(app, "citizen-1")
    unit = {
        "org_unit_id": "u-mzj",
        "change": "created",
        "changed_fields": [],
        "code": MZJ,
        "name": "朝阳区民政局",
        "kind": "department",
        "level": 2,
        "parent_id": None,
        "uscc": None,
        "changed_at": "2026-12-01T00:00:00+00:00",
    }
    assert await deliver(app, "identity.org_unit.changed.v1", unit) == "handled"
    mine = citizen(tokens, "citizen-1")
    licence = (await client.get("/v1/licences", headers=mine)).json()["items"][0]
    shown = Application(
        id=done["application_id"],
        application_no=done["application_no"],
        item_name="城乡最低生活保障对象认定",
        applicant_id="citizen-1",
        enterprise_id=None,
    )
    approver = Principal(subject="approver-1", kind="staff", roles=frozenset({"approver"}), org_unit_code=MZJ)
    async with app.state.db.transaction() as s:
        row = await s.get(Licence, licence["id"])
        assert row is not None
        await use_for(s, row, shown, approver, purpose="核验", now=utcnow())
    [use] = (await client.get(f"/v1/licences/{licence['id']}/uses", headers=mine)).json()["items"]
    assert (use["staff_unit_code"], use["staff_unit_name"]) == (MZJ, "朝阳区民政局")
