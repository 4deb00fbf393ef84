"""The licence library end to end, real processes through the gateway: an application for an item
whose result is a licence (the catalogue's `result.licence_type_code`) is completed at intake →
licence-svc issues it to the applicant (intake.application.completed.v1 over NATS) → the citizen
sees it and its signed rendering → staff use it, and fetch it by type, for the case (intake
confirms the application) →
third-party verification says valid → the issuing unit revokes it → verification says invalid.
Also the demo library's licences and the public endpoints' problem answers."""

from __future__ import annotations

import asyncio
import hashlib
import time
from typing import Any

import httpx
from helpers import DEMO_PASSWORD, PASSWORD, assert_problem, bearer, demo_item, login, register

IN = "/api/intake/v1"
LI = "/api/licence/v1"
MZJ = "110105-MZJ"
LICENCE_TYPE = "ZDSHBZJLQZ"  # 最低生活保障金领取证, the result of 城乡最低生活保障对象认定


async def token(gw: httpx.AsyncClient, username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    """A fresh bearer header (e2e access tokens live a few seconds)."""
    return bearer((await login(gw, username, password))["access_token"])


async def _licence_item(gw: httpx.AsyncClient) -> dict[str, Any]:
    """区民政局's item whose result is a 最低生活保障金领取证, once it reached intake over NATS."""
    return await demo_item(
        gw,
        "城乡最低生活保障对象认定",
        unit=MZJ,
        ready=lambda item: (item["elements"].get("result") or {}).get("licence_type_code") == LICENCE_TYPE,
    )


def _materials(item: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"name": m["name"], "media": m["media"], "originals": m["originals"], "copies": m["copies"]}
        for m in item["elements"]["materials"]
        if not m.get("exempt") and m.get("requirement") == "required"
    ]


async def _act(
    gw: httpx.AsyncClient, user: str, app_id: str, action: str, body: Any = None
) -> dict[str, Any]:
    resp = await gw.post(f"{IN}/applications/{app_id}/{action}", json=body, headers=await token(gw, user))
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


async def _completed_application(
    gw: httpx.AsyncClient, item: dict[str, Any], person: dict[str, str]
) -> dict[str, Any]:
    """The demo clerk receives the application, accepts it; the approver decides and completes it."""
    deadline = time.monotonic() + 30
    while True:
        resp = await gw.post(
            f"{IN}/applications",
            json={
                "item_code": item["code"],
                "applicant": {"id": person["id"], "name": "张伟", "phone": person["phone"]},
                "materials": _materials(item),
            },
            headers=await token(gw, "clerk"),
        )
        assert resp.status_code == 201, resp.text
        app = dict(resp.json())
        if app["intake_unit_code"] == "110105-ZWFW-W01":
            break
        await _act(gw, "clerk", app["id"], "withdraw", {"reason": "机构信息未同步，重新接件"})
        assert time.monotonic() < deadline, "org units never reached intake-svc"
        await asyncio.sleep(0.5)
    await _act(gw, "clerk", app["id"], "accept")
    await _act(gw, "clerk", app["id"], "hand-over")
    await _act(
        gw, "approver", app["id"], "steps", {"kind": "review", "opinion": "家庭收入低于标准，情况属实"}
    )
    await _act(gw, "approver", app["id"], "approve", {"reasons": "符合最低生活保障条件"})
    return await _act(gw, "approver", app["id"], "complete", {"result_name": "最低生活保障金领取证"})


