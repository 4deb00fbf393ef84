"""免申即享 through the gateway (real processes, the demo data): a resident turning 80 today is
offered 高龄老年人津贴 without applying. The administrator runs today's birthday pass in identity-svc;
intake-svc offers the item to the resident, and texts them by the event's contact ticket (the
mobile is read from identity, never carried on the bus); the resident confirms with where to
receive the result and the case is opened as their online application. A fresh resident has no
household register or 北京通养老助残卡 in the licence library, so the 秒批 rules send the case to a
person (the trace says which rules did not hold); 赵秀兰, offered the item for her 80th birthday
(run again by the administrator), holds both, and her case is decided on confirming."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import httpx
from helpers import DEMO_PASSWORD, PASSWORD, bearer, login, mobile

from yiwang_shared.calendar import local_date
from yiwang_shared.orm import utcnow
from yiwang_shared.validators import resident_id_check_char

IDENTITY = "/api/identity/v1"
INTAKE = "/api/intake/v1"
ALLOWANCE = "高龄老年人津贴"


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February: the birthday of a common year is 28 February
        return date(day.year - years, 2, 28)


async def _until(check: Callable[[], Awaitable[Any]], what: str, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = await check()
        if found:
            return found
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.5)


async def _headers(gw: httpx.AsyncClient, username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    return bearer((await login(gw, username, password))["access_token"])


async def _run_pass(gw: httpx.AsyncClient, day: date) -> dict[str, Any]:
    resp = await gw.post(
        f"{IDENTITY}/birthday-passes", json={"day": day.isoformat()}, headers=await _headers(gw, "admin")
    )
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


async def _allowance_in_intake(gw: httpx.AsyncClient) -> str:
    """The code of 高龄老年人津贴 once intake's catalogue has it (so the pass finds it offered)."""

    async def found() -> str | None:
        items = (await gw.get(f"{INTAKE}/catalog-items", params={"limit": 200})).json()["items"]
        return next((i["code"] for i in items if i["name"] == ALLOWANCE), None)

    return str(await _until(found, f"{ALLOWANCE} never reached intake-svc"))


async def _offer_for(gw: httpx.AsyncClient, headers: dict[str, str], item_code: str) -> dict[str, Any]:
    async def offered() -> dict[str, Any] | None:
        resp = await gw.get(f"{INTAKE}/offers", params={"item_code": item_code}, headers=headers)
        assert resp.status_code == 200, resp.text
        return next(iter(resp.json()["items"]), None)

    return dict(await _until(offered, "the resident was never offered the allowance"))


async def _confirm(
    gw: httpx.AsyncClient, headers: dict[str, str], offer_id: str, mode: str
) -> dict[str, Any]:
    resp = await gw.post(
        f"{INTAKE}/offers/{offer_id}/confirm", json={"delivery": {"mode": mode}}, headers=headers
    )
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


async def _auto_checked(
    gw: httpx.AsyncClient, headers: dict[str, str], application_id: str
) -> dict[str, bool]:
    trace = (await gw.get(f"{INTAKE}/applications/{application_id}/trace", headers=headers)).json()
    [checked] = [e for e in trace["items"] if e["action"] == "auto_checked"]
    return {r["kind"]: r["held"] for r in checked["data"]["rules"]}


