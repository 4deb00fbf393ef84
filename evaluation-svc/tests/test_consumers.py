"""Consumed intake, hotline, identity and catalog events: durable (real JetStream), idempotent,
lenient; unusable payloads go to the shared dead-letter stream."""

from __future__ import annotations

import asyncio
import json
import uuid

import httpx
import nats
import pytest
from eval_support import (
    MZJ,
    citizen,
    completed,
    counter,
    deliver,
    handled,
    item_published,
    local_month,
    publish,
    staff,
    submitted_from,
    ticket,
    until,
)
from fastapi import FastAPI
from nats.js.api import ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError
from sqlalchemy import func, select

from evaluation.models import CatalogItem, IndicatorCounter, ServiceEvent
from yiwang_shared.events import PermanentError, make_event
from yiwang_shared.tables import processed_events
from yiwang_shared.testing.nats import NatsServer
from yiwang_shared.testing.tokens import TestTokens


async def _count(app: FastAPI, model: type, *where: object) -> int:
    async with app.state.db.transaction(write=False) as s:
        return int((await s.execute(select(func.count()).select_from(model).where(*where))).scalar_one())


async def test_completed_application_over_jetstream_twice_has_one_effect(
    app: FastAPI, client: httpx.AsyncClient, nats_server: NatsServer
) -> None:
    data = completed(applicant="citizen-a", unit="110105-TWICE")
    env = make_event("intake.application.completed", 1, data, producer="intake")
    await publish(nats_server.url, "intake.application.submitted.v1", submitted_from(data))
    nc = await nats.connect(nats_server.url)
    try:
        js = nc.jetstream()
        body = env.model_dump_json().encode()
        # Two copies past JetStream's own dedup window: the consumer must deduplicate.
        await js.publish(env.subject, body, headers={"Nats-Msg-Id": env.event_id + ":a"})
        await js.publish(env.subject, body, headers={"Nats-Msg-Id": env.event_id + ":b"})
    finally:
        await nc.close()

    async def applied() -> bool:
        return await handled(app, env.event_id)

    await until(applied, "the completed application was never applied")
    await asyncio.sleep(1.0)  # let the second copy arrive and be dropped
    assert await _count(app, ServiceEvent, ServiceEvent.source_id == data["application_id"]) == 1
    assert await counter(app, "unit", "110105-TWICE", "completed") == 1
    assert await counter(app, "unit", "110105-TWICE", "services") == 1


async def test_redelivery_is_a_duplicate(app: FastAPI, client: httpx.AsyncClient) -> None:
    data = ticket("closed", citizen="citizen-b")
    event_id = str(uuid.uuid4())
    assert await deliver(app, "hotline.ticket.closed.v1", data, event_id=event_id) == "handled"
    assert await deliver(app, "hotline.ticket.closed.v1", data, event_id=event_id) == "duplicate"
    assert await _count(app, ServiceEvent, ServiceEvent.source_id == data["ticket_id"]) == 1


async def test_diverted_ticket_is_not_rateable(app: FastAPI, client: httpx.AsyncClient) -> None:
    data = ticket("closed", close_reason="diverted", diversion_reason="110")
    await deliver(app, "hotline.ticket.closed.v1", data)
    assert await _count(app, ServiceEvent, ServiceEvent.source_id == data["ticket_id"]) == 0


async def _dead_letter_of(nats_url: str, event_id: str) -> nats.aio.msg.Msg | None:
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        try:
            sub = await js.pull_subscribe(
                "deadletter.evaluation.>",
                stream="DEADLETTER",
                config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL),
            )
        except NotFoundError:
            return None
        while True:
            try:
                msgs = await sub.fetch(100, timeout=0.5)
            except TimeoutError:  # nats.errors.TimeoutError, or the bare one an empty fetch raises
                return None
            for m in msgs:
                if json.loads(m.data)["event_id"] == event_id:
                    return m
    finally:
        await nc.close()


