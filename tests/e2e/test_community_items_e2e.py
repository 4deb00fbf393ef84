"""Issue 14 point 10 through the gateway: the 25 real community items as the district meets them.

After the demo load (as `make run` / `make demo` does it) all 25 items of data/community_items.csv
are published with nothing for the guide-quality checker to say, and each reaches intake-svc
with its community kind; the demo station has a staff login and its street centre's
entrustment agreement. An editor's draft is listed to her and to an administrator, not to an
editor of another unit; she cannot publish what she wrote (the attempt is recorded), and a
colleague reviews and publishes it.
"""

from __future__ import annotations

import asyncio
import csv
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from helpers import PASSWORD, assert_problem, bearer, login

DEMO_PASSWORD = "Demo#2026"
CSV = Path(__file__).resolve().parents[2] / "data" / "community_items.csv"
UNITS = {"区民政局": "110105-MZJ", "区人力社保局": "110105-RSJ", "区卫生健康委": "110105-WJW"}
STATION = "110105001001-FWZ"  # 吉祥里社区服务站
STREET_CENTRE = "110105001-FWZX"  # 朝外街道政务服务中心
CAT = "/api/catalog/v1"


def _rows() -> list[dict[str, str]]:
    with CSV.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


async def _token(gw: httpx.AsyncClient, username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    return bearer((await login(gw, username, password))["access_token"])


async def _community_items(gw: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
    """Published entries by name, the three kinds together (anyone may list them)."""
    found: dict[str, dict[str, Any]] = {}
    for kind in ("accept", "collect_forward", "enquiry_prereview"):
        resp = await gw.get(f"{CAT}/items", params={"community_kind": kind, "limit": 200})
        assert resp.status_code == 200, resp.text
        found.update({i["name"]: i for i in resp.json()["items"]})
    return found


async def test_all_25_community_items_are_published_clean_and_reach_intake(gw: httpx.AsyncClient) -> None:
    rows = _rows()
    assert len(rows) == 25
    items = await _community_items(gw)
    for row in rows:
        item = items.get(row["item_name"])
        assert item is not None, f"{row['item_name']} is not published"
        assert item["status"] == "published" and item["owner_unit_code"] == UNITS[row["guiding_department"]]
        assert item["owner_unit_name"] == row["guiding_department"]
        quality = await gw.get(f"{CAT}/items/{item['code']}/versions/{item['current_version_no']}/quality")
        body = quality.json()
        assert (body["errors"], body["findings"], body["score"]) == (0, [], 100), (row["item_name"], body)
    kinds = {items[r["item_name"]]["community_kind"] for r in rows}
    assert kinds == {"accept", "collect_forward", "enquiry_prereview"}

    # The guide tells a citizen what the station does with it, in Chinese.
    prereview = items["对享受城市居民生活困难补助人员进行确认"]
    guide = (await gw.get(f"{CAT}/items/{prereview['code']}/guide")).json()
    assert guide["community_kind"] == {"code": "enquiry_prereview", "label": "咨询预审类"}
    html = (await gw.get(guide["html_url"])).text
    assert "咨询预审类" in html and "社区服务站" in html

    # No community item is left on any work list: an administrator sees no draft of them.
    admin = await _token(gw, "admin")
    for unit in UNITS.values():
        page = (
            await gw.get(f"{CAT}/item-versions", params={"unit": unit, "limit": 200}, headers=admin)
        ).json()
        assert not {v["name"] for v in page["items"]} & {r["item_name"] for r in rows}, page

    # intake-svc holds each with its kind (catalog.item.published.v1 carries every element).
    accepted_here = items["高龄老年人津贴"]
    deadline = time.monotonic() + 60
    for item in (accepted_here, prereview):
        while True:
            resp = await gw.get(f"/api/intake/v1/catalog-items/{item['code']}")
            if resp.status_code == 200:
                break
            assert time.monotonic() < deadline, f"{item['name']} never reached intake-svc"
            await asyncio.sleep(0.5)
        assert resp.json()["elements"]["community_kind"] == item["community_kind"]


async def test_the_demo_station_has_a_login_and_its_entrustment(gw: httpx.AsyncClient) -> None:
    station = await _token(gw, "station")
    me = (await gw.get("/api/identity/v1/me", headers=station)).json()["account"]
    assert me["kind"] == "staff" and me["roles"] == ["window_clerk"], me
    assert (me["org_unit"]["code"], me["org_unit"]["kind"]) == (STATION, "station")
    assert me["org_unit"]["name"] == "吉祥里社区服务站"

    # The station sees the agreement its street centre signed with it (委托受理协议).
    deadline = time.monotonic() + 30
    while True:
        resp = await gw.get("/api/intake/v1/entrustments", headers=station)
        assert resp.status_code == 200, resp.text
        mine = [a for a in resp.json()["items"] if a["entrusted_unit_code"] == STATION]
        if mine or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.5)
    assert [(a["entrusting_unit_code"], a["reference"]) for a in mine] == [
        (STREET_CENTRE, "朝外街道社委受〔2026〕1号")
    ]
    # And the centre holds the departments' agreements for the community items it passes on.
    admin = await _token(gw, "admin")
    agreements = (await gw.get("/api/intake/v1/entrustments", params={"limit": 200}, headers=admin)).json()
    entrusting = {
        a["entrusting_unit_code"] for a in agreements["items"] if a["entrusted_unit_code"] == STREET_CENTRE
    }
    assert set(UNITS.values()) <= entrusting


async def _editor(gw: httpx.AsyncClient, admin: dict[str, str], unit_id: str, name: str) -> dict[str, str]:
    username = "ed" + uuid.uuid4().hex[:8]
    resp = await gw.post(
        "/api/identity/v1/staff",
        headers=admin,
        json={
            "username": username,
            "name": name,
            "org_unit_id": unit_id,
            "roles": ["catalog_editor"],
            "password": PASSWORD,
        },
    )
    assert resp.status_code == 201, resp.text
    return await _token(gw, username, PASSWORD)


async def test_a_draft_is_listed_to_its_unit_and_published_by_someone_else(gw: httpx.AsyncClient) -> None:
    admin = await _token(gw, "admin")
    unit = (await gw.get("/api/identity/v1/org-units/110105-WJW", headers=admin)).json()
    author = await _editor(gw, admin, unit["id"], "王编辑")
    colleague = await _editor(gw, admin, unit["id"], "李审核")
    outsider = await _token(gw, "editor")  # the demo editor, of 区政务服务管理局

    # The author starts from a published community item of her unit and makes a new entry of it.
    source = (await _community_items(gw))["独生子女父母光荣证受理"]
    elements = (await gw.get(f"{CAT}/items/{source['code']}")).json()["version"]["elements"]
    elements["name"] = f"独生子女父母光荣证补办{uuid.uuid4().hex[:6]}"
    resp = await gw.post(f"{CAT}/items", json={"elements": elements}, headers=author)
    assert resp.status_code == 201, resp.text
    code = resp.json()["code"]

    async def listed(headers: dict[str, str], **params: str) -> list[dict[str, Any]]:
        resp = await gw.get(f"{CAT}/item-versions", params={"limit": 200, **params}, headers=headers)
        assert resp.status_code == 200, resp.text
        return [v for v in resp.json()["items"] if v["item_code"] == code]

    # Her draft: on her list and her administrator's; not on another unit's editor's.
    [mine] = await listed(author)
    assert (mine["status"], mine["can_publish"], mine["name"]) == ("draft", False, elements["name"])
    assert [v["status"] for v in await listed(admin, unit="110105-WJW")] == ["draft"]
    assert await listed(outsider) == []
    refused = await gw.get(f"{CAT}/item-versions", params={"unit": "110105-WJW"}, headers=outsider)
    assert str(assert_problem(refused, 403, "catalog.not_owner")["detail"]).startswith("您只能查看本单位")

    # She submits it; she cannot publish it herself, and the attempt is recorded.
    assert (await gw.post(f"{CAT}/items/{code}/versions/1/submit", headers=author)).status_code == 200
    resp = await gw.post(f"{CAT}/items/{code}/versions/1/publish", headers=author)
    body = assert_problem(resp, 403, "catalog.author_cannot_publish")
    assert "不能由您本人审核发布" in str(body["detail"])
    assert (await gw.get(f"{CAT}/items/{code}")).status_code == 404  # still not public

    # Her colleague sees it waiting for review, may publish it, and does.
    [waiting] = await listed(colleague, status="in_review")
    assert waiting["can_publish"] is True and waiting["submitted_by"] == mine["created_by"]
    resp = await gw.post(f"{CAT}/items/{code}/versions/1/publish", headers=colleague)
    assert resp.status_code == 200, resp.text
    published = resp.json()
    assert published["status"] == "published" and published["published_by"] != published["submitted_by"]
    assert await listed(colleague) == []
    assert (await gw.get(f"{CAT}/items/{code}/guide")).json()["name"] == elements["name"]

    history = (await gw.get(f"{CAT}/items/{code}/history", headers=admin)).json()["items"]
    assert [h["action"] for h in history] == ["created", "submitted", "publish_refused", "published"]
    assert history[2]["actor_id"] == mine["created_by"] != history[3]["actor_id"]
