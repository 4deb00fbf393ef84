"""Issue 14, point 10, through the gateway: the community kinds act at a community service station.

The demo station 吉祥里社区服务站 (login `station`, 韩梅) finds 王芳 by resident ID and accepts her
高龄老年人津贴 (受理类) itself, under the agreement its street centre signed with it — the notice
is the station's, "受朝外街道政务服务中心委托"; it may not accept a 咨询预审类 item, which it
pre-reviews and hands to 朝外街道政务服务中心, whose clerk accepts it; and a 代收代办类 item it files is
an assisted application that goes to the centre at once.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import httpx
from helpers import PASSWORD, assert_problem, bearer, login

DEMO_PASSWORD = "Demo#2026"
API = "/api/intake/v1"
IDN = "/api/identity/v1"
STATION = "110105001001-FWZ"  # 吉祥里社区服务站
CENTRE = "110105001-FWZX"  # 朝外街道政务服务中心
WANG_FANG = "110105197809250261"  # the demo citizen 王芳's resident ID
ACCEPT, PREREVIEW, COLLECT = "高龄老年人津贴", "对享受城市居民生活困难补助人员进行确认", "临时救助对象认定"


async def _token(gw: httpx.AsyncClient, username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    return bearer((await login(gw, username, password))["access_token"])


async def _intake_item(gw: httpx.AsyncClient, name: str) -> dict[str, Any]:
    """The community item called `name`, once it reached intake-svc with its kind."""
    page = (await gw.get("/api/catalog/v1/items", params={"q": name, "limit": 50})).json()
    [code] = [i["code"] for i in page["items"] if i["name"] == name]
    deadline = time.monotonic() + 60
    while True:
        resp = await gw.get(f"{API}/catalog-items/{code}")
        if resp.status_code == 200:
            return dict(resp.json())
        assert time.monotonic() < deadline, f"{name} never reached intake-svc"
        await asyncio.sleep(0.5)


def _materials(item: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"name": m["name"], "media": m["media"], "originals": m["originals"], "copies": m["copies"]}
        for m in item["elements"]["materials"]
        if not m.get("exempt") and m.get("requirement") == "required"
    ]


async def _file(gw: httpx.AsyncClient, item: dict[str, Any], person_id: str) -> dict[str, Any]:
    """The station files for the person (waiting for identity's units to reach intake first)."""
    body = {"item_code": item["code"], "applicant": {"id": person_id}, "materials": _materials(item)}
    deadline = time.monotonic() + 30
    while True:
        station = await _token(gw, "station")
        resp = await gw.post(f"{API}/applications", json=body, headers=station)
        assert resp.status_code == 201, resp.text
        app = dict(resp.json())
        if app["intake_unit_code"] == STATION:
            return app
        retry = {"reason": "机构信息未同步，重新接件"}
        await gw.post(f"{API}/applications/{app['id']}/withdraw", json=retry, headers=station)
        assert time.monotonic() < deadline, "org units never reached intake-svc"
        await asyncio.sleep(0.5)


def _acceptance(app: dict[str, Any]) -> str:
    """accept, or accept_on_the_spot for a 即办件: whichever the caller is offered."""
    [action] = [a for a in app["allowed_actions"] if a in ("accept", "accept_on_the_spot")]
    return "accept" if action == "accept" else "accept-on-the-spot"


async def _centre_clerk(gw: httpx.AsyncClient) -> dict[str, str]:
    """A window clerk of 朝外街道政务服务中心, added by the administrator."""
    admin = await _token(gw, "admin")
    unit = (await gw.get(f"{IDN}/org-units/{CENTRE}", headers=admin)).json()
    username = "zx" + uuid.uuid4().hex[:8]
    resp = await gw.post(
        f"{IDN}/staff",
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
    return await _token(gw, username, PASSWORD)


async def test_a_station_accepts_its_item_and_pre_reviews_another(gw: httpx.AsyncClient) -> None:
    station = await _token(gw, "station")
    found = await gw.post(
        f"{IDN}/persons/lookup",
        json={"resident_id": WANG_FANG, "reason": "社区服务站代为申请高龄津贴，核对申请人身份"},
        headers=station,
    )
    assert found.status_code == 200, found.text
    wang_fang = found.json()["id"]

    # 受理类: the station accepts, and the notice says for whom.
    app = await _file(gw, await _intake_item(gw, ACCEPT), wang_fang)
    assert app["applicant_name"] == "王芳" and app["representation"] == "assisted"
    station = await _token(gw, "station")
    resp = await gw.post(f"{API}/applications/{app['id']}/{_acceptance(app)}", headers=station)
    assert resp.status_code == 200, resp.text
    accepted = resp.json()
    assert accepted["accepting_unit_code"] == STATION and accepted["entrustment_id"]
    [notice] = [n for n in accepted["notices"] if n["kind"] == "acceptance"]
    html = (await gw.get(notice["html_url"], headers=await _token(gw, "station"))).text
    assert "朝外街道吉祥里社区服务站" in html and "受北京市朝阳区朝外街道政务服务中心委托" in html

    # 咨询预审类: the station may not accept it; it pre-reviews it and the centre accepts.
    app = await _file(gw, await _intake_item(gw, PREREVIEW), wang_fang)
    assert "prereview" in app["allowed_actions"] and "accept" not in app["allowed_actions"]
    station = await _token(gw, "station")
    refused = await gw.post(f"{API}/applications/{app['id']}/accept", headers=station)
    assert "咨询预审" in str(assert_problem(refused, 403, "intake.station_may_not_accept")["detail"])
    centre = await _centre_clerk(gw)
    assert (await gw.get(f"{API}/applications/{app['id']}", headers=centre)).status_code == 404
    opinion = "王芳家庭收入和户籍情况已入户初核，材料齐全，建议受理。"
    reviewed = await gw.post(
        f"{API}/applications/{app['id']}/prereview", json={"opinion": opinion}, headers=station
    )
    assert reviewed.status_code == 200, reviewed.text
    assert reviewed.json()["forwarded_to_unit_code"] == CENTRE
    seen = (await gw.get(f"{API}/applications/{app['id']}", headers=centre)).json()
    assert seen["prereview_opinion"] == opinion and "prereview" not in seen["allowed_actions"]
    resp = await gw.post(f"{API}/applications/{app['id']}/{_acceptance(seen)}", headers=centre)
    assert resp.status_code == 200, resp.text
    assert resp.json()["accepting_unit_code"] == CENTRE

    # 代收代办类: filed as an assisted application, the centre's at once.
    app = await _file(gw, await _intake_item(gw, COLLECT), wang_fang)
    assert app["representation"] == "assisted" and app["forwarded_to_unit_code"] == CENTRE
    assert not {"accept", "accept_on_the_spot", "prereview"} & set(app["allowed_actions"])
    assert (await gw.get(f"{API}/applications/{app['id']}", headers=centre)).status_code == 200