async def test_payload_missing_a_needed_field_is_dead_lettered_with_the_reason(
    app: FastAPI, client: httpx.AsyncClient, nats_server: NatsServer, tokens: TestTokens
) -> None:
    data = completed(applicant="citizen-dl", unit="110105-DL")
    del data["owner_unit_code"]
    event_id = await publish(nats_server.url, "intake.application.completed.v1", data)
    parked: list[nats.aio.msg.Msg] = []

    async def dead_lettered() -> bool:
        found = await _dead_letter_of(nats_server.url, event_id)
        if found is not None:
            parked.append(found)
        return found is not None

    await until(dead_lettered, "the unusable payload never reached the DEADLETTER stream")
    msg = parked[0]
    assert msg.subject == "deadletter.evaluation.evaluation__intake_application"
    assert msg.headers is not None and "owner_unit_code" in msg.headers["Yiwang-Error"]
    assert msg.headers["Yiwang-Error"].startswith("PermanentError: Completed: unusable fields")
    # Nothing of the handler's transaction is kept, not even the dedup row ...
    assert await _count(app, processed_events, processed_events.c.event_id == event_id) == 0
    assert await _count(app, ServiceEvent, ServiceEvent.source_id == data["application_id"]) == 0
    assert await _count(app, IndicatorCounter) == 0
    # ... so the corrected event, redelivered under the same id, applies.
    fixed = data | {"owner_unit_code": "110105-DL"}
    assert await deliver(app, "intake.application.completed.v1", fixed, event_id=event_id) == "handled"
    assert await counter(app, "unit", "110105-DL", "completed") == 1
    # The private table is gone with its endpoint.
    gone = await client.get("/v1/rejected-events", headers=staff(tokens, MZJ, "admin"))
    assert gone.status_code == 404


async def test_unused_event_types_are_ignored(app: FastAPI, client: httpx.AsyncClient) -> None:
    await deliver(app, "hotline.ticket.created.v1", ticket("created"))
    assert await _count(app, IndicatorCounter) == 0
    assert json.dumps(MZJ)


