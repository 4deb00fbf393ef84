"""两个免于提交 end to end, real processes through the gateway (the demo data): materials the licence
library holds for the applicant are fetched and verified, not uploaded.

Online, 王芳 applies for 城乡最低生活保障对象认定 handing in only the forms she signs: her ID card and
户口簿 come from the library, the case says which licence stands for each and its state. For
高龄老年人津贴 her 北京通养老助残卡 (a material every applicant must otherwise bring) is fetched too,
while 张伟, who holds none, is asked for it. At the window the clerk receives 张伟's application and
fetches his ID card and 户口簿 for the case; licence-svc records each use, which 张伟 sees."""

from __future__ import annotations

from typing import Any

import httpx
from helpers import DEMO_PASSWORD, assert_problem, bearer, demo_item, login

IN = "/api/intake/v1"
LI = "/api/licence/v1"
ZHANG_WEI, WANG_FANG = "13810000001", "13810000003"
ID_CARD, HUKOU, BJT_CARD = "申请人居民身份证", "申请人居民户口簿", "北京通—养老助残卡"


async def token(gw: httpx.AsyncClient, username: str) -> dict[str, str]:
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


async def _apply_online(gw: httpx.AsyncClient, user: str, item: dict[str, Any]) -> dict[str, Any]:
    resp = await gw.post(
        f"{IN}/applications",
        json={"item_code": item["code"], "materials": _brought(item)},
        headers=await token(gw, user),
    )
    assert resp.status_code == 201, resp.text
    return dict(resp.json())


async def test_online_the_id_card_household_register_and_card_come_from_the_library(
    gw: httpx.AsyncClient,
) -> None:
    dibao = await _item(gw, "城乡最低生活保障对象认定")
    app = await _apply_online(gw, WANG_FANG, dibao)
    assert app["problems"] == [], app["problems"]
    materials = _by_name(app)
    assert {ID_CARD, HUKOU} <= set(materials) and not any(
        m["provided_as"] == "upload" for m in app["materials"]
    )
    id_card, hukou = materials[ID_CARD], materials[HUKOU]
    assert (id_card["provided_as"], id_card["licence_type_code"], id_card["licence_status"]) == (
        "e_licence",
        "JMSFZ",
        "valid",
    )
    # The ID card's number is her resident ID: masked, as every personal number outside identity.
    assert id_card["licence_no"].startswith("110105********") and "19780925" not in str(app)
    assert (hukou["licence_type_code"], hukou["licence_no"]) == ("HKB", "110105002-0004417")
    trace = (await gw.get(f"{IN}/applications/{app['id']}/trace", headers=await token(gw, WANG_FANG))).json()
    [submitted] = [e for e in trace["items"] if e["action"] == "submitted"]
    assert {f["material"] for f in submitted["data"]["fetched"]} == {ID_CARD, HUKOU}

    # A material every applicant must otherwise bring: fetched for the one who holds it …
    allowance = await _item(gw, "高龄老年人津贴")
    held = await _apply_online(gw, WANG_FANG, allowance)
    card = _by_name(held)[BJT_CARD]
    assert (card["provided_as"], card["licence_no"]) == ("e_licence", "BJT11010520230456")
    assert held["problems"] == [] and held["status"] == "submitted"  # 48: a person decides (秒批 refuses)
    # … and asked for from the one who does not.
    asked = await _apply_online(gw, ZHANG_WEI, allowance)
    assert [(p["material"], p["problem"]) for p in asked["problems"]] == [(BJT_CARD, "missing")]


async def test_at_the_window_the_clerk_fetches_them_for_the_case_and_each_use_is_recorded(
    gw: httpx.AsyncClient,
) -> None:
    dibao = await _item(gw, "城乡最低生活保障对象认定")
    citizen = await token(gw, ZHANG_WEI)
    me = (await gw.get("/api/identity/v1/me", headers=citizen)).json()
    # The library knows which account holds the licences issued to a resident ID once that person
    # has opened it (identity confirms the number to its owner only): 张伟 has, in 北京通.
    licences = (await gw.get(f"{LI}/licences", headers=citizen)).json()["items"]
    hukou = next(lic for lic in licences if lic["type_code"] == "HKB")
    resp = await gw.post(
        f"{IN}/applications",
        json={
            "item_code": dibao["code"],
            "applicant": {"id": me["account"]["id"], "name": "张伟", "phone": ZHANG_WEI},
            "materials": _brought(dibao),
        },
        headers=await token(gw, "clerk"),
    )
    assert resp.status_code == 201, resp.text
    app = resp.json()
    assert ID_CARD not in _by_name(app)  # a clerk's token reads nobody's licences by itself

    # Only those who may accept the case fetch for it (not the applicant: they present their own online).
    refused = await gw.post(f"{IN}/applications/{app['id']}/licence-fetches", headers=citizen)
    assert refused.status_code == 403, refused.text
    fetched = await gw.post(
        f"{IN}/applications/{app['id']}/licence-fetches", headers=await token(gw, "clerk")
    )
    assert fetched.status_code == 200, fetched.text
    materials = _by_name(fetched.json())
    assert (
        materials[ID_CARD]["licence_type_code"] == "JMSFZ"
        and materials[HUKOU]["licence_no"] == "110105001-0012031"
    )
    assert all(materials[m]["licence_status"] == "valid" for m in (ID_CARD, HUKOU))

    # 张伟 sees who used his 户口簿, for which case.
    uses = (await gw.get(f"{LI}/licences/{hukou['id']}/uses", headers=citizen)).json()["items"]
    assert (app["application_no"], f"申请材料：{HUKOU}") in [
        (u["application_no"], u["purpose"]) for u in uses
    ]

    # Once acceptance is decided nothing more is fetched for the case.
    accepted = await gw.post(
        f"{IN}/applications/{app['id']}/accept", json={}, headers=await token(gw, "clerk")
    )
    assert accepted.status_code == 200, accepted.text
    late = await gw.post(f"{IN}/applications/{app['id']}/licence-fetches", headers=await token(gw, "clerk"))
    assert_problem(late, 409, "intake.licence_fetch_not_now")
