"""一件事 through the gateway (real processes, the demo data): at the district centre's window a
clerk takes the demo bundle "开办餐饮店" for a citizen in one submission — catalog-svc's bundle
reached intake-svc as an event — and accepts it with one acceptance number; it goes to
区市场监管局 first and then to 市场监管 and 人力社保 in parallel, and its results are delivered
once; the applicant hears once per step."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from helpers import bearer, login

DEMO_PASSWORD = "Demo#2026"
API = "/api/intake/v1"
CAT = "/api/catalog/v1"
BUNDLE_NAME = "开办餐饮店 一件事"


async def _token(gw: httpx.AsyncClient, username: str) -> dict[str, str]:
    return bearer((await login(gw, username, DEMO_PASSWORD))["access_token"])


async def _bundle(gw: httpx.AsyncClient) -> dict[str, Any]:
    """The demo bundle as catalog-svc shows it (its merged materials)."""
    listed = (await gw.get(f"{CAT}/bundles", params={"limit": 100})).json()["items"]
    code = next(b["code"] for b in listed if b["name"] == BUNDLE_NAME)
    return dict((await gw.get(f"{CAT}/bundles/{code}")).json())


def _materials(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    """Each required material of the merged set once, as the applicant hands it in."""
    return [
        {"name": m["name"], "media": m["media"], "originals": m["originals"], "copies": m["copies"]}
        for m in bundle["materials"]
        if m["requirement"] == "required" and not m["exempt"]
    ]


async def _apply(gw: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    """The clerk's submission, once the bundle and the org units reached intake through NATS."""
    deadline = time.monotonic() + 60
    while True:
        resp = await gw.post(f"{API}/bundle-applications", json=body, headers=await _token(gw, "clerk"))
        if resp.status_code == 201 and resp.json()["cases"][0]["owner_unit_code"]:
            return dict(resp.json())
        assert resp.status_code == 422 and resp.json()["code"] == "intake.bundle_not_found", resp.text
        assert time.monotonic() < deadline, "the demo bundle never reached intake-svc"
        await asyncio.sleep(0.5)


async def _post(
    gw: httpx.AsyncClient, user: str, path: str, body: Any = None, expect: int = 200
) -> dict[str, Any]:
    resp = await gw.post(f"{API}/{path}", json=body or {}, headers=await _token(gw, user))
    assert resp.status_code == expect, resp.text
    return dict(resp.json())


