"""The logistics client and callback verifier against the logistics simulator as a real process:
a waybill travels to 已签收 with every tracking event delivered and verified; the test control;
cancellation before pickup only; a return; signatures refused."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from itertools import count

import aiohttp
import pytest

from yiwang_shared.providers import (
    CallbackVerifier,
    MemoryNonceStore,
    ProviderAuthRefused,
    ProviderConflict,
    ProviderNotFound,
    provider_session,
)
from yiwang_shared.providers.logistics import (
    LogisticsClient,
    Party,
    SimulatedCourier,
    TrackingNotification,
    Waybill,
    read_tracking_notification,
)
from yiwang_shared.providers.testing import CallbackReceiver, RunningSimulator, running_simulator

CUSTOMER, SECRET = "yiwang-intake", "courier-secret-for-tests"
SENDER = Party(name="朝阳区政务服务中心", phone="010-65090000", address="北京市朝阳区工体东路3号")
RECIPIENT = Party(name="王芳", phone="13810000003", address="上海市浦东新区世纪大道100号")
_refs = count(1)


def parcel_ref() -> str:
    """A fresh parcel reference (our application's id in real use)."""
    return f"APP-{datetime.now(UTC):%H%M%S}-{next(_refs):04d}"


@pytest.fixture(scope="module")
async def simulator() -> AsyncIterator[RunningSimulator]:
    # Slow enough that the tests' own steps come first; the clock test makes its own fast one.
    async with running_simulator(
        "logistics", merchants={CUSTOMER: SECRET}, settings={"STEP_SECONDS": "600"}
    ) as sim:
        yield sim


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with provider_session() as s:
        yield s


@pytest.fixture
async def receiver() -> AsyncIterator[CallbackReceiver]:
    verifier = CallbackVerifier(merchant_id=CUSTOMER, secret=SECRET, nonce_store=MemoryNonceStore())
    async with CallbackReceiver(verifier) as r:
        yield r


def client_for(sim: RunningSimulator, session: aiohttp.ClientSession) -> LogisticsClient:
    return LogisticsClient(session, base_url=sim.url, customer_id=CUSTOMER, secret=SECRET)


async def new_waybill(client: LogisticsClient, receiver: CallbackReceiver) -> Waybill:
    return await client.create_waybill(
        parcel_ref=parcel_ref(),
        sender=SENDER,
        recipient=RECIPIENT,
        notify_url=receiver.url("/v1/waybills/notify"),
        remark="办件结果邮寄",
    )


async def test_a_waybill_travels_to_signed_for_on_the_clock_with_every_event_delivered(
    session: aiohttp.ClientSession, receiver: CallbackReceiver
) -> None:
    async with running_simulator(
        "logistics", merchants={CUSTOMER: SECRET}, settings={"STEP_SECONDS": "0.3"}
    ) as sim:
        client = client_for(sim, session)
        waybill = await new_waybill(client, receiver)
        assert waybill.status == "created" and waybill.events == []
        assert len(waybill.waybill_no) == 13 and waybill.waybill_no.isdigit()
        await receiver.wait_for(lambda calls: len(calls) >= 5, timeout=20)
        final = await client.get_waybill(waybill.waybill_no)
    assert final.status == "delivered" and final.finished
    assert [e.code for e in final.events] == [
        "picked_up",
        "in_transit",
        "in_transit",
        "out_for_delivery",
        "delivered",
    ]
    assert [e.sequence for e in final.events] == [1, 2, 3, 4, 5]
    assert final.events[0].description.startswith("已揽收") and final.events[-1].description.startswith(
        "已签收"
    )
    assert final.events[0].location == "北京市朝阳区" and final.events[-1].location == "上海市浦东新区"
    notes = []
    for call in receiver.calls:
        assert call.rejected is None
        notes.append(
            await read_tracking_notification(
                CallbackVerifier(merchant_id=CUSTOMER, secret=SECRET, nonce_store=MemoryNonceStore()),
                method="POST",
                path="/v1/waybills/notify",
                headers=call.headers,
                body=call.body,
            )
        )
    assert [n.event for n in notes] == final.events, "every event pushed once, in order"
    assert [n.status for n in notes][-1] == "delivered" and {n.parcel_ref for n in notes} == {
        waybill.parcel_ref
    }


async def test_the_test_control_advances_at_once_and_a_return_ends_the_journey(
    simulator: RunningSimulator, session: aiohttp.ClientSession, receiver: CallbackReceiver
) -> None:
    client, courier = client_for(simulator, session), SimulatedCourier(session, base_url=simulator.url)
    waybill = await new_waybill(client, receiver)
    assert (await courier.advance(waybill.waybill_no)).status == "picked_up"
    for _ in range(3):
        await courier.advance(waybill.waybill_no)
    returned = await courier.advance(waybill.waybill_no, outcome="returned")
    assert returned.status == "returned" and returned.events[-1].description.startswith("退回")
    with pytest.raises(ProviderConflict) as finished:
        await courier.advance(waybill.waybill_no)
    assert finished.value.code == "WAYBILL_FINISHED"
    calls = await receiver.wait_for(lambda calls: len(calls) >= 5)
    codes = [TrackingNotification.model_validate_json(c.body).event.code for c in calls]
    assert codes == ["picked_up", "in_transit", "in_transit", "out_for_delivery", "returned"]


async def test_cancel_before_pickup_only_and_one_waybill_per_parcel(
    simulator: RunningSimulator, session: aiohttp.ClientSession, receiver: CallbackReceiver
) -> None:
    client, courier = client_for(simulator, session), SimulatedCourier(session, base_url=simulator.url)
    waybill = await new_waybill(client, receiver)
    again = await client.create_waybill(
        parcel_ref=waybill.parcel_ref, sender=SENDER, recipient=RECIPIENT, notify_url=receiver.url()
    )
    assert again.waybill_no == waybill.waybill_no, "the same parcel reference is the same waybill"
    assert await client.find_waybill(waybill.parcel_ref) == await client.get_waybill(waybill.waybill_no)
    assert await client.find_waybill("NO-SUCH-PARCEL") is None
    with pytest.raises(ProviderConflict):
        await client.create_waybill(
            parcel_ref=waybill.parcel_ref,
            sender=SENDER,
            recipient=Party(name="李娜", phone="13810000002", address="北京市朝阳区演示路3号"),
            notify_url=receiver.url(),
        )
    cancelled = await client.cancel_waybill(waybill.waybill_no)
    assert cancelled.status == "cancelled" and cancelled.finished and cancelled.cancelled_at is not None
    with pytest.raises(ProviderConflict):
        await courier.advance(waybill.waybill_no)

    picked = await new_waybill(client, receiver)
    await courier.advance(picked.waybill_no)
    with pytest.raises(ProviderConflict) as too_late:
        await client.cancel_waybill(picked.waybill_no)
    assert too_late.value.code == "WAYBILL_PICKED_UP"
    with pytest.raises(ProviderNotFound):
        await client.get_waybill("1000000000000")


async def test_signatures_are_refused_both_ways(
    simulator: RunningSimulator, session: aiohttp.ClientSession, receiver: CallbackReceiver
) -> None:
    wrong = LogisticsClient(session, base_url=simulator.url, customer_id=CUSTOMER, secret="wrong")
    with pytest.raises(ProviderAuthRefused):
        await new_waybill(wrong, receiver)
    # A receiver that holds another secret refuses the courier's callbacks, which are then retried.
    other = CallbackVerifier(merchant_id=CUSTOMER, secret="not-ours", nonce_store=MemoryNonceStore())
    async with CallbackReceiver(other) as strict:
        waybill = await new_waybill(client_for(simulator, session), strict)
        await SimulatedCourier(session, base_url=simulator.url).advance(waybill.waybill_no)
        calls = await strict.wait_for(lambda calls: len(calls) >= 2)
        assert {c.rejected for c in calls} == {"bad_signature"} and {c.status for c in calls} == {401}
