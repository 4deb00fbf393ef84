"""At the window the library provides what it holds for a resident who never opened it (ADR 0014),
end to end through the gateway with real processes and the demo data.

identity-svc publishes each person with the keyed hash of their resident ID (never the number);
licence-svc keeps the same key on each licence issued to a resident ID, so a clerk's fetch for a
case finds the applicant's licences by it — and nobody else's.

- 李娜 (demo) comes to the window: the clerk finds her by resident ID, files her 城乡最低生活保障对象认定
  and fetches her ID card from the library. Nothing here calls licence-svc as 李娜 (in a whole run
  another test may have, so the second test does not depend on her).
- A walk-in the clerk registers today holds a 北京通养老助残卡 区民政局 issued to his resident ID: it is
  fetched for his 高龄老年人津贴 case; another walk-in's case gets nothing of his.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from helpers import DEMO_PASSWORD, bearer, demo_item, login, mobile, resident_id

IDN = "/api/identity/v1"
IN = "/api/intake/v1"
LI = "/api/licence/v1"
LI_NA = ("李娜", "110105199007180424", "13810000002")
ID_CARD, BJT_CARD = "申请人居民身份证", "北京通—养老助残卡"


async def _token(gw: httpx.AsyncClient, username: str) -> dict[str, str]:
    """A fresh bearer header (e2e access tokens live a few seconds)."""
    return bearer((await login(gw, username, DEMO_PASSWORD))["access_token"])


async def _item(gw: httpx.AsyncClient, name: str) -> dict[str, Any]:
    """The demo item called `name` with its materials' licence types, once it reached intake."""
    return await demo_item(
        gw, name, ready=lambda item: any(m.get("licence_type_code") for m in item["elements"]["materials"])
    )


def _brought(item: dict[str, Any]) -> list[dict[str, Any]]:
    """What the applicant hands in themselves: the required materials no licence stands for."""
    return [
        {"name": m["name"], "media": m["media"], "originals": m["originals"], "copies": m["copies"]}
        for m in item["elements"]["materials"]
        if m.get("requirement") == "required" and not m.get("exempt") and not m.get("licence_type_code")
    ]


def _by_name(app: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["name"]: m for m in app["materials"]}


async def _file_at_window(
    gw: httpx.AsyncClient, item: dict[str, Any], applicant: dict[str, str]
) -> dict[str, Any]:
    resp = await gw.post(
        f"{IN}/applications",
        json={"item_code": item["code"], "applicant": applicant, "materials": _brought(item)},
        headers=await _token(gw, "clerk"),
    )
    assert resp.status_code == 201, resp.text
    return dict(resp.json())


async def _fetch_until(
    gw: httpx.AsyncClient, application_id: str, material: str, timeout: float = 30
) -> dict[str, Any]:
    """The clerk fetches from the library until `material` stands for a licence (licence-svc learns
    the person from identity's event a moment after identity published it); the case as it is then."""
    deadline = time.monotonic() + timeout
    while True:
        resp = await gw.post(
            f"{IN}/applications/{application_id}/licence-fetches", headers=await _token(gw, "clerk")
        )
        assert resp.status_code == 200, resp.text
        case = dict(resp.json())
        if _by_name(case).get(material, {}).get("provided_as") == "e_licence" or time.monotonic() > deadline:
            return case
        await asyncio.sleep(1)


async def _walk_in(gw: httpx.AsyncClient, name: str) -> dict[str, str]:
    """The clerk registers a person without an account at the window; their id, resident ID, mobile."""
    rid, phone = resident_id(), mobile()
    resp = await gw.post(
        f"{IDN}/persons/walk-ins",
        json={"name": name, "id_type": "resident_id", "resident_id": rid, "phone": phone},
        headers=await _token(gw, "clerk"),
    )
    assert resp.status_code == 201, resp.text
    return {"id": resp.json()["id"], "name": name, "resident_id": rid, "phone": phone}


async def test_the_clerk_fetches_the_id_card_of_a_resident_who_never_opened_the_library(
    gw: httpx.AsyncClient,
) -> None:
    name, rid, phone = LI_NA
    found = await gw.post(
        f"{IDN}/persons/lookup",
        json={"resident_id": rid, "reason": "窗口代为申请低保，核对申请人身份"},
        headers=await _token(gw, "clerk"),
    )
    assert found.status_code == 200, found.text
    dibao = await _item(gw, "城乡最低生活保障对象认定")
    app = await _file_at_window(gw, dibao, {"id": found.json()["id"], "name": name, "phone": phone})
    assert ID_CARD not in _by_name(app) or _by_name(app)[ID_CARD]["provided_as"] != "e_licence"

    case = await _fetch_until(gw, app["id"], ID_CARD)
    id_card = _by_name(case)[ID_CARD]
    assert (id_card["provided_as"], id_card["licence_type_code"], id_card["licence_status"]) == (
        "e_licence",
        "JMSFZ",
        "valid",
    ), case["materials"]
    # Her resident ID is the ID card's number: masked on the case, as every personal number.
    assert id_card["licence_no"] == "110105********0424" and rid not in str(case)


async def test_a_walk_ins_licence_is_fetched_for_his_case_and_for_nobody_elses(gw: httpx.AsyncClient) -> None:
    holder, stranger = await _walk_in(gw, "钱大爷"), await _walk_in(gw, "孙大爷")
    # 区民政局 issues the card to his resident ID directly (颁证): no account is named on it.
    issued = await gw.post(
        f"{LI}/licences",
        json={
            "type_code": "BJTYLZCK",
            "holder_kind": "person",
            "holder_identifier": holder["resident_id"],
            "holder_name": holder["name"],
            "valid_from": "2024-01-01",
            "data": {"姓名": holder["name"], "持卡类别": "老年人（65周岁以上）"},
        },
        headers=await _token(gw, "approver"),
    )
    assert issued.status_code == 201, issued.text
    card = issued.json()

    allowance = await _item(gw, "高龄老年人津贴")
    mine = await _file_at_window(gw, allowance, {k: holder[k] for k in ("id", "name", "phone")})
    fetched = _by_name(await _fetch_until(gw, mine["id"], BJT_CARD))[BJT_CARD]
    assert (fetched["provided_as"], fetched["licence_no"]) == ("e_licence", card["number"]), fetched

    theirs = await _file_at_window(gw, allowance, {k: stranger[k] for k in ("id", "name", "phone")})
    resp = await gw.post(
        f"{IN}/applications/{theirs['id']}/licence-fetches", headers=await _token(gw, "clerk")
    )
    assert resp.status_code == 200, resp.text
    assert _by_name(resp.json()).get(BJT_CARD, {}).get("provided_as") != "e_licence"
    assert card["number"] not in resp.text