async def test_org_units_translate_token_unit_ids_to_codes(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    unit_id = str(uuid.uuid4())
    change = {
        "org_unit_id": unit_id,
        "change": "created",
        "changed_fields": [],
        "code": MZJ,
        "name": "区民政局",
        "kind": "department",
        "level": 4,
        "parent_id": None,
        "uscc": None,
        "changed_at": "2026-11-01T00:00:00+00:00",
    }
    event_id = str(uuid.uuid4())
    assert await deliver(app, "identity.org_unit.changed.v1", change, event_id=event_id) == "handled"
    assert await deliver(app, "identity.org_unit.changed.v1", change, event_id=event_id) == "duplicate"
    older = change | {"code": "OLD-CODE", "changed_at": "2026-10-01T00:00:00+00:00"}
    await deliver(app, "identity.org_unit.changed.v1", older)
    data = completed()
    await deliver(app, "intake.application.completed.v1", data)
    # A real token names the unit by id: evaluation resolves it to the code the events use.
    by_id = tokens.headers(subject="clerk-x", kind="staff", roles=["window_clerk"], org_unit=unit_id)
    found = await client.get(f"/v1/service-events?source_id={data['application_id']}", headers=by_id)
    assert [e["unit_code"] for e in found.json()["items"]] == [MZJ]


async def test_a_window_visit_counts_for_the_windows_parent_unit(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    centre, window = str(uuid.uuid4()), str(uuid.uuid4())
    base = {"change": "created", "changed_fields": [], "kind": "centre", "level": 4, "uscc": None}
    at = "2026-11-01T00:00:00+00:00"
    await deliver(
        app,
        "identity.org_unit.changed.v1",
        base
        | {
            "org_unit_id": centre,
            "code": "110105-ZWFW",
            "name": "区政务服务中心",
            "parent_id": None,
            "changed_at": at,
        },
    )
    await deliver(
        app,
        "identity.org_unit.changed.v1",
        base
        | {
            "org_unit_id": window,
            "code": "110105-ZWFW-W01",
            "name": "综合窗口1",
            "parent_id": centre,
            "changed_at": at,
        },
    )
    clerk = tokens.headers(subject="clerk-w", kind="staff", roles=["window_clerk"], org_unit=window)
    visit = await client.post("/v1/window-visits", json={}, headers=clerk)
    assert visit.status_code == 201, visit.text
    event = visit.json()
    assert (event["unit_code"], event["window_code"]) == ("110105-ZWFW", "110105-ZWFW-W01")


async def test_published_items_name_items_in_indicators_and_reports(
    app: FastAPI, client: httpx.AsyncClient, nats_server: NatsServer, tokens: TestTokens
) -> None:
    data = completed(applicant="citizen-item", item="ITEM-GAOLING", at=None)
    data["item_name"] = "高龄津贴（办件上的名称）"
    await deliver(app, "intake.application.completed.v1", data)
    month = local_month(data["completed_at"])
    evaluator = staff(tokens, "110105-ZWB", "evaluator")

    async def item_row_name() -> str | None:
        resp = await client.get(f"/v1/indicators/item?month={month}&key=ITEM-GAOLING", headers=evaluator)
        assert resp.status_code == 200, resp.text
        return resp.json()["items"][0]["name"]  # type: ignore[no-any-return]

    assert await item_row_name() == "高龄津贴（办件上的名称）"  # intake's name: the fallback
    v2 = await publish(
        nats_server.url,
        "catalog.item.published.v1",
        item_published("ITEM-GAOLING", "高龄老年人津贴", version=2),
    )

    async def applied() -> bool:
        return await handled(app, v2)

    await until(applied, "catalog.item.published.v1 never reached evaluation-svc")
    assert await item_row_name() == "高龄老年人津贴"
    older = item_published("ITEM-GAOLING", "旧名称", version=1)
    assert await deliver(app, "catalog.item.published.v1", older) == "handled"
    async with app.state.db.transaction(write=False) as s:
        row = await s.get(CatalogItem, "ITEM-GAOLING")
    assert row is not None and (row.name, row.version_no, row.department_code) == ("高龄老年人津贴", 2, MZJ)
    assert await item_row_name() == "高龄老年人津贴"  # an older version never wins
    # A later completion keeps the catalogue's name on the rateable service, too.
    again = completed(applicant="citizen-item2", item="ITEM-GAOLING")
    await deliver(app, "intake.application.completed.v1", again)
    mine = await client.get("/v1/service-events/mine", headers=citizen(tokens, "citizen-item2"))
    assert mine.json()["items"][0]["item_name"] == "高龄老年人津贴"

    report = await client.get(
        f"/v1/reports/monthly?month={month}&unit={MZJ}&by=item&format=csv",
        headers=staff(tokens, MZJ, "handler"),
    )
    assert report.status_code == 200, report.text
    lines = report.text.lstrip("\ufeff").splitlines()
    assert lines[1].startswith("合计,") and lines[2].startswith("ITEM-GAOLING,高龄老年人津贴,")
    other = await client.get(
        f"/v1/reports/monthly?month={month}&unit=110105-RSJ&by=item", headers=staff(tokens, MZJ, "handler")
    )
    assert other.status_code == 404
    bad_by = await client.get(f"/v1/reports/monthly?month={month}&by=street", headers=evaluator)
    assert bad_by.status_code == 422

    nameless = item_published("ITEM-X", "x")
    del nameless["elements"]["name"]
    with pytest.raises(PermanentError, match=r"elements\.name"):
        await deliver(app, "catalog.item.published.v1", nameless)


async def test_the_applicant_rates_a_completed_application_by_login(
    app: FastAPI, client: httpx.AsyncClient, nats_server: NatsServer, tokens: TestTokens
) -> None:
    applicant = f"person-{uuid.uuid4()}"
    data = completed(applicant=applicant)
    sent = [
        await publish(nats_server.url, "intake.application.submitted.v1", submitted_from(data)),
        await publish(nats_server.url, "intake.application.completed.v1", data),
    ]

    async def applied() -> bool:
        return await handled(app, *sent)

    await until(applied, "intake's events never reached evaluation-svc")
    mine = await client.get("/v1/service-events/mine", headers=citizen(tokens, applicant))
    event = next(e for e in mine.json()["items"] if e["source_id"] == data["application_id"])
    assert event["kind"] == "application"
    other = citizen(tokens, "another-citizen")
    assert all(
        e["source_id"] != data["application_id"]
        for e in (await client.get("/v1/service-events/mine", headers=other)).json()["items"]
    )
    refused = await client.post(
        f"/v1/service-events/{event['id']}/rating", json={"level": 1, "channel": "mobile"}, headers=other
    )
    assert refused.status_code == 404 and refused.json()["code"] == "evaluation.service_event_not_found"
    anonymous = await client.post(
        f"/v1/service-events/{event['id']}/rating", json={"level": 1, "channel": "mobile"}
    )
    assert anonymous.status_code == 403 and anonymous.json()["code"] == "evaluation.not_the_person_served"
    rated = await client.post(
        f"/v1/service-events/{event['id']}/rating",
        json={"level": 1, "channel": "mobile", "comment": "很快"},
        headers=citizen(tokens, applicant),
    )
    assert rated.status_code == 201, rated.text
    assert rated.json()["real_name"] is True
    twice = await client.post(
        f"/v1/service-events/{event['id']}/rating",
        json={"level": 2, "channel": "mobile"},
        headers=citizen(tokens, applicant),
    )
    assert twice.status_code == 409 and twice.json()["code"] == "evaluation.already_rated"
