"""The payment simulator's API over real HTTP: signatures checked, idempotent orders, closing,
refund rules, expiry by its own sweep, the statement as CSV, bad input, state kept across a restart."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from simulators.common import signing
from simulators.payment.app import create_app
from simulators.payment.orders import CHINA, luhn_digit

from .conftest import Signed, free_port, payment_settings, serving


def order_body(no: str, amount_fen: int = 1200, **extra: object) -> dict[str, object]:
    """A valid POST /v1/orders body."""
    return {
        "merchant_order_no": no,
        "amount_fen": amount_fen,
        "subject": "工本费",
        "payer_name": "王芳",
        "notify_url": "http://127.0.0.1:9/notify",
        **extra,
    }


async def test_an_order_has_a_20_digit_payment_code_and_is_idempotent_by_merchant_number(
    http: httpx.AsyncClient, payment: str
) -> None:
    m1 = Signed(http, payment)
    created = await m1.post("/v1/orders", order_body("F-1"))
    assert created.status_code == 201, created.text
    order = created.json()
    code = order["payment_code"]
    assert len(code) == 20 and code.isdigit() and code[-1] == luhn_digit(code[:-1])
    assert order["status"] == "unpaid" and order["version"] == 1
    again = await m1.post("/v1/orders", order_body("F-1"))
    assert (again.status_code, again.json()["order_id"]) == (200, order["order_id"])
    clash = await m1.post("/v1/orders", order_body("F-1", amount_fen=1300))
    assert (clash.status_code, clash.json()["code"]) == (409, "ORDER_NO_CONFLICT")
    # Merchant numbers are per merchant: m2 may use F-1 too, and cannot see m1's order.
    m2 = Signed(http, payment, "m2")
    assert (await m2.post("/v1/orders", order_body("F-1"))).json()["order_id"] != order["order_id"]
    assert (await m2.get(f"/v1/orders/{order['order_id']}")).status_code == 404
    found = await m1.get("/v1/orders/by-merchant-no/F-1")
    assert found.json()["order_id"] == order["order_id"]


async def test_requests_are_refused_unsigned_wrongly_signed_stale_or_replayed(
    http: httpx.AsyncClient, payment: str
) -> None:
    body = (
        b'{"merchant_order_no":"F-2","amount_fen":1,"subject":"s","payer_name":"p","notify_url":"http://x/n"}'
    )
    unsigned = await http.post(payment + "/v1/orders", content=body)
    assert (unsigned.status_code, unsigned.json()["code"]) == (401, "SIGN_MISSING")
    stranger = Signed(http, payment, "m9")
    assert (await stranger.get("/v1/orders/PO1")).json()["code"] == "MERCHANT_UNKNOWN"
    m1 = Signed(http, payment)
    header = signing_header("m1", "secret-one", "POST", "/v1/orders", body, timestamp=int(time.time()))
    tampered = await http.post(
        payment + "/v1/orders",
        content=body.replace(b'"amount_fen":1', b'"amount_fen":2'),
        headers={"Authorization": header},
    )
    assert tampered.json()["code"] == "SIGN_ERROR"
    first = await http.post(
        payment + "/v1/orders",
        content=body,
        headers={"Authorization": header, "Content-Type": "application/json"},
    )
    assert first.status_code == 201
    replay = await http.post(
        payment + "/v1/orders",
        content=body,
        headers={"Authorization": header, "Content-Type": "application/json"},
    )
    assert (replay.status_code, replay.json()["code"]) == (401, "NONCE_REPLAYED")
    stale = signing_header("m1", "secret-one", "GET", "/v1/orders/x", b"", timestamp=int(time.time()) - 301)
    answer = await http.get(payment + "/v1/orders/x", headers={"Authorization": stale})
    assert answer.json()["code"] == "TIMESTAMP_EXPIRED"
    assert (await m1.get("/v1/orders/x")).status_code == 404, "a fresh signature gets through"


def signing_header(
    merchant: str, secret: str, method: str, target: str, body: bytes, *, timestamp: int
) -> str:
    """A header with a chosen timestamp and a fixed nonce (the simulator's own signing code)."""
    nonce = "a" * 32
    sig = signing.signature(secret, method, target, timestamp, nonce, body)
    return (
        f'HMAC-SHA256 merchant_id="{merchant}", timestamp="{timestamp}", nonce="{nonce}", signature="{sig}"'
    )


async def test_bad_input_is_a_400_naming_the_fields(http: httpx.AsyncClient, payment: str) -> None:
    answer = await Signed(http, payment).post("/v1/orders", {"merchant_order_no": "F 3", "amount_fen": 0})
    problem = answer.json()
    assert answer.status_code == 400 and problem["code"] == "PARAM_ERROR"
    for name in ("merchant_order_no", "amount_fen", "subject", "payer_name", "notify_url"):
        assert name in problem["message"]


async def test_close_refund_rules_and_expiry(http: httpx.AsyncClient, payment: str) -> None:
    m1 = Signed(http, payment)
    order = (await m1.post("/v1/orders", order_body("F-4"))).json()
    closed = await m1.post(f"/v1/orders/{order['order_id']}/close", {})
    assert closed.json()["status"] == "closed"
    assert (await m1.post(f"/v1/orders/{order['order_id']}/close", {})).status_code == 200, (
        "closing again is fine"
    )
    refused = await http.post(f"{payment}/sim/orders/{order['order_id']}/pay", json={"channel": "bank"})
    assert (refused.status_code, refused.json()["code"]) == (409, "ORDER_CLOSED")
    no_refund = await m1.post(
        f"/v1/orders/{order['order_id']}/refunds", {"refund_no": "R-1", "amount_fen": 1}
    )
    assert no_refund.json()["code"] == "ORDER_NOT_PAID"

    soon = datetime.now(UTC) + timedelta(seconds=1.5)
    short = (await m1.post("/v1/orders", order_body("F-5", expire_at=soon.isoformat()))).json()
    past = await m1.post("/v1/orders", order_body("F-6", expire_at="2020-01-01T00:00:00+08:00"))
    assert past.status_code == 400
    await asyncio.sleep(2.7)  # the sweep runs every second
    notes = await http.get(f"{payment}/sim/orders/{short['order_id']}/notifications")
    assert notes.json() == [], "expiry is not notified: the merchant queries"
    expired = (await m1.get(f"/v1/orders/{short['order_id']}")).json()
    assert expired["status"] == "expired" and expired["version"] == 2


async def test_the_statement_as_csv(http: httpx.AsyncClient, payment: str) -> None:
    m2 = Signed(http, payment, "m2")
    order = (await m2.post("/v1/orders", order_body("F-7", amount_fen=990))).json()
    await http.post(f"{payment}/sim/orders/{order['order_id']}/pay", json={"channel": "unionpay"})
    await m2.post(f"/v1/orders/{order['order_id']}/refunds", {"refund_no": "R-7", "amount_fen": 90})
    day = datetime.now(CHINA).date().isoformat()
    answer = await m2.get(f"/v1/statements/{day}?format=csv")
    assert answer.headers["content-type"].startswith("text/csv")
    lines = answer.text.strip().split("\n")
    assert lines[0] == "kind,order_id,merchant_order_no,payment_code,refund_no,amount_fen,channel,occurred_at"
    assert [line.split(",")[:6] for line in lines[1:]] == [
        ["payment", order["order_id"], "F-7", order["payment_code"], "", "990"],
        ["refund", order["order_id"], "F-7", order["payment_code"], "R-7", "90"],
    ]
    assert (await m2.get(f"/v1/statements/{day}?format=xml")).status_code == 400


async def test_orders_and_undelivered_notifications_survive_a_restart(
    http: httpx.AsyncClient, tmp_path: Path
) -> None:
    db, port = tmp_path / "payment.db", free_port()
    async with serving(create_app(payment_settings(db, port)), port) as url:
        m1 = Signed(http, url)
        order = (await m1.post("/v1/orders", order_body("F-8"))).json()
        # The notify URL answers nothing: the notification waits, retried.
        await http.post(f"{url}/sim/orders/{order['order_id']}/pay", json={})
    async with serving(create_app(payment_settings(db, port)), port) as url:
        again = (await Signed(http, url).get(f"/v1/orders/{order['order_id']}")).json()
        assert again["status"] == "paid" and again["payment_code"] == order["payment_code"]
        [note] = (await http.get(f"{url}/sim/orders/{order['order_id']}/notifications")).json()
        assert note["status"] == "pending" and note["attempts"] >= 1
