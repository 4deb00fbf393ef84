"""Fees and posted results through the providers' simulators (real processes): an approved case
owes the item's fixed fees, the fee worker makes the order (a 缴款码) at the payment provider, the
result is not delivered before payment where the item says so, the provider's signed notification
marks it paid — a duplicate or an older one changes nothing, a forged one is refused —, refunds,
the day's reconciliation; a waybill instead of a typed tracking number, and its tracking events.

The simulators call back to a receiver in the test (the in-process app has no port); the test
relays each callback exactly as it came — headers, body — to the app's notify endpoint."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from alembic.command import downgrade
from bundle_support import bundle_post, publish_bundle, ready_bundle, submit_bundle
from intake_support import DISTRICT, Clock, Directory, Env, elements
from prometheus_client import REGISTRY
from sqlalchemy import select, text

from intake.config import SERVICE_DIR, Settings
from intake.main import create_app
from intake.models.fees import Fee, FeeRefund
from intake.models.notifications import NotificationMessage
from intake.services import metrics
from intake.services.fee_worker import FeeWorker
from yiwang_shared.calendar import SHANGHAI, local_date
from yiwang_shared.migrations import alembic_config, migrate
from yiwang_shared.providers import CallbackVerifier, MemoryNonceStore
from yiwang_shared.providers.logistics import SimulatedCourier
from yiwang_shared.providers.payment import PaymentClient, SimulatedPayer
from yiwang_shared.providers.testing import CallbackReceiver, ReceivedCallback, running_simulator
from yiwang_shared.testing.app import running_app
from yiwang_shared.testing.nats import NatsServer
from yiwang_shared.testing.tokens import TestTokens

MERCHANT, SECRET = "yiwang", "fees-test-secret"
ITEM = "GAFJ-0300"
FEES = {
    "charged": True,
    "items": [{"name": "居民身份证工本费", "standard": "20元/证", "amount_fen": 2000}],
    "pay_before_delivery": True,
}


class FeeEnv(Env):
    """The service with both providers' simulators and the receivers of their callbacks."""

    payment_url: str
    courier_url: str
    payments_in: CallbackReceiver
    tracking_in: CallbackReceiver
    http: aiohttp.ClientSession

    def worker(self) -> FeeWorker:
        """The fee worker, run by the test (its background loop is off)."""
        providers = self.app.state.providers
        return FeeWorker(self.db, providers.payments, self.app.state.settings, self.clock)

    async def relay(self, call: ReceivedCallback, path: str) -> Any:
        """A provider's callback, as it came, to the app."""
        headers = {k: v for k, v in call.headers.items() if k.lower() in ("authorization", "content-type")}
        return await self.client.post(path, content=call.body, headers=headers)


@pytest.fixture
async def fenv(
    database_url: str, nats_server: NatsServer, tokens: TestTokens, tmp_path: Path, directory: Directory
) -> AsyncIterator[FeeEnv]:
    """intake-svc with the payment and logistics simulators as processes."""
    verifier = CallbackVerifier(merchant_id=MERCHANT, secret=SECRET, nonce_store=MemoryNonceStore())
    courier_verifier = CallbackVerifier(merchant_id=MERCHANT, secret=SECRET, nonce_store=MemoryNonceStore())
    async with (
        running_simulator("payment", merchants={MERCHANT: SECRET}) as pay_sim,
        running_simulator(
            "logistics", merchants={MERCHANT: SECRET}, settings={"STEP_SECONDS": "3600"}
        ) as courier,
        CallbackReceiver(verifier) as payments_in,
        CallbackReceiver(courier_verifier) as tracking_in,
        aiohttp.ClientSession() as http,
    ):
        settings = Settings(
            database_url=database_url,
            nats_url=nats_server.url,
            outbox_poll_seconds=0.2,
            supervision_scan_seconds=0,
            storage_dir=str(tmp_path / "files"),
            identity_url=directory.base_url,
            payment_provider_url=pay_sim.url,
            payment_merchant_id=MERCHANT,
            payment_secret=SECRET,
            payment_notify_url=payments_in.url("/notify"),
            logistics_provider_url=courier.url,
            logistics_customer_id=MERCHANT,
            logistics_secret=SECRET,
            logistics_notify_url=tracking_in.url("/track"),
            fee_worker_seconds=0,
        )
        app = create_app(settings)
        clock = Clock()
        app.state.clock = clock
        async with running_app(app, verifier=tokens.verifier()) as c:
            e = FeeEnv(app, c, tokens, clock, directory)
            await e.seed()
            await e.publish_item(ITEM, elements("居民身份证申领", f"{DISTRICT}-SCJGJ", fees=FEES))
            e.payment_url, e.courier_url = pay_sim.url, courier.url
            e.payments_in, e.tracking_in, e.http = payments_in, tracking_in, http
            yield e


