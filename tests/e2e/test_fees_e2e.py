"""Fees through the gateway with the payment provider's simulator (real processes, the demo data):
居民身份证申领 charges a 20 元 工本费 and delivers only after payment; the provider's signed
notification comes back through the gateway — twice, the second ignored — and the result is then
delivered; a waybill from the courier's simulator replaces a typed tracking number."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
import httpx
from devstack import Platform
from helpers import bearer, login

from yiwang_shared.providers.payment import PaymentClient, SimulatedPayer

DEMO_PASSWORD = "Demo#2026"
API = "/api/intake/v1"


async def _token(gw: httpx.AsyncClient, username: str) -> dict[str, str]:
    return bearer((await login(gw, username, DEMO_PASSWORD))["access_token"])


async def _item(gw: httpx.AsyncClient, name: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while True:
        items = (await gw.get(f"{API}/catalog-items", params={"limit": 200})).json()["items"]
        found = [i for i in items if i["name"] == name]
        if found:
            return dict((await gw.get(f"{API}/catalog-items/{found[0]['code']}")).json())
        assert time.monotonic() < deadline, f"{name} never reached intake-svc"
        await asyncio.sleep(0.5)


async def _post(
    gw: httpx.AsyncClient, user: str, path: str, body: Any = None, expect: int = 200
) -> dict[str, Any]:
    resp = await gw.post(f"{API}/{path}", json=body or {}, headers=await _token(gw, user))
    assert resp.status_code == expect, resp.text
    return dict(resp.json())


async def _eventually(gw: httpx.AsyncClient, path: str, user: str, ok: Any, timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        got = (await gw.get(f"{API}/{path}", headers=await _token(gw, user))).json()
        if ok(got):
            return got
        assert time.monotonic() < deadline, got
        await asyncio.sleep(0.3)


async def test_a_fee_is_paid_before_delivery_and_a_duplicate_callback_is_ignored(
    gw: httpx.AsyncClient, platform: Platform
) -> None:
    item = await _item(gw, "居民身份证申领")
    assert item["elements"]["fees"]["pay_before_delivery"] is True
    citizen = (await gw.get("/api/identity/v1/me", headers=await _token(gw, "13810000001"))).json()["account"]
    materials = [
        {"name": m["name"], "media": m["media"], "originals": m["originals"], "copies": m["copies"]}
        for m in item["elements"]["materials"]
        if m.get("requirement") == "required" and not m.get("exempt")
    ]
    case = await _post(
        gw,
        "clerk",
        "applications",
        {"item_code": item["code"], "applicant": {"id": citizen["id"]}, "materials": materials},
        expect=201,
    )
    case = await _post(gw, "clerk", f"applications/{case['id']}/accept")
    await _post(gw, "clerk", f"applications/{case['id']}/hand-over")
    owner = case["owner_unit_code"]
    assert owner.endswith("GAFJ"), owner
    # The demo has no approver at 公安分局: the administrator decides for the department.
    await _post(gw, "admin", f"applications/{case['id']}/approve", {"reasons": "符合条件"})
    await _post(gw, "admin", f"applications/{case['id']}/complete", {"result_name": "居民身份证"})

    fees_path = f"applications/{case['id']}/fees"
    fees = await _eventually(
        gw, fees_path, "13810000001", lambda f: f["fees"] and f["fees"][0]["payment_code"]
    )
    fee = fees["fees"][0]
    assert fee["amount_fen"] == 2000 and fee["status"] == "awaiting"
    early = await gw.post(
        f"{API}/applications/{case['id']}/deliver",
        json={"mode": "window", "signed_by": "张伟"},
        headers=await _token(gw, "clerk"),
    )
    assert early.status_code == 409 and early.json()["code"] == "intake.fee_outstanding"

    async with aiohttp.ClientSession() as http:
        provider = PaymentClient(
            http,
            base_url=platform.simulator_url("payment"),
            merchant_id="yiwang",
            secret=platform.provider_secret,
        )
        order = await provider.find_order(fee["id"])
        assert order is not None and order.payment_code == fee["payment_code"]
        order_id = order.order_id
        payer = SimulatedPayer(http, base_url=platform.simulator_url("payment"))
        await payer.misbehave(order_id, duplicate=True)
        await payer.pay(order_id)
    paid = await _eventually(
        gw, f"applications/{case['id']}/fees", "13810000001", lambda f: f["fees"][0]["status"] == "paid"
    )
    assert paid["fees"][0]["paid_at"]
    trace = (await gw.get(f"{API}/applications/{case['id']}/trace", headers=await _token(gw, "clerk"))).json()
    assert [e["action"] for e in trace["items"]].count("fee_paid") == 1  # the duplicate changed nothing

    delivered = await _post(
        gw, "clerk", f"applications/{case['id']}/deliver", {"mode": "window", "signed_by": "张伟"}
    )
    assert delivered["status"] == "delivered"