async def _issued(gw: httpx.AsyncClient, citizen: dict[str, str], application_no: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while True:
        resp = await gw.get(f"{LI}/licences", headers=citizen)
        assert resp.status_code == 200, resp.text
        for licence in resp.json()["items"]:
            if licence["application_no"] == application_no:
                return dict(licence)
        assert time.monotonic() < deadline, "no licence was issued for the completed application"
        await asyncio.sleep(0.5)


async def _verify(gw: httpx.AsyncClient, licence: dict[str, Any]) -> dict[str, Any]:
    resp = await gw.post(
        f"{LI}/verifications", json={"number": licence["number"], "type_code": licence["type_code"]}
    )
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


async def test_completed_application_issues_a_licence_used_verified_and_revoked(
    gw: httpx.AsyncClient,
) -> None:
    item = await _licence_item(gw)
    person = await register(gw, "张伟")
    app = await _completed_application(gw, item, person)
    assert app["status"] == "completed", app
    citizen = await token(gw, person["phone"], PASSWORD)
    licence = await _issued(gw, citizen, app["application_no"])
    assert licence["type_code"] == LICENCE_TYPE and licence["status"] == "valid"
    assert licence["holder_name"] == "张伟" and licence["issuing_unit_code"] == MZJ

    # The signed rendering: its digest is what the published key signed.
    pdf = await gw.get(f"{LI}/licences/{licence['id']}/rendering", headers=citizen)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert hashlib.sha256(pdf.content).hexdigest() == licence["signature"]["rendering_sha256"]
    keys = (await gw.get(f"{LI}/signing-keys")).json()["keys"]
    assert licence["signature"]["key_id"] in {k["kid"] for k in keys}

    # Staff use it for the holder's own case (intake confirms the approver may see it); recorded.
    used = await gw.post(
        f"{LI}/licences/{licence['id']}/uses",
        json={"application_id": app["id"], "purpose": "核验低保证"},
        headers=await token(gw, "approver"),
    )
    assert used.status_code == 201, used.text
    # Or fetched by type for the case (免提交): the applicant's licence, found from the application.
    fetched = await gw.post(
        f"{LI}/case-fetches",
        json={"application_id": app["id"], "type_code": LICENCE_TYPE, "purpose": "申请材料：低保证"},
        headers=await token(gw, "approver"),
    )
    assert fetched.status_code == 201, fetched.text
    assert fetched.json()["licence"]["id"] == licence["id"]
    uses = (await gw.get(f"{LI}/licences/{licence['id']}/uses", headers=citizen)).json()
    assert [(u["application_no"], u["purpose"]) for u in uses["items"]] == [
        (app["application_no"], "申请材料：低保证"),
        (app["application_no"], "核验低保证"),
    ]

    # A time-limited share anyone can open.
    share = await gw.post(f"{LI}/licences/{licence['id']}/shares", json={"valid_hours": 1}, headers=citizen)
    assert share.status_code == 201, share.text
    # Its link works as given, through the gateway.
    assert share.json()["path"] == f"{LI}/shared/{share.json()['code']}"
    opened = await gw.get(share.json()["path"])
    assert opened.status_code == 200 and opened.json()["valid"] is True

    verified = await _verify(gw, licence)
    assert verified["valid"] is True and verified["status"] == "valid" and "张伟" not in str(verified)

    revoked = await gw.post(
        f"{LI}/licences/{licence['id']}/revoke",
        json={"reason": "复核发现家庭收入超过标准"},
        headers=await token(gw, "approver"),
    )
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked", revoked.text
    verified = await _verify(gw, licence)
    assert verified["valid"] is False and verified["status"] == "revoked"
    assert (await gw.get(f"{LI}/shared/{share.json()['code']}")).json()["valid"] is False


async def test_the_demo_library_and_clear_refusals(gw: httpx.AsyncClient) -> None:
    # 张伟 (demo citizen) finds his ID card, household register and marriage certificate, issued to
    # his resident ID before he ever asked (identity-svc confirms the number to him).
    citizen = await token(gw, "13810000001")
    mine = await gw.get(f"{LI}/licences", headers=citizen)
    assert mine.status_code == 200, mine.text
    assert {"JMSFZ", "HKB", "JHZ"} <= {item["type_code"] for item in mine.json()["items"]}
    # The enterprise's agent (李娜, confirmed grant) does not see them.
    other = await token(gw, "13810000002")
    assert "HKB" not in {
        i["type_code"] for i in (await gw.get(f"{LI}/licences", headers=other)).json()["items"]
    }
    # Staff are no holders; anonymous callers get 401; the verification says what to fix.
    assert_problem(
        await gw.get(f"{LI}/licences", headers=await token(gw, "clerk")), 403, "licence.not_holder"
    )
    assert_problem(await gw.get(f"{LI}/licences"), 401)
    bad = assert_problem(await gw.post(f"{LI}/verifications", json={"number": "", "type_code": "x"}), 422)
    assert bad["errors"]
    unknown = await gw.post(f"{LI}/verifications", json={"number": "JHZ-NONE", "type_code": "JHZ"})
    assert unknown.json()["valid"] is False and unknown.json()["type_name"] == "结婚证"