async def _completed(env: FeeEnv) -> dict[str, Any]:
    case = await env.to_review(item_code=ITEM)
    await env.post(case["id"], "approve", env.approver)
    return await env.post(case["id"], "complete", env.approver, {"result_name": "居民身份证"})


async def _fees(env: FeeEnv, case_id: str) -> list[dict[str, Any]]:
    resp = await env.client.get(f"/v1/applications/{case_id}/fees", headers=env.citizen)
    assert resp.status_code == 200, resp.text
    return list(resp.json()["fees"])


async def test_a_fee_is_paid_before_the_result_is_delivered_and_a_duplicate_is_ignored(fenv: FeeEnv) -> None:
    case = await _completed(fenv)
    [fee] = await _fees(fenv, case["id"])
    assert (fee["status"], fee["amount_fen"], fee["payment_code"]) == ("new", 2000, None)
    assert await fenv.worker().run_once() == 1
    [fee] = await _fees(fenv, case["id"])
    assert fee["status"] == "awaiting" and len(fee["payment_code"]) == 20
    async with fenv.db.transaction(write=False) as session:
        texts = list(
            await session.scalars(
                select(NotificationMessage.text).where(
                    NotificationMessage.application_id == case["id"],
                    NotificationMessage.kind == "payment_due",
                )
            )
        )
    assert len(texts) == 1 and fee["payment_code"] in texts[0] and "20.00元" in texts[0]
    # Not delivered before payment (先缴费后出件).
    early = await fenv.client.post(
        f"/v1/applications/{case['id']}/deliver",
        json={"mode": "window", "signed_by": "张伟"},
        headers=fenv.clerk,
    )
    assert early.status_code == 409 and early.json()["code"] == "intake.fee_outstanding"
    assert fee["payment_code"] in early.json()["detail"]

    async with fenv.db.transaction(write=False) as session:
        order_id = await session.scalar(select(Fee.provider_order_id).where(Fee.id == fee["id"]))
    payer = SimulatedPayer(fenv.http, base_url=fenv.payment_url)
    await payer.misbehave(order_id, duplicate=True)
    await payer.pay(order_id, channel="alipay")
    calls = await fenv.payments_in.wait_for(lambda c: len(c) >= 2)
    answers = [(await fenv.relay(c, "/v1/payments/notify")).json()["result"] for c in calls[:2]]
    assert answers == ["applied", "stale"]  # the second delivery of the same notification
    [fee] = await _fees(fenv, case["id"])
    assert (fee["status"], fee["channel"]) == ("paid", "alipay") and fee["paid_at"]
    # A forged notification (the body changed after signing) is refused.
    forged = calls[0].body.replace(b'"paid"', b'"refunded"')
    headers = {"authorization": calls[0].headers["Authorization"], "content-type": "application/json"}
    refused = await fenv.client.post("/v1/payments/notify", content=forged, headers=headers)
    assert refused.status_code == 401 and refused.json()["code"] == "intake.callback_refused"

    delivered = await fenv.post(case["id"], "deliver", fenv.clerk, {"mode": "window", "signed_by": "张伟"})
    assert delivered["status"] == "delivered"


