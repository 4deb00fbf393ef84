"""The payment client and callback verifier against the payment simulator as a real process, its
callbacks received on a real port: create, pay, notify; duplicates, out-of-order, refunds,
expiry, signatures refused both ways, replays, the day's statement, retries after a 500."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from itertools import count
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from yiwang_shared.providers import (
    CallbackRejected,
    CallbackVerifier,
    MemoryNonceStore,
    ProviderAuthRefused,
    ProviderConflict,
    ProviderNotFound,
    provider_session,
)
from yiwang_shared.providers.payment import (
    PaymentClient,
    PaymentNotification,
    PaymentOrder,
    SimulatedPayer,
    read_payment_notification,
)
from yiwang_shared.providers.reconciliation import Booked, reconcile
from yiwang_shared.providers.signing import signed_authorization
from yiwang_shared.providers.testing import CallbackReceiver, RunningSimulator, running_simulator

MERCHANT, SECRET = "yiwang-intake", "s3cret-for-tests-only"
_numbers = count(1)


def number(prefix: str) -> str:
    """A fresh merchant number for this session."""
    return f"{prefix}{datetime.now(UTC):%H%M%S}{next(_numbers):04d}"


@pytest.fixture(scope="module")
async def simulator() -> AsyncIterator[RunningSimulator]:
    async with running_simulator(
        "payment", merchants={MERCHANT: SECRET, "other": "other-secret"}, settings={"HOLD_SECONDS": "20"}
    ) as sim:
        yield sim


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with provider_session() as s:
        yield s


@pytest.fixture
def client(simulator: RunningSimulator, session: aiohttp.ClientSession) -> PaymentClient:
    return PaymentClient(session, base_url=simulator.url, merchant_id=MERCHANT, secret=SECRET)


@pytest.fixture
def payer(simulator: RunningSimulator, session: aiohttp.ClientSession) -> SimulatedPayer:
    return SimulatedPayer(session, base_url=simulator.url)


@pytest.fixture
async def receiver() -> AsyncIterator[CallbackReceiver]:
    verifier = CallbackVerifier(merchant_id=MERCHANT, secret=SECRET, nonce_store=MemoryNonceStore())
    async with CallbackReceiver(verifier) as r:
        yield r


def notifications(receiver: CallbackReceiver) -> list[PaymentNotification]:
    """The accepted callbacks, read."""
    return [PaymentNotification.model_validate_json(c.body) for c in receiver.accepted]


async def clear_of_midnight(margin: float = 10.0) -> None:
    """Wait until China's midnight is not within `margin` seconds, so a test's payments and its
    statement fall on one day whatever the clock (make test-clock starts at 23:59:59)."""
    now = datetime.now(ZoneInfo("Asia/Shanghai"))
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    if (midnight - now).total_seconds() < margin:
        await asyncio.sleep((midnight - now).total_seconds() + 2)


async def new_order(
    client: PaymentClient,
    receiver: CallbackReceiver,
    amount_fen: int = 5000,
    expire_at: datetime | None = None,
) -> PaymentOrder:
    """An unpaid order whose notifications go to the receiver."""
    return await client.create_order(
        merchant_order_no=number("F"),
        amount_fen=amount_fen,
        subject="不动产登记费",
        payer_name="王芳",
        notify_url=receiver.url("/v1/payments/notify"),
        expire_at=expire_at,
    )


async def test_create_pay_and_a_verified_notification(
    client: PaymentClient, payer: SimulatedPayer, receiver: CallbackReceiver
) -> None:
    order = await new_order(client, receiver)
    assert order.status == "unpaid" and len(order.payment_code) == 20 and order.payment_code.isdigit()
    assert order.pay_url.endswith(f"/pay/{order.order_id}")
    again = await client.create_order(
        merchant_order_no=order.merchant_order_no,
        amount_fen=5000,
        subject="不动产登记费",
        payer_name="王芳",
        notify_url=receiver.url("/v1/payments/notify"),
    )
    assert again.order_id == order.order_id, "the same merchant order number is the same order"

    paid = await payer.pay(order.order_id, channel="alipay")
    assert paid.status == "paid" and paid.channel == "alipay"
    await receiver.wait_for(lambda calls: len(calls) >= 1)
    [note] = notifications(receiver)
    assert note.event_type == "payment.succeeded"
    assert note.order.order_id == order.order_id and note.order.status == "paid" and note.order.is_paid
    assert note.order.version > order.version
    assert (await client.get_order(order.order_id)).status == "paid"
    assert (await client.find_order(order.merchant_order_no)) == await client.get_order(order.order_id)
    assert await client.find_order("NO-SUCH-ORDER") is None


async def test_a_duplicate_notification_comes_with_the_same_notify_id_and_a_fresh_nonce(
    client: PaymentClient, payer: SimulatedPayer, receiver: CallbackReceiver
) -> None:
    order = await new_order(client, receiver)
    await payer.misbehave(order.order_id, duplicate=True)
    await payer.pay(order.order_id)
    await receiver.wait_for(lambda calls: len(calls) >= 2)
    await asyncio.sleep(0.5)  # no third
    first, second = receiver.calls
    assert first.rejected is None and second.rejected is None, "both pass the verifier"
    assert first.body == second.body
    assert first.headers["Authorization"] != second.headers["Authorization"], "signed afresh"
    assert len({n.notify_id for n in notifications(receiver)}) == 1, "one notification, delivered twice"


async def test_an_older_state_arrives_after_a_newer_one(
    client: PaymentClient, payer: SimulatedPayer, receiver: CallbackReceiver
) -> None:
    order = await new_order(client, receiver)
    await payer.misbehave(order.order_id, out_of_order=True)
    await payer.pay(order.order_id)
    await asyncio.sleep(0.6)
    assert receiver.calls == [], "the payment's notification is held back"
    refund = await client.refund(order.order_id, refund_no=number("R"), amount_fen=5000, reason="申请人撤回")
    assert refund.status == "succeeded"
    await receiver.wait_for(lambda calls: len(calls) >= 2)
    newer, older = notifications(receiver)
    assert (newer.event_type, newer.order.status) == ("refund.succeeded", "refunded")
    assert (older.event_type, older.order.status) == ("payment.succeeded", "paid")
    assert older.order.version < newer.order.version, "the version tells the receiver which is newer"


async def test_refunds_partial_full_idempotent_and_notified(
    client: PaymentClient, payer: SimulatedPayer, receiver: CallbackReceiver
) -> None:
    order = await new_order(client, receiver, amount_fen=3000)
    with pytest.raises(ProviderConflict) as unpaid:
        await client.refund(order.order_id, refund_no=number("R"), amount_fen=100)
    assert unpaid.value.code == "ORDER_NOT_PAID"
    await payer.pay(order.order_id)
    first_no = number("R")
    part = await client.refund(order.order_id, refund_no=first_no, amount_fen=1000, reason="多收退还")
    assert await client.refund(order.order_id, refund_no=first_no, amount_fen=1000) == part, "idempotent"
    with pytest.raises(ProviderConflict) as reused:
        await client.refund(order.order_id, refund_no=first_no, amount_fen=999)
    assert reused.value.code == "REFUND_NO_CONFLICT"
    assert (await client.get_order(order.order_id)).model_dump(include={"status", "refunded_fen"}) == {
        "status": "paid",
        "refunded_fen": 1000,
    }
    with pytest.raises(ProviderConflict) as too_much:
        await client.refund(order.order_id, refund_no=number("R"), amount_fen=2001)
    assert too_much.value.code == "REFUND_EXCEEDS"
    rest = await client.refund(order.order_id, refund_no=number("R"), amount_fen=2000)
    assert (await client.get_order(order.order_id)).status == "refunded"
    assert await client.get_refund(order.order_id, rest.refund_no) == rest
    with pytest.raises(ProviderNotFound):
        await client.get_refund(order.order_id, "NO-SUCH-REFUND")
    await receiver.wait_for(lambda calls: len(calls) >= 3)
    kinds = [(n.event_type, n.refund.refund_no if n.refund else None) for n in notifications(receiver)]
    assert kinds == [
        ("payment.succeeded", None),
        ("refund.succeeded", first_no),
        ("refund.succeeded", rest.refund_no),
    ]


async def test_an_order_expires_and_a_closed_one_cannot_be_paid(
    client: PaymentClient, payer: SimulatedPayer, receiver: CallbackReceiver
) -> None:
    soon = await new_order(client, receiver, expire_at=datetime.now(UTC) + timedelta(seconds=1.5))
    # Room for the simulator's clock to be behind ours (processes under make test-clock differ
    # by up to a second).
    await asyncio.sleep(2.6)
    assert (await client.get_order(soon.order_id)).status == "expired"
    with pytest.raises(ProviderConflict) as expired:
        await payer.pay(soon.order_id)
    assert expired.value.code == "ORDER_EXPIRED"

    order = await new_order(client, receiver)
    closed = await client.close_order(order.order_id)
    assert closed.status == "closed" and closed.closed_at is not None
    with pytest.raises(ProviderConflict):
        await payer.pay(order.order_id)
    paid = await new_order(client, receiver)
    await payer.pay(paid.order_id)
    with pytest.raises(ProviderConflict) as not_closable:
        await client.close_order(paid.order_id)
    assert not_closable.value.code == "ORDER_NOT_CLOSABLE"
    assert receiver.calls == [] or all(
        PaymentNotification.model_validate_json(c.body).order.order_id == paid.order_id
        for c in receiver.calls
    ), "nothing is notified for expiry or closing"


async def test_our_bad_signature_and_a_replayed_request_are_refused(
    simulator: RunningSimulator,
    session: aiohttp.ClientSession,
    client: PaymentClient,
    receiver: CallbackReceiver,
) -> None:
    wrong = PaymentClient(session, base_url=simulator.url, merchant_id=MERCHANT, secret="not-the-secret")
    with pytest.raises(ProviderAuthRefused) as refused:
        await new_order(wrong, receiver)
    assert refused.value.code == "SIGN_ERROR"
    stranger = PaymentClient(session, base_url=simulator.url, merchant_id="nobody", secret=SECRET)
    with pytest.raises(ProviderAuthRefused) as unknown:
        await stranger.get_order("PO1")
    assert unknown.value.code == "MERCHANT_UNKNOWN"

    # A captured request sent again, byte for byte: its nonce is spent.
    order = await new_order(client, receiver)
    path = f"/v1/orders/{order.order_id}"
    header = signed_authorization(MERCHANT, SECRET, "GET", path, b"")
    async with session.get(simulator.url + path, headers={"Authorization": header}) as first:
        assert first.status == 200
    async with session.get(simulator.url + path, headers={"Authorization": header}) as replay:
        assert replay.status == 401 and (await replay.json())["code"] == "NONCE_REPLAYED"
    old = signed_authorization(
        MERCHANT, SECRET, "GET", path, b"", timestamp=int(datetime.now(UTC).timestamp()) - 3600
    )
    async with session.get(simulator.url + path, headers={"Authorization": old}) as stale:
        assert stale.status == 401 and (await stale.json())["code"] == "TIMESTAMP_EXPIRED"

    # Another merchant cannot see our order.
    other = PaymentClient(session, base_url=simulator.url, merchant_id="other", secret="other-secret")
    with pytest.raises(ProviderNotFound):
        await other.get_order(order.order_id)


async def test_a_callback_with_a_bad_signature_or_a_replayed_nonce_is_refused(
    client: PaymentClient, payer: SimulatedPayer, receiver: CallbackReceiver, session: aiohttp.ClientSession
) -> None:
    order = await new_order(client, receiver)
    await payer.pay(order.order_id)
    [genuine] = await receiver.wait_for(lambda calls: len(calls) >= 1)
    assert genuine.rejected is None
    notify_url = receiver.url("/v1/payments/notify")

    # The same callback again, byte for byte (a replay by someone who saw it): refused.
    async with session.post(notify_url, data=genuine.body, headers=genuine.headers) as replay:
        assert replay.status == 401
    # The body changed (a forged amount) under the genuine signature: refused.
    forged = json.loads(genuine.body)
    forged["order"]["amount_fen"] = 1
    headers = {"Authorization": genuine.headers["Authorization"], "Content-Type": "application/json"}
    async with session.post(notify_url, data=json.dumps(forged).encode(), headers=headers) as bad:
        assert bad.status == 401
    assert [c.rejected for c in receiver.calls[1:]] == ["replayed_nonce", "bad_signature"]

    # The verifier on its own: the path signed is the notify URL's, unsigned and stale are refused.
    verifier = CallbackVerifier(merchant_id=MERCHANT, secret=SECRET, nonce_store=MemoryNonceStore())
    with pytest.raises(CallbackRejected) as elsewhere:
        await verifier.verify(method="POST", path="/other", headers=genuine.headers, body=genuine.body)
    assert elsewhere.value.reason == "bad_signature"
    with pytest.raises(CallbackRejected) as unsigned:
        await read_payment_notification(
            verifier, method="POST", path="/v1/payments/notify", headers={}, body=b"{}"
        )
    assert unsigned.value.reason == "missing_signature"
    later = CallbackVerifier(
        merchant_id=MERCHANT, secret=SECRET, nonce_store=MemoryNonceStore(), clock=lambda: 4_000_000_000.0
    )
    with pytest.raises(CallbackRejected) as stale:
        await later.verify(
            method="POST", path="/v1/payments/notify", headers=genuine.headers, body=genuine.body
        )
    assert stale.value.reason == "stale_timestamp"
    fresh = CallbackVerifier(merchant_id=MERCHANT, secret=SECRET, nonce_store=MemoryNonceStore())
    note = await read_payment_notification(
        fresh, method="POST", path="/v1/payments/notify", headers=genuine.headers, body=genuine.body
    )
    assert note.order.order_id == order.order_id


async def test_callbacks_are_retried_until_the_receiver_answers_2xx(
    client: PaymentClient, payer: SimulatedPayer, receiver: CallbackReceiver
) -> None:
    receiver.answers.extend([500, 503])
    order = await new_order(client, receiver)
    await payer.pay(order.order_id)
    calls = await receiver.wait_for(lambda calls: len(calls) >= 3)
    assert [c.status for c in calls] == [500, 503, 204]
    assert len({json.loads(c.body)["notify_id"] for c in calls}) == 1, "the same notification each time"
    assert len({c.headers["Authorization"] for c in calls}) == 3, "each attempt signed afresh"


async def test_the_days_statement_matches_the_payments_and_refunds(
    session: aiohttp.ClientSession,
    simulator: RunningSimulator,
    payer: SimulatedPayer,
) -> None:
    # A merchant of its own, so the statement holds only this test's orders.
    own = PaymentClient(session, base_url=simulator.url, merchant_id="other", secret="other-secret")
    verifier = CallbackVerifier(merchant_id="other", secret="other-secret", nonce_store=MemoryNonceStore())
    async with CallbackReceiver(verifier) as receiver:
        await _statement_matches(own, payer, receiver)


async def _statement_matches(own: PaymentClient, payer: SimulatedPayer, receiver: CallbackReceiver) -> None:
    await clear_of_midnight()
    orders = [await new_order(own, receiver, amount_fen=amount) for amount in (1000, 2550, 700)]
    for order in orders[:2]:
        await payer.pay(order.order_id)
    refund = await own.refund(orders[1].order_id, refund_no=number("R"), amount_fen=550)
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    statement = await own.statement(today)
    payments = {(line.order_id, line.amount_fen) for line in statement.lines if line.kind == "payment"}
    assert payments == {(orders[0].order_id, 1000), (orders[1].order_id, 2550)}, "the unpaid one is not there"
    [refund_line] = [line for line in statement.lines if line.kind == "refund"]
    assert (refund_line.refund_no, refund_line.amount_fen) == (refund.refund_no, 550)
    assert (statement.payments_count, statement.payments_fen) == (2, 3550)
    assert (statement.refunds_count, statement.refunds_fen, statement.net_fen) == (1, 550, 3000)

    rows = list(csv.DictReader(io.StringIO(await own.statement_csv(today))))
    assert sorted((r["kind"], r["order_id"], int(r["amount_fen"])) for r in rows) == sorted(
        (line.kind, line.order_id, line.amount_fen) for line in statement.lines
    )
    assert (await own.statement(today - timedelta(days=1))).lines == []

    # Reconciled against what we booked: balanced; then with a wrong amount, a refund we did not
    # book and a payment the provider never had.
    booked = [
        Booked("payment", orders[0].merchant_order_no, 1000),
        Booked("payment", orders[1].merchant_order_no, 2550),
        Booked("refund", orders[1].merchant_order_no, 550, refund.refund_no),
    ]
    result = reconcile(statement, booked)
    assert result.balanced and result.matched == 3 and result.date == today
    off = reconcile(
        statement,
        [
            booked[0],
            Booked("payment", orders[1].merchant_order_no, 2500),
            Booked("payment", orders[2].merchant_order_no, 700),
        ],
    )
    assert not off.balanced and off.matched == 1
    assert [
        (d.merchant_order_no, d.kind, d.problem, d.ours_fen, d.theirs_fen) for d in off.discrepancies
    ] == [
        (orders[1].merchant_order_no, "payment", "amount_differs", 2500, 2550),
        (orders[1].merchant_order_no, "refund", "only_at_provider", None, 550),
        (orders[2].merchant_order_no, "payment", "only_ours", 700, None),
    ]
    await receiver.wait_for(lambda calls: len(calls) >= 3)
    assert [c.rejected for c in receiver.calls] == [None, None, None], (
        "the other merchant's callbacks are its own"
    )
