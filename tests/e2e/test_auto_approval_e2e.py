"""秒批 through the gateway (real processes, the demo data): 赵秀兰, 81, registered in the district
and holding a 北京通养老助残卡 in the licence library, applies online for 高龄老年人津贴 and the case
is approved on submission with a decision naming the rules' version; 王芳, 48, applying for the
same item goes to a person, the trace saying which rule did not hold."""

from __future__ import annotations

from typing import Any

import httpx
from helpers import bearer, demo_item, login

DEMO_PASSWORD = "Demo#2026"
API = "/api/intake/v1"


async def _token(gw: httpx.AsyncClient, username: str) -> dict[str, str]:
    return bearer((await login(gw, username, DEMO_PASSWORD))["access_token"])


async def _item(gw: httpx.AsyncClient) -> dict[str, Any]:
    return await demo_item(gw, "高龄老年人津贴")


def _materials(item: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"name": m["name"], "media": m["media"], "originals": m["originals"], "copies": m["copies"]}
        for m in item["elements"]["materials"]
        if m.get("requirement") == "required" and not m.get("exempt")
    ]


async def _apply(gw: httpx.AsyncClient, user: str, item: dict[str, Any]) -> dict[str, Any]:
    resp = await gw.post(
        f"{API}/applications",
        json={"item_code": item["code"], "materials": _materials(item)},
        headers=await _token(gw, user),
    )
    assert resp.status_code == 201, resp.text
    return dict(resp.json())


async def test_an_eligible_resident_is_approved_on_submission_and_another_goes_to_a_person(
    gw: httpx.AsyncClient,
) -> None:
    item = await _item(gw)
    assert item["elements"]["auto_approval"]["version"] == 1
    decided = await _apply(gw, "13810000004", item)
    assert decided["status"] == "completed" and decided["decision"] == "approved", decided
    assert decided["problems"] == [] and decided["acceptance_no"] and decided["decision_no"]
    approval = next(n for n in decided["notices"] if n["kind"] == "approval")
    html = (await gw.get(approval["html_url"], headers=await _token(gw, "13810000004"))).text
    assert "自动审批规则（第1版）" in html and "年满80周岁" in html

    waiting = await _apply(gw, "13810000003", item)
    assert waiting["status"] == "submitted", waiting
    trace = (
        await gw.get(f"{API}/applications/{waiting['id']}/trace", headers=await _token(gw, "13810000003"))
    ).json()
    [checked] = [e for e in trace["items"] if e["action"] == "auto_checked"]
    held = {r["kind"]: r["held"] for r in checked["data"]["rules"]}
    assert held["min_age"] is False and held["resident_of"] is True


async def test_at_the_window_the_rules_run_on_the_data_the_clerk_fetches_from_the_library(
    gw: httpx.AsyncClient,
) -> None:
    item = await _item(gw)
    citizen = await _token(gw, "13810000004")
    me = (await gw.get("/api/identity/v1/me", headers=citizen)).json()["account"]
    # The library knows her account once she has opened it (identity confirms her number to her).
    assert (await gw.get("/api/licence/v1/licences", headers=citizen)).status_code == 200
    form = [m for m in _materials(item) if m["name"] != "北京通—养老助残卡"]  # the library has her card
    resp = await gw.post(
        f"{API}/applications",
        json={"item_code": item["code"], "applicant": {"id": me["id"]}, "materials": form},
        headers=await _token(gw, "clerk"),
    )
    assert resp.status_code == 201, resp.text
    received = resp.json()
    assert received["status"] == "submitted"  # a clerk's token reads no one's data by itself
    fetched = await gw.post(
        f"{API}/applications/{received['id']}/licence-fetches", headers=await _token(gw, "clerk")
    )
    assert fetched.status_code == 200, fetched.text
    decided = fetched.json()
    assert decided["status"] == "completed" and decided["decision"] == "approved", decided
    card = {m["name"]: m for m in decided["materials"]}["北京通—养老助残卡"]
    assert (card["provided_as"], card["licence_no"]) == ("e_licence", "BJT11010520100118")
    trace = (await gw.get(f"{API}/applications/{received['id']}/trace", headers=citizen)).json()
    [checked] = [e for e in trace["items"] if e["action"] == "auto_checked"]
    assert all(r["held"] for r in checked["data"]["rules"]), checked