async def test_an_older_notification_a_refund_and_the_days_reconciliation(fenv: FeeEnv) -> None:
    case = await _completed(fenv)
    await fenv.worker().run_once()
    [fee] = await _fees(fenv, case["id"])
    async with fenv.db.transaction(write=False) as session:
        order_id = await session.scalar(select(Fee.provider_order_id).where(Fee.id == fee["id"]))
    payer = SimulatedPayer(fenv.http, base_url=fenv.payment_url)
    await payer.misbehave(order_id, out_of_order=True)
    await payer.pay(order_id)
    # A refund made at the provider's counter: its notification overtakes the payment's.
    at_provider = PaymentClient(fenv.http, base_url=fenv.payment_url, merchant_id=MERCHANT, secret=SECRET)
    await at_provider.refund(order_id, refund_no="COUNTER-1", amount_fen=500, reason="窗口多收")
    calls = await fenv.payments_in.wait_for(lambda c: len(c) >= 2)
    first, second = (json.loads(c.body) for c in calls[:2])
    assert (first["event_type"], second["event_type"]) == ("refund.succeeded", "payment.succeeded")
    assert (await fenv.relay(calls[0], "/v1/payments/notify")).json()["result"] == "applied"
    assert (await fenv.relay(calls[1], "/v1/payments/notify")).json()["result"] == "stale"  # older
    [fee] = await _fees(fenv, case["id"])
    assert (fee["status"], fee["refunded_fen"]) == ("paid", 500) and fee["paid_at"]

    too_much = await fenv.client.post(
        f"/v1/fees/{fee['id']}/refund", json={"amount_fen": 1600, "reason": "多收"}, headers=fenv.approver
    )
    assert too_much.status_code == 409 and too_much.json()["code"] == "intake.refund_not_allowed"
    assert "15.00元" in too_much.json()["detail"]
    citizen = await fenv.client.post(
        f"/v1/fees/{fee['id']}/refund", json={"amount_fen": 300, "reason": "多收"}, headers=fenv.citizen
    )
    assert citizen.status_code == 403, citizen.text
    refunded = await fenv.client.post(
        f"/v1/fees/{fee['id']}/refund",
        json={"amount_fen": 300, "reason": "多收工本费"},
        headers=fenv.approver,
    )
    assert refunded.status_code == 200, refunded.text
    # Recorded as asked, with its reason, before the provider reports it: the applicant sees it.
    ours = f"{fee['id'][:24]}-R2"
    [asked] = [i for i in refunded.json()["lines"] if i.get("refund_no") == ours]
    assert (asked["refund_status"], asked["reason"], asked["at"]) == ("requested", "多收工本费", None)
    [mine] = await _fees(fenv, case["id"])
    assert [i["reason"] for i in mine["lines"] if i.get("refund_no") == ours] == ["多收工本费"]
    trace = (await fenv.client.get(f"/v1/applications/{case['id']}/trace", headers=fenv.citizen)).json()
    [entry] = [e for e in trace["items"] if e["action"] == "refund_requested"]
    assert entry["data"]["reason"] == "多收工本费" and entry["data"]["refund_no"] == ours
    # What is being refunded is not there to refund again: 20.00 paid, 5.00 refunded, 3.00 under way.
    over = await fenv.client.post(
        f"/v1/fees/{fee['id']}/refund", json={"amount_fen": 1300, "reason": "多收"}, headers=fenv.approver
    )
    assert over.status_code == 409 and over.json()["code"] == "intake.refund_not_allowed", over.text
    assert "12.00元" in over.json()["detail"] and "3.00元正在退费" in over.json()["detail"]
    # A second refund while the first is in flight is a new one, not the first again.
    second_refund = await fenv.client.post(
        f"/v1/fees/{fee['id']}/refund",
        json={"amount_fen": 100, "reason": "邮寄费退回"},
        headers=fenv.approver,
    )
    assert second_refund.status_code == 200, second_refund.text
    calls = await fenv.payments_in.wait_for(lambda c: len(c) >= 4)
    assert [(await fenv.relay(c, "/v1/payments/notify")).json()["result"] for c in calls[2:4]] == [
        "applied",
        "applied",
    ]
    # The same delivery once more is a replay (its nonce was seen): refused, nothing changes.
    replay = await fenv.relay(calls[2], "/v1/payments/notify")
    assert replay.status_code == 401
    [fee] = await _fees(fenv, case["id"])
    assert fee["refunded_fen"] == 900
    refunds = {i["refund_no"]: (i["refund_status"], i["reason"]) for i in fee["lines"] if i.get("refund_no")}
    assert refunds == {
        "COUNTER-1": ("succeeded", "窗口多收"),
        ours: ("succeeded", "多收工本费"),
        f"{fee['id'][:24]}-R3": ("succeeded", "邮寄费退回"),
    }
    # The provider's day, not the test's moved clock: the day it took the payment (Beijing).
    day = local_date(datetime.fromisoformat(fee["paid_at"])).isoformat()
    denied = await fenv.client.get("/v1/fees/reconciliation", params={"day": day}, headers=fenv.clerk)
    assert denied.status_code == 403
    report = await fenv.client.get("/v1/fees/reconciliation", params={"day": day}, headers=fenv.supervisor)
    assert report.status_code == 200, report.text
    assert report.json()["problems"] == [] and report.json()["matched"] == 4, report.json()

    # The daily pass keeps each day once it is over: the next morning it reconciles that day.
    paid_day = date.fromisoformat(day)
    fenv.clock.now = datetime.combine(paid_day + timedelta(days=1), time(2, 0), tzinfo=SHANGHAI)
    worker = fenv.worker()
    ran = await worker.reconcile_due()
    assert paid_day in ran and len(ran) == 7  # the last week, caught up
    assert await worker.reconcile_due() == []  # kept: nothing runs twice
    kept = await fenv.client.get("/v1/fees/reconciliations", headers=fenv.supervisor)
    assert kept.status_code == 200 and kept.json()["total"] == 7, kept.text
    row = next(r for r in kept.json()["items"] if r["day"] == day)
    assert (row["status"], row["matched"], row["ran_by"], row["problems"]) == ("matched", 4, "system", [])
    assert (await fenv.client.get("/v1/fees/reconciliations", headers=fenv.clerk)).status_code == 403
    again = await fenv.client.post("/v1/fees/reconciliations", json={"day": day}, headers=fenv.supervisor)
    assert again.status_code == 201 and again.json()["ran_by"] != "system", again.text
    today = (paid_day + timedelta(days=1)).isoformat()
    early = await fenv.client.post("/v1/fees/reconciliations", json={"day": today}, headers=fenv.supervisor)
    assert early.status_code == 422 and early.json()["code"] == "intake.reconciliation_too_early"

    # Our own refund reported before its request was recorded: not written, the provider retries.
    too_soon = f"{fee['id'][:24]}-R9"
    await at_provider.refund(order_id, refund_no=too_soon, amount_fen=100, reason="测试")
    calls = await fenv.payments_in.wait_for(lambda c: len(c) >= 5)
    unknown = await fenv.relay(calls[4], "/v1/payments/notify")
    assert unknown.status_code == 409 and unknown.json()["code"] == "intake.refund_not_yet_recorded"
    [fee] = await _fees(fenv, case["id"])
    assert fee["refunded_fen"] == 900 and too_soon not in {i.get("refund_no") for i in fee["lines"]}


