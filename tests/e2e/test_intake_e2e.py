"""One-window intake through the gateway, real processes: the normal path with every delivery
mode, the notice loop, entrusted intake at a street centre, a delegated application by an
enterprise's agent (grant checked with identity-svc), withdrawal, forbidden access and the trace.

Deadline behaviour that needs the calendar to move (容缺 revocation, a special procedure across a
holiday, overdue detection) is covered in intake-svc/tests with a settable service clock.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from helpers import PASSWORD, assert_problem, bearer, login, register, uscc, verify_enterprise

DEMO_PASSWORD = "Demo#2026"
MZJ = "110105-MZJ"
STREET_CENTRE = "110105001-FWZX"
API = "/api/intake/v1"


async def token(gw: httpx.AsyncClient, username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    """A fresh bearer header (e2e access tokens live a few seconds)."""
    return bearer((await login(gw, username, password))["access_token"])


async def catalog_items(gw: httpx.AsyncClient) -> list[dict[str, Any]]:
    """Every item in intake's catalog read model, page by page."""
    items: list[dict[str, Any]] = []
    while True:
        resp = await gw.get(f"{API}/catalog-items", params={"limit": 200, "offset": len(items)})
        assert resp.status_code == 200, resp.text
        page = resp.json()
        items += page["items"]
        if not page["items"] or len(items) >= page["total"]:
            return items


async def _demo_item(gw: httpx.AsyncClient) -> dict[str, Any]:
    """A 承诺件 of 区民政局 from the demo catalogue, once it reached intake through NATS."""
    deadline = time.monotonic() + 60
    while True:
        for item in await catalog_items(gw):
            if item["owner_unit_code"] != MZJ:
                continue
            full = (await gw.get(f"{API}/catalog-items/{item['code']}")).json()
            els = full["elements"]
            if els.get("handling_type") == "2" and any(
                not m.get("exempt") and m.get("requirement") == "required" for m in els["materials"]
            ):
                return dict(full)
        assert time.monotonic() < deadline, "no demo item of 区民政局 reached intake-svc"
        await asyncio.sleep(0.5)


def _complete(item: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"name": m["name"], "media": m["media"], "originals": m["originals"], "copies": m["copies"]}
        for m in item["elements"]["materials"]
        if not m.get("exempt") and m.get("requirement") == "required"
    ]


