"""The logistics simulator's API over real HTTP: waybills by parcel reference, the clock's events
pushed and retried, cancellation, bad input."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
from aiohttp import web

from simulators.common import signing
from simulators.logistics.app import create_app

from .conftest import MERCHANTS, Signed, free_port, logistics_settings, serving


def waybill_body(ref: str, notify_url: str = "http://127.0.0.1:9/notify") -> dict[str, Any]:
    """A valid POST /v1/waybills body."""
    return {
        "parcel_ref": ref,
        "sender": {
            "name": "朝阳区政务服务中心",
            "phone": "010-65090000",
            "address": "北京市朝阳区工体东路3号",
        },
        "recipient": {"name": "王芳", "phone": "13810000003", "address": "北京市海淀区中关村大街1号"},
        "notify_url": notify_url,
    }


async def test_waybills_by_parcel_reference_cancel_and_bad_input(
    http: httpx.AsyncClient, logistics: str
) -> None:
    m1 = Signed(http, logistics)
    created = await m1.post("/v1/waybills", waybill_body("APP-1"))
    assert created.status_code == 201, created.text
    waybill = created.json()
    assert waybill["status"] == "created" and waybill["events"] == []
    again = await m1.post("/v1/waybills", waybill_body("APP-1"))
    assert (again.status_code, again.json()["waybill_no"]) == (200, waybill["waybill_no"])
    assert (
        await Signed(http, logistics, "m2").get(f"/v1/waybills/{waybill['waybill_no']}")
    ).status_code == 404
    cancelled = await m1.post(f"/v1/waybills/{waybill['waybill_no']}/cancel", {})
    assert cancelled.json()["status"] == "cancelled"
    bad = await m1.post("/v1/waybills", {"parcel_ref": "APP-2", "recipient": {"name": ""}})
    assert bad.status_code == 400 and "sender" in bad.json()["message"]
    assert (await http.post(logistics + "/v1/waybills", json=waybill_body("APP-3"))).status_code == 401


async def test_the_clock_pushes_every_event_and_retries_after_a_500(
    http: httpx.AsyncClient, tmp_path: Path
) -> None:
    received: list[tuple[int, dict[str, Any]]] = []
    answers = [500]

    async def notify(request: web.Request) -> web.Response:
        body = await request.read()
        auth = signing.parse(request.headers.get("Authorization"))
        assert auth is not None and signing.matches(MERCHANTS["m1"], auth, "POST", request.path_qs, body)
        status = answers.pop(0) if answers else 200
        received.append((status, await request.json()))
        return web.Response(status=status)

    app = web.Application()
    app.router.add_post("/cb/notify", notify)
    runner = web.AppRunner(app)
    await runner.setup()
    receiver_port, port = free_port(), free_port()
    await web.TCPSite(runner, "127.0.0.1", receiver_port).start()
    try:
        settings = logistics_settings(tmp_path / "l.db", port, step_seconds=0.2)
        async with serving(create_app(settings), port) as url:
            m1 = Signed(http, url)
            notify_url = f"http://127.0.0.1:{receiver_port}/cb/notify?tenant=1"
            waybill = (await m1.post("/v1/waybills", waybill_body("APP-9", notify_url))).json()
            for _ in range(100):
                if sum(1 for status, _ in received if status == 200) == 5:
                    break
                await asyncio.sleep(0.1)
            final = (await m1.get(f"/v1/waybills/{waybill['waybill_no']}")).json()
            notes = (await http.get(f"{url}/sim/waybills/{waybill['waybill_no']}/notifications")).json()
    finally:
        await runner.cleanup()
    assert final["status"] == "delivered"
    assert [e["description"][:3] for e in final["events"]] == [
        "已揽收",
        "运输中",
        "运输中",
        "派送中",
        "已签收",
    ]
    assert received[0][0] == 500 and received[1][1] == received[0][1], "the first event again after the 500"
    delivered = [body["event"] for status, body in received if status == 200]
    assert delivered == final["events"]
    assert [n["status"] for n in notes] == ["delivered"] * 5 and notes[0]["attempts"] == 2
