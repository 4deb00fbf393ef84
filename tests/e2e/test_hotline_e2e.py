"""The hotline through the gateway: a call goes from registration to dispatch, dispute,
re-dispatch, response, reply, call-back, reopening and closing; an enquiry is answered from the
knowledge base (its own entries and the published catalogue); Open311 clients list, post and
read; citizens see only their own tickets; units see callers' phones masked."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import httpx
from devstack import SERVICES, Platform
from helpers import assert_problem, bearer, login, register

DEMO_PASSWORD = "Demo#2026"
REPO = Path(__file__).resolve().parents[2]
H = "/api/hotline/v1"
STREET = "110105001"
CENTRE = "110105001-FWZX"


def _load_hotline_demo(platform: Platform) -> None:
    svc = next(s for s in SERVICES if s.name == "hotline")
    done = subprocess.run(
        [sys.executable, "-m", "hotline.demo", "--database-url", platform.database_url(svc)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]


async def _token(gw: httpx.AsyncClient, username: str) -> dict[str, str]:
    return bearer((await login(gw, username, DEMO_PASSWORD))["access_token"])


async def _create_when_area_known(
    gw: httpx.AsyncClient, headers: dict[str, str], body: dict[str, Any]
) -> dict[str, Any]:
    # Streets reach hotline's org read model through identity's events: wait for them.
    deadline = time.monotonic() + 30
    while True:
        resp = await gw.post(f"{H}/tickets", json=body, headers=headers)
        if resp.status_code != 422 or resp.json().get("code") != "hotline.unknown_area":
            assert resp.status_code == 201, resp.text
            return dict(resp.json())
        assert time.monotonic() < deadline, "org units never reached hotline-svc"
        await asyncio.sleep(0.3)


async def _act(
    gw: httpx.AsyncClient, tid: str, action: str, headers: dict[str, str], body: dict[str, Any] | None = None
) -> dict[str, Any]:
    resp = await gw.post(f"{H}/tickets/{tid}/{action}", json=body or {}, headers=headers)
    assert resp.status_code == 200, (action, resp.text)
    return dict(resp.json())


NOISE = {
    "request_type": "complaint",
    "channel": "phone",
    "category_code": "noise",
    "title": "夜间施工噪声",
    "description": "工地每晚23点后仍施工。",
    "caller_name": "王女士",
    "caller_phone": "13812345678",
    "street_code": STREET,
    "attributes": {"noise_period": "night"},
}


async def test_a_call_goes_round_the_whole_lifecycle(gw: httpx.AsyncClient, platform: Platform) -> None:
    _load_hotline_demo(platform)
    agent, dispatcher, handler, supervisor = [
        await _token(gw, u) for u in ("agent", "dispatcher", "handler", "supervisor")
    ]
    t = await _create_when_area_known(gw, agent, NOISE)
    tid = t["id"]
    assert t["status"] == "dispatched" and t["lead_unit_code"] == CENTRE
    # The Location the gateway passes on is the ticket's path at the gateway.
    located = await gw.post(f"{H}/tickets", json=NOISE, headers=agent)
    assert located.headers["location"] == f"{H}/tickets/{located.json()['id']}"
    assert (await gw.get(located.headers["location"], headers=agent)).json()["id"] == located.json()["id"]

    seen = (await gw.get(f"{H}/tickets/{tid}", headers=handler)).json()
    assert seen["caller_phone"] == "138****5678"
    back = await _act(gw, tid, "return", handler, {"reason": "应由区住建委处理施工许可问题"})
    assert back["status"] == "returned"
    again = await _act(gw, tid, "dispatch", dispatcher, {"unit_code": CENTRE, "note": "属地管理，街道牵头"})
    assert again["first_unit_code"] == CENTRE and again["status"] == "dispatched"
    await _act(gw, tid, "respond", handler, {"note": "已电话联系"})
    await _act(gw, tid, "reply", handler, {"reply": "已约谈施工方。"})
    await _act(gw, tid, "call-back", agent, {"resolved": False, "satisfaction": "not"})
    await _act(gw, tid, "reopen", agent, {"reason": "仍在夜间施工"})
    await _act(gw, tid, "respond", handler, {})
    await _act(gw, tid, "reply", handler, {"reply": "联合执法，已停止夜间施工。"})
    await _act(gw, tid, "call-back", agent, {"resolved": True, "satisfaction": "satisfied"})
    closed = await _act(gw, tid, "close", supervisor, {})
    assert closed["status"] == "closed" and closed["reopen_count"] == 1

    assert_problem(
        await gw.post(f"{H}/tickets/{tid}/reply", json={"reply": "x"}, headers=handler),
        409,
        "hotline.invalid_transition",
    )
    history = (await gw.get(f"{H}/tickets/{tid}/history", headers=supervisor)).json()
    assert [h["action"] for h in history["items"]].count("call_back") == 2
    assert history["total"] == len(history["items"])


async def test_enquiries_are_answered_from_the_knowledge_base(
    gw: httpx.AsyncClient, platform: Platform
) -> None:
    _load_hotline_demo(platform)
    agent = await _token(gw, "agent")
    hits = (await gw.get(f"{H}/kb/search", params={"q": "暖气不热找谁"}, headers=agent)).json()["items"]
    assert hits, "demo entry not found"
    enquiry = await _create_when_area_known(
        gw, agent, {**NOISE, "request_type": "enquiry", "category_code": "heating", "attributes": {}}
    )
    answered = await _act(gw, enquiry["id"], "answer", agent, {"kb_entry_id": hits[0]["id"]})
    assert answered["close_reason"] == "answered"
    # The published demo catalogue becomes answerable through catalog.item.published events.
    deadline = time.monotonic() + 30
    while True:
        found = (await gw.get(f"{H}/kb/search", params={"q": "高龄老年人津贴"}, headers=agent)).json()[
            "items"
        ]
        if any(h["item_codes"] for h in found):
            break
        assert time.monotonic() < deadline, "catalogue items never became answerable"
        await asyncio.sleep(0.5)


async def test_citizens_and_open311_clients(gw: httpx.AsyncClient, platform: Platform) -> None:
    _load_hotline_demo(platform)
    me, other = await register(gw, "李四"), await register(gw, "王五")
    mine = bearer((await login(gw, me["phone"]))["access_token"])
    theirs = bearer((await login(gw, other["phone"]))["access_token"])
    t = await _create_when_area_known(gw, mine, {**NOISE, "channel": "web"})
    assert (await gw.get(f"{H}/tickets/{t['id']}", headers=mine)).status_code == 200
    assert_problem(await gw.get(f"{H}/tickets/{t['id']}", headers=theirs), 404, "hotline.ticket_not_found")
    assert_problem(await gw.post(f"{H}/tickets", json={**NOISE, "request_type": "x"}, headers=mine), 422)
    # Problems speak Chinese, and English to a client that asks.
    gone = await gw.get(f"{H}/tickets/nope", headers=mine)
    problem = assert_problem(gone, 404, "hotline.ticket_not_found")
    assert problem["detail"] == "未找到工单 nope，请核对后重试。"
    assert gone.json()["instance"] == f"{H}/tickets/nope"
    english = await gw.get(f"{H}/tickets/nope", headers={**mine, "Accept-Language": "en"})
    assert english.json()["detail"] == "No ticket nope."

    # Discovery names the configured public address, whatever the request said about itself.
    disc = await gw.get(
        "/open311/v2/discovery.json",
        headers={"X-Forwarded-Prefix": "/api/x", "X-Forwarded-Host": "probe.invalid"},
    )
    hotline = next(s for s in SERVICES if s.name == "hotline")
    base = platform.service_env(hotline).get("HOTLINE_PUBLIC_BASE_URL", "http://127.0.0.1:8000")
    assert disc.json()["endpoints"][0]["url"] == base.rstrip("/") + "/open311/v2"

    services = ET.fromstring((await gw.get("/open311/v2/services.xml")).content)
    assert "noise" in {s.findtext("service_code") for s in services.findall("service")}
    posted = await gw.post(
        "/open311/v2/requests.json",
        data={
            "api_key": "demo-open311-key-2026",
            "service_code": "roads",
            "address_id": STREET,
            "description": "井盖缺失",
        },
    )
    assert posted.status_code == 201, posted.text
    rid = posted.json()[0]["service_request_id"]
    assert posted.headers["location"] == f"/open311/v2/requests/{rid}.json"
    assert (await gw.get(posted.headers["location"])).json()[0]["service_request_id"] == rid
    listed = (await gw.get("/open311/v2/requests.json", params={"service_code": "roads"})).json()
    assert rid in {r["service_request_id"] for r in listed}
    one = ET.fromstring((await gw.get(f"/open311/v2/requests/{rid}.xml")).content)
    assert one.findtext("request/status") == "open"
    refused = await gw.post("/open311/v2/requests.json", data={"service_code": "roads", "address_id": STREET})
    assert refused.status_code == 403 and refused.json()[0]["code"] == 403
    bad_format = await gw.get("/open311/v2/services.csv")
    assert bad_format.status_code == 400 and bad_format.json()[0]["code"] == 400


async def test_the_merged_document_describes_the_hotline(gw: httpx.AsyncClient) -> None:
    """Through the gateway's merged document: pages, enums, Locations, and Open311 as it answers."""
    doc = (await gw.get("/api/openapi.json")).json()
    schemas = doc["components"]["schemas"]
    tickets = doc["paths"][f"{H}/tickets"]
    page = tickets["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert set(schemas[page.rsplit("/", 1)[1]]["required"]) >= {"items", "total", "limit", "offset"}
    assert "Location" in tickets["post"]["responses"]["201"]["headers"]
    status = next(p for p in tickets["get"]["parameters"] if p["name"] == "status")
    assert "dispatched" in str(status["schema"])
    create = doc["paths"]["/open311/v2/requests.{fmt}"]["post"]
    assert set(create["responses"]["201"]["content"]) == {"application/json", "text/xml"}
    assert "application/x-www-form-urlencoded" in create["requestBody"]["content"]
    assert create["responses"]["403"]["content"]["application/json"]["schema"]["type"] == "array"
    [requirement] = create["security"]
    [name] = requirement
    scheme = doc["components"]["securitySchemes"][name]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "query", "api_key")