async def _submit(gw: httpx.AsyncClient, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    resp = await gw.post(f"{API}/applications", json=body, headers=headers)
    assert resp.status_code == 201, resp.text
    # The Location is where the client that sent it (through the gateway) finds the application.
    assert resp.headers["location"] == f"{API}/applications/{resp.json()['id']}"
    return dict(resp.json())


async def _act(
    gw: httpx.AsyncClient, user: str, app_id: str, action: str, body: Any = None, expect: int = 200
) -> dict[str, Any]:
    resp = await gw.post(f"{API}/applications/{app_id}/{action}", json=body, headers=await token(gw, user))
    assert resp.status_code == expect, resp.text
    return dict(resp.json())


async def _window_submission(
    gw: httpx.AsyncClient,
    item: dict[str, Any],
    person: dict[str, str],
    materials: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The demo clerk receives an application; waits for the org units to reach intake first."""
    deadline = time.monotonic() + 30
    while True:
        app = await _submit(
            gw,
            await token(gw, "clerk"),
            {
                "item_code": item["code"],
                "applicant": {"id": person["id"], "name": "张伟", "phone": person["phone"]},
                "materials": _complete(item) if materials is None else materials,
            },
        )
        if app["intake_unit_code"] == "110105-ZWFW-W01":
            return app
        await _act(gw, "clerk", app["id"], "withdraw", {"reason": "机构信息未同步，重新接件"})
        assert time.monotonic() < deadline, "org units never reached intake-svc"
        await asyncio.sleep(0.5)


@pytest.mark.parametrize(
    "delivery",
    [
        {"mode": "window", "signed_by": "张伟"},
        # The courier (its simulator) makes the waybill; the clerk types no number (issue 20 §6).
        {"mode": "post", "carrier": "中国邮政EMS", "address": "朝阳区吉祥里1号"},
        {"mode": "locker", "locker": "区政务服务中心1号柜07格"},
    ],
)
async def test_normal_path_and_every_delivery_mode(gw: httpx.AsyncClient, delivery: dict[str, Any]) -> None:
    item = await _demo_item(gw)
    person = await register(gw, "张伟")
    app = await _window_submission(gw, item, person)
    assert app["problems"] == [] and app["version_no"] == item["version_no"]
    app = await _act(gw, "clerk", app["id"], "accept")
    assert app["status"] == "accepted" and app["acceptance_no"] and app["due_on"]
    await _act(gw, "clerk", app["id"], "hand-over")
    await _act(gw, "approver", app["id"], "steps", {"kind": "review", "opinion": "材料齐全，情况属实"})
    await _act(gw, "approver", app["id"], "approve", {"reasons": "符合条件"})
    await _act(gw, "approver", app["id"], "complete", {"result_name": "审批结果通知书"})
    if delivery["mode"] == "post":
        waybill = await _act(
            gw,
            "clerk",
            app["id"],
            "waybills",
            {"recipient_name": "张伟", "recipient_phone": person["phone"], "address": delivery["address"]},
            expect=201,
        )
        delivery = {**delivery, "tracking_no": waybill["waybill_no"]}
    app = await _act(gw, "clerk", app["id"], "deliver", delivery)
    assert app["status"] == "delivered" and app["delivery_mode"] == delivery["mode"]
    assert app["visits"] == (2 if delivery["mode"] == "window" else 1)
    citizen = await token(gw, person["phone"], PASSWORD)
    mine = await gw.get(f"{API}/applications/{app['id']}", headers=citizen)
    assert mine.status_code == 200 and mine.json()["status"] == "delivered"
    verify = (await gw.get(f"{API}/applications/{app['id']}/trace/verify", headers=citizen)).json()
    entries = 8 if delivery["mode"] == "post" else 7  # the waybill's making is on the record too
    assert verify["valid"] is True and verify["entries"] == entries
    # Links in a response work as they are, through the gateway.
    notice = await gw.get(app["notices"][0]["html_url"], headers=citizen)
    assert notice.status_code == 200 and "受理通知书" in notice.text
    assert notice.headers["content-type"].startswith("text/html")
    trace = (await gw.get(f"{API}/applications/{app['id']}/trace", headers=citizen)).json()
    assert trace["total"] == entries and [e["seq"] for e in trace["items"]] == list(range(1, entries + 1))
    # Someone else: the application does not exist for them, for reads and writes.
    stranger = await register(gw, "王芳")
    other = await token(gw, stranger["phone"], PASSWORD)
    missing = await gw.get(f"{API}/applications/{app['id']}", headers=other)
    assert_problem(missing, 404, "intake.application_not_found")
    assert missing.json()["detail"].startswith("未找到申请") and missing.json()["instance"].startswith(API)
    assert_problem(await gw.post(f"{API}/applications/{app['id']}/withdraw", headers=other), 404)


async def test_notice_loop_online(gw: httpx.AsyncClient) -> None:
    item = await _demo_item(gw)
    person = await register(gw, "李娜")
    citizen = await token(gw, person["phone"], PASSWORD)
    app = await _submit(
        gw,
        citizen,
        {"item_code": item["code"], "applicant": {"name": "李娜", "phone": person["phone"]}, "materials": []},
    )
    assert app["channel"] == "online" and app["problems"]
    # The online application is received by the item's department; its approver issues the notice.
    app = await _act(
        gw,
        "approver",
        app["id"],
        "notice",
        {"extra_problems": [{"material": "申请书", "message": "请使用最新版本申请书"}]},
    )
    assert app["status"] == "correction_requested"
    assert len(app["notices"]) == 1 and app["notices"][0]["kind"] == "correction"
    resp = await gw.post(
        f"{API}/applications/{app['id']}/resubmit",
        json={"materials": _complete(item)},
        headers=await token(gw, person["phone"], PASSWORD),
    )
    assert resp.status_code == 200 and resp.json()["problems"] == []
    app = await _act(gw, "approver", app["id"], "accept")
    assert app["status"] == "accepted" and app["visits"] == 0


async def test_entrusted_intake_at_a_street_centre(gw: httpx.AsyncClient) -> None:
    item = await _demo_item(gw)
    admin = await token(gw, "admin")
    unit = (await gw.get(f"/api/identity/v1/org-units/{STREET_CENTRE}", headers=admin)).json()
    username = "street" + uuid.uuid4().hex[:6]
    resp = await gw.post(
        "/api/identity/v1/staff",
        headers=admin,
        json={
            "username": username,
            "name": "街道窗口",
            "org_unit_id": unit["id"],
            "roles": ["window_clerk"],
            "password": PASSWORD,
        },
    )
    assert resp.status_code == 201, resp.text
    person = await register(gw, "赵六")
    body = {
        "item_code": item["code"],
        "applicant": {"id": person["id"], "name": "赵六"},
        "materials": _complete(item),
    }
    app = await _submit(gw, await token(gw, username, PASSWORD), body)
    refused = await gw.post(
        f"{API}/applications/{app['id']}/accept", headers=await token(gw, username, PASSWORD)
    )
    if refused.status_code == 403:  # no demo agreement loaded: the department signs one now
        assert_problem(refused, 403, "intake.not_entrusted")
        today = datetime.now(UTC).date()
        agreement = await gw.post(
            f"{API}/entrustments",
            headers=await token(gw, "approver"),
            json={
                "entrusting_unit_code": MZJ,
                "entrusted_unit_code": STREET_CENTRE,
                "item_codes": [item["code"]],
                "valid_from": str(today - timedelta(days=1)),
                "valid_until": str(today + timedelta(days=365)),
            },
        )
        assert agreement.status_code == 201, agreement.text
        resp = await gw.post(
            f"{API}/applications/{app['id']}/accept", headers=await token(gw, username, PASSWORD)
        )
        assert resp.status_code == 200, resp.text
        accepted = resp.json()
    else:
        assert refused.status_code == 200, refused.text
        accepted = refused.json()
    assert accepted["entrustment_id"] and accepted["accepting_unit_code"] == STREET_CENTRE


async def test_delegated_application_needs_a_grant(gw: httpx.AsyncClient) -> None:
    item = await _demo_item(gw)
    rep, agent = await register(gw, "法人代表"), await register(gw, "经办人")
    rep_h = await token(gw, rep["phone"], PASSWORD)
    ent = await gw.post(
        "/api/identity/v1/enterprises", headers=rep_h, json={"name": "朝阳示例餐饮有限公司", "uscc": uscc()}
    )
    assert ent.status_code == 201, ent.text
    ent_id = ent.json()["id"]
    await verify_enterprise(gw, ent_id)  # at the window: licence and representative's ID seen
    body = {
        "item_code": item["code"],
        "enterprise_id": ent_id,
        "applicant": {"name": "经办人", "phone": agent["phone"]},
        "materials": _complete(item),
    }
    no_grant = await gw.post(
        f"{API}/applications", json=body, headers=await token(gw, agent["phone"], PASSWORD)
    )
    assert_problem(no_grant, 403, "intake.grant_missing")
    grant = await gw.post(
        f"/api/identity/v1/enterprises/{ent_id}/grants",
        headers=rep_h,
        json={
            "grantee_id": agent["id"],
            "scope": [item["code"]],
            "valid_until": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
        },
    )
    assert grant.status_code == 201, grant.text
    agent_h = await token(gw, agent["phone"], PASSWORD)
    assert (
        await gw.post(f"/api/identity/v1/grants/{grant.json()['id']}/confirm", headers=agent_h)
    ).status_code == 200
    app = await _submit(gw, await token(gw, agent["phone"], PASSWORD), body)
    assert app["enterprise_id"] == ent_id and app["applicant_id"] == agent["id"]
    withdrawn = await gw.post(
        f"{API}/applications/{app['id']}/withdraw",
        headers=await token(gw, agent["phone"], PASSWORD),
        json={"reason": "重复提交"},
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