async def test_a_day_without_a_statement_is_kept_as_failed_and_tried_again_later(fenv: FeeEnv) -> None:
    away = PaymentClient(fenv.http, base_url="http://127.0.0.1:9", merchant_id=MERCHANT, secret=SECRET)
    worker = FeeWorker(fenv.db, away, fenv.app.state.settings, fenv.clock)
    assert len(await worker.reconcile_due()) == 7
    assert await worker.reconcile_due() == []  # not hammering a provider that is away
    kept = (await fenv.client.get("/v1/fees/reconciliations", headers=fenv.supervisor)).json()["items"]
    assert {r["status"] for r in kept} == {"failed"} and all(r["error"] for r in kept)
    # Operators hear of it: the gauge the alert rules read (YiwangFeeReconciliationFailing).
    await metrics.refresh(fenv.db, fenv.app.state.settings, fenv.clock())
    assert REGISTRY.get_sample_value("yiwang_intake_fee_reconciliation_days", {"status": "failed"}) == 7
    fenv.clock.now = fenv.clock() + timedelta(minutes=11)
    assert len(await fenv.worker().reconcile_due()) == 7  # the provider is back: every day again
    kept = (await fenv.client.get("/v1/fees/reconciliations", headers=fenv.supervisor)).json()["items"]
    assert {r["status"] for r in kept} == {"matched"}
    assert await metrics.reconciliation_days(fenv.db, fenv.clock()) == {
        "matched": 7,
        "mismatched": 0,
        "failed": 0,
    }