async def test_a_resident_turning_80_is_offered_the_allowance_and_confirms_it(gw: httpx.AsyncClient) -> None:
    item_code = await _allowance_in_intake(gw)
    today = local_date(utcnow())  # the platform's processes share this clock
    body = "110105" + _years_before(today, 80).strftime("%Y%m%d") + "318"
    rid, phone = body + resident_id_check_char(body), mobile()
    registered = await gw.post(
        f"{IDENTITY}/persons",
        json={"name": "钱淑珍", "resident_id": rid, "phone": phone, "password": PASSWORD},
    )
    assert registered.status_code == 201, registered.text
    person = await _headers(gw, phone, PASSWORD)

    passed = await _run_pass(gw, today)
    assert passed["day"] == today.isoformat() and passed["persons"] >= 1

    offer = await _offer_for(gw, person, item_code)
    assert offer["status"] == "offered" and offer["reason"] == "您已年满80周岁"
    assert offer["person_name"] == "钱淑珍" and offer["unit_code"] == "110105-MZJ"
    assert offer["allowed_actions"] == ["confirm", "decline"] and offer["application_id"] is None
    # Staff of 区民政局 see the offers of their items; a clerk of another unit does not.
    approver = await _headers(gw, "approver")
    assert (await gw.get(f"{INTAKE}/offers/{offer['id']}", headers=approver)).status_code == 200
    assert (
        await gw.get(f"{INTAKE}/offers/{offer['id']}", headers=await _headers(gw, "clerk"))
    ).status_code == 404
    assert (
        await gw.get(f"{INTAKE}/offers/{offer['id']}", headers=await _headers(gw, "13810000003"))
    ).status_code == 404

    async def texted() -> list[dict[str, Any]]:
        messages = (await gw.get(f"{INTAKE}/notifications", headers=person)).json()["items"]
        return [m for m in messages if m["kind"] == "offer_made"]

    [sms] = await _until(texted, "no SMS asked the resident to confirm")
    assert offer["item_name"] in sms["text"] and "北京通" in sms["text"] and sms["phone"]
    assert sms["phone"][:3] == phone[:3] and sms["phone"][-4:] == phone[-4:]  # their mobile, masked

    confirmed = await _confirm(gw, person, offer["id"], "window")
    assert confirmed["status"] == "confirmed" and confirmed["application_id"]
    case = (await gw.get(f"{INTAKE}/applications/{confirmed['application_id']}", headers=person)).json()
    assert case["channel"] == "online" and case["applicant_name"] == "钱淑珍"
    assert case["item_code"] == item_code and case["delivery_wish"]["mode"] == "window"
    # 80 by the resident ID, but no household register or card in the licence library: the 秒批
    # rules do not all hold, so a person at 区民政局 decides.
    assert case["status"] == "submitted" and case["decision"] is None, case
    assert await _auto_checked(gw, person, case["id"]) == {
        "min_age": True,
        "resident_of": False,
        "holds_licence": False,
    }
    again = await gw.post(
        f"{INTAKE}/offers/{offer['id']}/confirm", json={"delivery": {"mode": "window"}}, headers=person
    )
    assert again.status_code == 409 and again.json()["code"] == "intake.offer_not_offered"


async def test_a_resident_whose_data_prove_it_is_decided_on_confirming(gw: httpx.AsyncClient) -> None:
    item_code = await _allowance_in_intake(gw)
    zhao = await _headers(gw, "13810000004")
    me = (await gw.get(f"{IDENTITY}/me", params={"unmask": "true"}, headers=zhao)).json()["account"]
    born = date(int(me["resident_id"][6:10]), int(me["resident_id"][10:12]), int(me["resident_id"][12:14]))
    eightieth = born.replace(year=born.year + 80)
    await _run_pass(gw, eightieth)  # her 80th birthday, run again by the administrator

    offer = await _offer_for(gw, zhao, item_code)
    assert offer["age"] == 80 and offer["reached_on"] == eightieth.isoformat()
    confirmed = await _confirm(gw, zhao, offer["id"], "locker")
    case = (await gw.get(f"{INTAKE}/applications/{confirmed['application_id']}", headers=zhao)).json()
    # Household register in the district and 北京通养老助残卡 in the library: approved at once.
    assert case["status"] == "completed" and case["decision"] == "approved", case
    assert all((await _auto_checked(gw, zhao, case["id"])).values())
    # Nothing handed in: the card the library holds for her was fetched, the form is the offer's.
    trace = (await gw.get(f"{INTAKE}/applications/{case['id']}/trace", headers=zhao)).json()["items"]
    [submitted] = [e for e in trace if e["action"] == "submitted"]
    assert submitted["data"]["materials"] == []
    assert "北京通—养老助残卡" in [f["material"] for f in submitted["data"]["fetched"]], submitted
    assert any(n["kind"] == "approval" for n in case["notices"])
    answered = await gw.post(f"{INTAKE}/offers/{offer['id']}/decline", headers=zhao)
    assert answered.status_code == 409 and answered.json()["code"] == "intake.offer_not_offered"
