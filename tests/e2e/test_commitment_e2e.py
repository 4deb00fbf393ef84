"""告知承诺 end to end (issue 20 §4), real processes through the gateway: a citizen applies online for
the demo's commitment item 社会团体成立登记 (区民政局) signing its standard commitment instead of the
materials it replaces; the deciding unit's approver accepts and the case is decided at once
(completed, approved, a decision document) and owes a post-check; the approver finds the commitment
false — the decision is revoked with a 撤销决定书, the applicant is told by SMS, what the case issued
is void in the licence library (intake.application.revoked.v1 over NATS), and the same person's
next application on commitment is refused."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from helpers import DEMO_PASSWORD, PASSWORD, assert_problem, bearer, demo_item, login, register

IN = "/api/intake/v1"
LI = "/api/licence/v1"
ITEM_NAME = "社会团体成立登记"
MZJ = "110105-MZJ"


async def token(gw: httpx.AsyncClient, username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    """A fresh bearer header (e2e access tokens live a few seconds)."""
    return bearer((await login(gw, username, password))["access_token"])


async def _commitment_item(gw: httpx.AsyncClient) -> dict[str, Any]:
    """The demo's published item on commitment, once it reached intake over NATS."""
    return await demo_item(
        gw, ITEM_NAME, unit=MZJ, ready=lambda item: bool(item["elements"].get("commitment"))
    )


def _materials(item: dict[str, Any]) -> list[dict[str, Any]]:
    """Every required material on paper, except those the commitment stands in for."""
    replaced = set(item["elements"]["commitment"]["replaces"])
    return [
        {"name": m["name"], "media": m["media"], "originals": m["originals"], "copies": m["copies"]}
        for m in item["elements"]["materials"]
        if m.get("requirement") == "required" and not m.get("exempt") and m["name"] not in replaced
    ]


async def _apply(
    gw: httpx.AsyncClient, citizen: dict[str, str], item: dict[str, Any], signatory: str
) -> httpx.Response:
    return await gw.post(
        f"{IN}/applications",
        json={
            "item_code": item["code"],
            "materials": _materials(item),
            "commitment": {"agreed": True, "signatory": signatory},
        },
        headers=citizen,
    )


async def _post_check(gw: httpx.AsyncClient, application_id: str) -> dict[str, Any]:
    """The deciding unit's pending post-check of the case, as its approver lists them."""
    offset = 0
    while True:
        resp = await gw.get(
            f"{IN}/post-checks",
            params={"status": "pending", "limit": 200, "offset": offset},
            headers=await token(gw, "approver"),
        )
        assert resp.status_code == 200, resp.text
        page = resp.json()
        for check in page["items"]:
            if check["application_id"] == application_id:
                return dict(check)
        offset += len(page["items"])
        assert page["items"] and offset < page["total"], "no pending post-check for the case"


async def _messages(gw: httpx.AsyncClient, application_id: str, kind: str) -> list[dict[str, Any]]:
    resp = await gw.get(
        f"{IN}/notifications",
        params={"application_id": application_id},
        headers=await token(gw, "supervisor"),
    )
    assert resp.status_code == 200, resp.text
    return [m for m in resp.json()["items"] if m["kind"] == kind]


async def _licences_of(
    gw: httpx.AsyncClient, citizen: dict[str, str], application_no: str
) -> list[dict[str, Any]]:
    resp = await gw.get(f"{LI}/licences", params={"limit": 100}, headers=citizen)
    assert resp.status_code == 200, resp.text
    return [lic for lic in resp.json()["items"] if lic["application_no"] == application_no]


async def _until(what: str, probe: Any, timeout: float = 30) -> Any:
    """Poll `probe()` until it gives something truthy (events travel over NATS)."""
    deadline = time.monotonic() + timeout
    while True:
        got = await probe()
        if got:
            return got
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.5)


async def test_a_commitment_is_decided_at_once_and_revoked_when_the_post_check_finds_it_false(
    gw: httpx.AsyncClient,
) -> None:
    item = await _commitment_item(gw)
    person = await register(gw, "周建国")
    citizen = await token(gw, person["phone"], PASSWORD)

    # Online, on commitment: the replaced materials are not asked for.
    sent = await _apply(gw, citizen, item, "周建国")
    assert sent.status_code == 201, sent.text
    case = sent.json()
    assert case["commitment"]["signatory"] == "周建国" and case["problems"] == [], case
    assert set(case["commitment"]["replaces"]) == set(item["elements"]["commitment"]["replaces"])

    # The deciding unit accepts: decided at once, with a decision document, and owes a post-check.
    decided = await gw.post(
        f"{IN}/applications/{case['id']}/accept", json={}, headers=await token(gw, "approver")
    )
    assert decided.status_code == 200, decided.text
    decided_case = decided.json()
    assert decided_case["status"] == "completed" and decided_case["decision"] == "approved", decided_case
    assert decided_case["decision_no"] and "approval" in {n["kind"] for n in decided_case["notices"]}
    # Its result is a licence (社会团体法人登记证书): issued on completion.
    assert (item["elements"].get("result") or {}).get("licence_type_code") == "STTFRDJZS"
    issued = await _until(
        "no licence was issued for the decided case",
        lambda: _licences_of(gw, citizen, case["application_no"]),
    )
    assert [(lic["status"], lic["type_code"]) for lic in issued] == [("valid", "STTFRDJZS")]
    check = await _post_check(gw, case["id"])
    assert check["unit_code"] == MZJ and check["due_on"] > decided_case["decided_at"][:10]

    # The approver finds the commitment false: the decision is revoked.
    findings = "住所为他人住宅，未经产权人同意；注册资金未到位。"
    recorded = await gw.post(
        f"{IN}/post-checks/{check['id']}/result",
        json={"commitment_held": False, "findings": findings},
        headers=await token(gw, "approver"),
    )
    assert recorded.status_code == 200, recorded.text
    assert recorded.json()["status"] == "failed" and recorded.json()["revocation_no"]
    again = await gw.post(
        f"{IN}/post-checks/{check['id']}/result",
        json={"commitment_held": True, "findings": "再记一次"},
        headers=await token(gw, "approver"),
    )
    assert_problem(again, 409)

    mine = (
        await gw.get(f"{IN}/applications/{case['id']}", headers=await token(gw, person["phone"], PASSWORD))
    ).json()
    assert mine["status"] == "revoked", mine
    [revocation] = [n for n in mine["notices"] if n["kind"] == "decision_revocation"]
    assert revocation["number"] == recorded.json()["revocation_no"]
    html = await gw.get(revocation["html_url"], headers=await token(gw, person["phone"], PASSWORD))
    assert html.status_code == 200 and findings in html.text and decided_case["decision_no"] in html.text
    [sms] = await _messages(gw, case["id"], "decision_revoked")
    assert sms["phone"].endswith(person["phone"][-4:])

    # What the case issued is void in the licence library.
    citizen = await token(gw, person["phone"], PASSWORD)
    void = await _until(
        "the case's licence was not revoked",
        lambda: _revoked(gw, citizen, case["application_no"]),
    )
    assert "告知承诺核查不实" in (void[0]["status_reason"] or "")

    # A false commitment on record: no second application on commitment.
    barred = await _apply(gw, citizen, item, "周建国")
    body = assert_problem(barred, 422, "intake.commitment_barred")
    assert case["application_no"] in str(body["detail"])


async def _revoked(
    gw: httpx.AsyncClient, citizen: dict[str, str], application_no: str
) -> list[dict[str, Any]]:
    return [lic for lic in await _licences_of(gw, citizen, application_no) if lic["status"] == "revoked"]