async def test_the_order_is_made_again_later_when_the_provider_is_away(fenv: FeeEnv) -> None:
    case = await _completed(fenv)
    away = PaymentClient(fenv.http, base_url="http://127.0.0.1:9", merchant_id=MERCHANT, secret=SECRET)
    worker = FeeWorker(fenv.db, away, fenv.app.state.settings, fenv.clock)
    assert await worker.run_once() == 0
    async with fenv.db.transaction(write=False) as session:
        fee = (await session.scalars(select(Fee).where(Fee.application_id == case["id"]))).one()
    assert (fee.status, fee.attempts) == ("new", 1) and fee.last_error and fee.next_attempt_at
    assert fee.next_attempt_at > fenv.clock()
    assert await worker.run_once() == 0  # not due again yet: no call at all
    assert await fenv.worker().run_once() == 0  # the real provider neither, until the time comes
    fenv.clock.now = fee.next_attempt_at
    assert await fenv.worker().run_once() == 1


async def test_a_result_is_posted_with_the_couriers_waybill(fenv: FeeEnv) -> None:
    await fenv.publish_item("SCJ-0001", elements())  # no fees
    case = await fenv.to_review()
    await fenv.post(case["id"], "approve", fenv.approver)
    await fenv.post(case["id"], "complete", fenv.approver, {"result_name": "食品经营许可证"})
    typed = await fenv.client.post(
        f"/v1/applications/{case['id']}/deliver",
        json={
            "mode": "post",
            "carrier": "EMS",
            "tracking_no": "1234567890123",
            "address": "北京市朝阳区吉祥里1号",
        },
        headers=fenv.clerk,
    )
    assert typed.status_code == 422 and typed.json()["code"] == "intake.waybill_not_found"
    made = await fenv.client.post(
        f"/v1/applications/{case['id']}/waybills",
        json={
            "recipient_name": "张伟",
            "recipient_phone": "13810000001",
            "address": "北京市朝阳区吉祥里1号楼",
        },
        headers=fenv.clerk,
    )
    assert made.status_code == 201, made.text
    waybill = made.json()["waybill_no"]
    posted = await fenv.post(
        case["id"],
        "deliver",
        fenv.clerk,
        {
            "mode": "post",
            "carrier": "中国邮政EMS",
            "tracking_no": waybill,
            "address": "北京市朝阳区吉祥里1号楼",
        },
    )
    assert posted["status"] == "delivered"
    courier = SimulatedCourier(fenv.http, base_url=fenv.courier_url)
    first = await courier.advance(waybill)
    second = await courier.advance(waybill)
    last = second.events[-1].sequence
    calls = await fenv.tracking_in.wait_for(
        lambda c: any(json.loads(x.body)["event"]["sequence"] == last for x in c)
    )
    results = [(await fenv.relay(call, "/v1/waybills/notify")).json()["result"] for call in calls]
    assert results.count("applied") >= 2, results  # the two events we made (and any before them)
    [tracked] = (
        await fenv.client.get(f"/v1/applications/{case['id']}/waybills", headers=fenv.citizen)
    ).json()["waybills"]
    sequences = [e["sequence"] for e in tracked["events"]]
    assert sequences == sorted(set(sequences)) and sequences[-1] == second.events[-1].sequence
    assert tracked["status"] == second.status and first.events[-1].sequence in sequences


