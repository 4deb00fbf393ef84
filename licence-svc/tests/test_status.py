"""The issuing unit suspends, reinstates and revokes (with reasons the holder reads); nobody else
may; the expiry pass ends licences past their date, once; third parties see the effect."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import httpx
from fastapi import FastAPI
from jsonschema import Draft202012Validator
from licence_support import MZJ, citizen, issued, staff
from sqlalchemy import select, update

from licence.main import expiry_pass
from licence.models import Licence
from yiwang_shared.calendar import local_date
from yiwang_shared.orm import utcnow
from yiwang_shared.tables import outbox
from yiwang_shared.testing.tokens import TestTokens

SCHEMAS = Path(__file__).resolve().parents[1] / "events"


async def _licence(app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens) -> dict[str, object]:
    await issued(app, "citizen-1")
    return dict((await client.get("/v1/licences", headers=citizen(tokens, "citizen-1"))).json()["items"][0])


async def _verify(client: httpx.AsyncClient, licence: dict[str, object]) -> dict[str, object]:
    body = {"number": licence["number"], "type_code": licence["type_code"]}
    resp = await client.post("/v1/verifications", json=body)
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


async def test_suspend_reinstate_revoke_by_the_issuing_unit(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    licence = await _licence(app, client, tokens)
    path = f"/v1/licences/{licence['id']}"
    approver = staff(tokens, MZJ, "approver")
    assert (await _verify(client, licence))["valid"] is True
    no_reason = await client.post(f"{path}/suspend", json={}, headers=approver)
    assert no_reason.status_code == 422 and no_reason.json()["code"] == "licence.reason_required"
    assert "原因" in no_reason.json()["detail"]
    suspended = await client.post(f"{path}/suspend", json={"reason": "核查家庭收入"}, headers=approver)
    assert suspended.status_code == 200 and suspended.json()["status"] == "suspended"
    assert sorted(suspended.json()["allowed_actions"]) == ["expire", "reinstate", "revoke"]
    assert (await _verify(client, licence)) | {"checked_at": None} == {
        "valid": False,
        "status": "suspended",
        "type_name": "最低生活保障金领取证",
        "valid_until": licence["valid_until"],
        "checked_at": None,
    }
    back = await client.post(f"{path}/reinstate", json={}, headers=approver)
    assert back.json()["status"] == "valid" and back.json()["status_reason"] is None
    revoked = await client.post(f"{path}/revoke", json={"reason": "家庭收入超过标准"}, headers=approver)
    assert revoked.json()["status"] == "revoked" and revoked.json()["allowed_actions"] == []
    again = await client.post(f"{path}/revoke", json={"reason": "再次"}, headers=approver)
    assert again.status_code == 409 and again.json()["code"] == "licence.transition_refused"
    assert "已吊销" in again.json()["detail"]
    mine = (await client.get(path, headers=citizen(tokens, "citizen-1"))).json()
    assert mine["status"] == "revoked" and mine["status_reason"] == "家庭收入超过标准"
    trail = (await client.get(f"{path}/trail", headers=citizen(tokens, "citizen-1"))).json()
    assert [(t["action"], t["actor_id"]) for t in trail["items"]] == [
        ("issue", None),
        ("suspend", f"staff-{MZJ}"),
        ("reinstate", f"staff-{MZJ}"),
        ("revoke", f"staff-{MZJ}"),
    ]
    assert (await _verify(client, licence))["valid"] is False
    issued_list = (await client.get("/v1/issued-licences", headers=approver)).json()
    assert [i["id"] for i in issued_list["items"]] == [licence["id"]]


async def test_nobody_else_changes_a_licence(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    licence = await _licence(app, client, tokens)
    path = f"/v1/licences/{licence['id']}/revoke"
    body = {"reason": "x"}
    for headers, code in (
        (staff(tokens, "110105-RSJ", "approver"), "licence.not_issuing_unit"),
        (staff(tokens, MZJ, "window_clerk"), "licence.not_issuing_unit"),
        (staff(tokens, MZJ, "admin"), "licence.not_issuing_unit"),
        (citizen(tokens, "citizen-1"), "licence.not_issuing_unit"),
    ):
        resp = await client.post(path, json=body, headers=headers)
        assert resp.status_code == 403 and resp.json()["code"] == code, resp.text
    # A part of the issuing unit acts for it.
    part = await client.post(path, json=body, headers=staff(tokens, f"{MZJ}-JZK", "handler"))
    assert part.status_code == 200
    missing = await client.post("/v1/licences/nope/revoke", json=body, headers=staff(tokens, MZJ, "approver"))
    assert missing.status_code == 404


async def test_expiry_pass_is_idempotent_and_announced(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    licence = await _licence(app, client, tokens)
    async with app.state.db.transaction() as s:
        yesterday = local_date(utcnow()) - timedelta(days=2)
        await s.execute(
            update(Licence).values(valid_from=yesterday - timedelta(days=30), valid_until=yesterday)
        )
    assert await expiry_pass(app.state.db) == 1
    assert await expiry_pass(app.state.db) == 0
    mine = (await client.get(f"/v1/licences/{licence['id']}", headers=citizen(tokens, "citizen-1"))).json()
    assert mine["status"] == "expired" and mine["status_name"] == "已过期"
    async with app.state.db.transaction(write=False) as s:
        rows = (await s.execute(select(outbox.c.subject, outbox.c.payload).order_by(outbox.c.id))).all()
    assert [subject for subject, _ in rows] == ["licence.licence.issued.v1", "licence.licence.expired.v1"]
    for subject, payload in rows:
        schema = json.loads((SCHEMAS / f"{subject}.schema.json").read_text(encoding="utf-8"))
        assert list(Draft202012Validator(schema).iter_errors(json.loads(payload))) == []
    assert json.loads(rows[1][1])["data"]["by_system"] is True
    assert utcnow()  # the pass ran on the wall clock


async def test_every_status_event_validates(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    licence = await _licence(app, client, tokens)
    approver = staff(tokens, MZJ, "approver")
    for action in ("suspend", "reinstate", "revoke"):
        resp = await client.post(
            f"/v1/licences/{licence['id']}/{action}", json={"reason": "核查"}, headers=approver
        )
        assert resp.status_code == 200
    async with app.state.db.transaction(write=False) as s:
        rows = (await s.execute(select(outbox.c.subject, outbox.c.payload).order_by(outbox.c.id))).all()
    assert len(rows) == 4
    for subject, payload in rows:
        schema = json.loads((SCHEMAS / f"{subject}.schema.json").read_text(encoding="utf-8"))
        assert list(Draft202012Validator(schema).iter_errors(json.loads(payload))) == []