async def test_a_bundle_goes_through_as_one_submission_to_two_departments(gw: httpx.AsyncClient) -> None:
    bundle = await _bundle(gw)
    assert [m["stage"] for m in bundle["members"]] == [1, 2, 2]
    assert bundle["materials_asked"] < bundle["materials_before_merge"]  # shared ones asked once
    citizen = await gw.get("/api/identity/v1/me", headers=await _token(gw, "13810000001"))
    applied = await _apply(
        gw,
        {
            "bundle_code": bundle["code"],
            "applicant": {"id": citizen.json()["account"]["id"]},
            "form": {"applicant_name": "张伟", "shop_name": "张记小馆"},
            "materials": _materials(bundle),
        },
    )
    assert applied["status"] == "submitted" and applied["problems"] == [], applied
    assert applied["channel"] == "window" and len(applied["cases"]) == 3
    units = {c["owner_unit_code"] for c in applied["cases"]}
    assert units == {"110105-SCJGJ", "110105-RSJ"}
    bid = applied["id"]

    accepted = await _post(gw, "clerk", f"bundle-applications/{bid}/accept")
    assert accepted["acceptance_no"] and accepted["status"] == "in_progress" and accepted["stage"] == 1
    first, food, insurance = accepted["cases"]
    assert (first["status"], food["status"], insurance["status"]) == ("under_review", "accepted", "accepted")

    await _post(
        gw, "approver_scj", f"applications/{first['application_id']}/approve", {"reasons": "符合条件"}
    )
    await _post(
        gw, "approver_scj", f"applications/{first['application_id']}/complete", {"result_name": "营业执照"}
    )
    # The licence is issued: both departments of the second stage have their cases now.
    await _post(gw, "approver_scj", f"applications/{food['application_id']}/approve", {"reasons": "符合条件"})
    await _post(
        gw, "approver_rsj", f"applications/{insurance['application_id']}/approve", {"reasons": "材料齐全"}
    )
    await _post(
        gw,
        "approver_scj",
        f"applications/{food['application_id']}/complete",
        {"result_name": "食品经营许可证"},
    )
    await _post(
        gw,
        "approver_rsj",
        f"applications/{insurance['application_id']}/complete",
        {"result_name": "参保登记凭证"},
    )

    mine = await gw.get(f"{API}/bundle-applications/{bid}", headers=await _token(gw, "13810000001"))
    assert mine.json()["status"] == "ready", mine.text
    # One parcel for the three results: the courier's simulator makes one waybill; nothing is typed.
    address = "北京市朝阳区吉祥里1号楼"
    waybill = await _post(
        gw,
        "clerk",
        f"bundle-applications/{bid}/waybills",
        {"recipient_name": "张伟", "recipient_phone": "13810000001", "address": address},
        expect=201,
    )
    assert waybill["bundle_application_id"] == bid and waybill["carrier"]
    delivered = await _post(
        gw,
        "clerk",
        f"bundle-applications/{bid}/deliver",
        {"mode": "post", "tracking_no": waybill["waybill_no"], "address": address},
    )
    assert delivered["status"] == "delivered" and {c["status"] for c in delivered["cases"]} == {"delivered"}
    tracked = await gw.get(
        f"{API}/bundle-applications/{bid}/waybills", headers=await _token(gw, "13810000001")
    )
    assert [w["waybill_no"] for w in tracked.json()["waybills"]] == [waybill["waybill_no"]], tracked.text

    # The applicant heard once per step, from the bundle: its SMS hang on its first case.
    sms = await gw.get(
        f"{API}/notifications",
        params={"application_id": first["application_id"]},
        headers=await _token(gw, "supervisor"),
    )
    assert sms.status_code == 200, sms.text
    kinds = sorted(m["kind"] for m in sms.json()["items"])
    assert kinds == ["accepted", "completed", "delivered"], kinds
    for other in (food, insurance):
        quiet = await gw.get(
            f"{API}/notifications",
            params={"application_id": other["application_id"]},
            headers=await _token(gw, "supervisor"),
        )
        assert quiet.json()["items"] == [], quiet.text


async def test_a_bundle_applied_for_online_reaches_the_centres_window_which_accepts_it_as_one(
    gw: httpx.AsyncClient,
) -> None:
    bundle = await _bundle(gw)
    citizen = await _token(gw, "13810000003")
    deadline = time.monotonic() + 60
    while True:
        resp = await gw.post(
            f"{API}/bundle-applications",
            json={
                "bundle_code": bundle["code"],
                "form": {"applicant_name": "王芳", "shop_name": "芳姐面馆"},
                "materials": [m for m in _materials(bundle) if m["name"] != "申请人居民身份证"],
            },
            headers=citizen,
        )
        if (
            resp.status_code == 201
            and resp.json()["intake_unit_code"]
            and resp.json()["cases"][0]["owner_unit_name"]
        ):
            break
        assert resp.status_code in (201, 422), resp.text  # the bundle or the org units still on the way
        assert time.monotonic() < deadline, resp.text
        await asyncio.sleep(0.5)
    applied = resp.json()
    # Online, no department sees every case: the centre's 一件事 window receives them all …
    assert applied["channel"] == "online" and applied["intake_unit_code"] == "110105-ZWFW-W01", applied
    assert applied["problems"] == [], applied["problems"]  # her ID card came from the licence library
    bid = applied["id"]
    clerk_view = await gw.get(f"{API}/bundle-applications/{bid}", headers=await _token(gw, "clerk"))
    assert clerk_view.status_code == 200 and "accept" in clerk_view.json()["allowed_actions"], clerk_view.text
    # … and accepts them as one: the first stage goes to its department at once.
    accepted = await _post(gw, "clerk", f"bundle-applications/{bid}/accept")
    assert accepted["acceptance_no"] and accepted["stage"] == 1
    assert [c["status"] for c in accepted["cases"]] == ["under_review", "accepted", "accepted"]
    first = await gw.get(
        f"{API}/applications/{accepted['cases'][0]['application_id']}", headers=await _token(gw, "clerk")
    )
    fetched = {m["name"]: m for m in first.json()["materials"]}["申请人居民身份证"]
    assert (fetched["provided_as"], fetched["licence_type_code"]) == ("e_licence", "JMSFZ")