async def test_a_bundles_results_go_in_one_parcel_with_one_waybill(fenv: FeeEnv) -> None:
    """一件事 by post: one waybill for the bundle (not a typed number), every case delivered with it,
    the courier's tracking on the bundle and on each case."""
    address = "北京市朝阳区吉祥里1号楼"
    await publish_bundle(fenv)
    pending = await submit_bundle(fenv)
    recipient = {"recipient_name": "张伟", "recipient_phone": "13810000001", "address": address}
    early = await fenv.client.post(
        f"/v1/bundle-applications/{pending['id']}/waybills", json=recipient, headers=fenv.clerk
    )
    assert early.status_code == 409 and early.json()["code"] == "intake.bundle_not_ready", early.text
    bundle = await ready_bundle(fenv)
    typed = await fenv.client.post(
        f"/v1/bundle-applications/{bundle['id']}/deliver",
        json={"mode": "post", "carrier": "EMS", "tracking_no": "1234567890123", "address": address},
        headers=fenv.clerk,
    )
    assert typed.status_code == 422 and typed.json()["code"] == "intake.waybill_not_found", typed.text
    citizen = await fenv.client.post(
        f"/v1/bundle-applications/{bundle['id']}/waybills", json=recipient, headers=fenv.citizen
    )
    assert citizen.status_code == 403, citizen.text
    made = await fenv.client.post(
        f"/v1/bundle-applications/{bundle['id']}/waybills", json=recipient, headers=fenv.clerk
    )
    assert made.status_code == 201, made.text
    waybill = made.json()
    assert waybill["bundle_application_id"] == bundle["id"] and waybill["application_id"] is None
    assert waybill["carrier"] == "中国邮政EMS"
    again = await fenv.client.post(
        f"/v1/bundle-applications/{bundle['id']}/waybills", json=recipient, headers=fenv.clerk
    )
    assert again.status_code == 201 and again.json()["waybill_no"] == waybill["waybill_no"]
    # A case's own number is no bundle's: the parcel is the bundle's, the carrier need not be typed.
    delivered = await bundle_post(
        fenv,
        bundle["id"],
        "deliver",
        fenv.clerk,
        {"mode": "post", "tracking_no": waybill["waybill_no"], "address": address},
    )
    assert delivered["status"] == "delivered" and delivered["delivery_mode"] == "post"
    for case in delivered["cases"]:
        view = (
            await fenv.client.get(f"/v1/applications/{case['application_id']}", headers=fenv.clerk)
        ).json()
        assert view["status"] == "delivered" and view["delivery"]["tracking_no"] == waybill["waybill_no"]
        assert view["delivery"]["carrier"] == "中国邮政EMS"
        trace = (
            await fenv.client.get(f"/v1/applications/{case['application_id']}/trace", headers=fenv.clerk)
        ).json()["items"]
        [ordered] = [e for e in trace if e["action"] == "waybill_created"]
        assert ordered["data"]["bundle_application_id"] == bundle["id"]

    courier = SimulatedCourier(fenv.http, base_url=fenv.courier_url)
    moved = await courier.advance(waybill["waybill_no"])
    last = moved.events[-1].sequence
    calls = await fenv.tracking_in.wait_for(
        lambda c: any(json.loads(x.body)["event"]["sequence"] == last for x in c)
    )
    for call in calls:
        assert (await fenv.relay(call, "/v1/waybills/notify")).status_code == 200
    [tracked] = (
        await fenv.client.get(f"/v1/bundle-applications/{bundle['id']}/waybills", headers=fenv.citizen)
    ).json()["waybills"]
    assert tracked["events"][-1]["sequence"] == last and tracked["status"] == moved.status
    first_case = delivered["cases"][0]["application_id"]
    [on_case] = (
        await fenv.client.get(f"/v1/applications/{first_case}/waybills", headers=fenv.citizen)
    ).json()["waybills"]
    assert on_case["waybill_no"] == waybill["waybill_no"] and on_case["events"] == tracked["events"]
    _, stranger = fenv.person("王芳")
    hidden = await fenv.client.get(f"/v1/bundle-applications/{bundle['id']}/waybills", headers=stranger)
    assert hidden.status_code == 404


async def test_the_migration_moves_refunds_out_of_the_fee_items(fenv: FeeEnv, database_url: str) -> None:
    """intake_0021: a refund kept in the fee's items before (told apart by its refund number) is a
    fee_refunds row after, and the items keep only the fee items."""
    case = await _completed(fenv)
    await fenv.worker().run_once()
    [fee] = await _fees(fenv, case["id"])
    await asyncio.to_thread(downgrade, alembic_config(SERVICE_DIR, database_url), "intake_0020")
    refund = {"refund_no": "OLD-R1", "amount_fen": 300, "at": "2026-09-21T10:00:00+08:00"}
    async with fenv.db.transaction() as session:
        items = [{"name": "工本费", "amount_fen": 1500}, refund]
        await session.execute(
            text("UPDATE fees SET items = :items WHERE id = :id"),
            {"items": json.dumps(items), "id": fee["id"]},
        )
    await migrate(SERVICE_DIR, database_url)
    async with fenv.db.transaction(write=False) as session:
        [moved] = (await session.scalars(select(FeeRefund).where(FeeRefund.fee_id == fee["id"]))).all()
        kept = await session.scalar(select(Fee.items).where(Fee.id == fee["id"]))
    assert (moved.refund_no, moved.amount_fen) == ("OLD-R1", 300)
    assert kept == [{"name": "工本费", "amount_fen": 1500}]
