"""Consumed intake and hotline events: durable (real JetStream), idempotent, lenient."""

from __future__ import annotations

import asyncio
import json
import uuid

import httpx
import nats
from eval_support import MZJ, completed, deliver, ticket
from fastapi import FastAPI
from nats.js.api import StreamConfig
from nats.js.errors import NotFoundError
from sqlalchemy import func, select

from evaluation.models import Fact, RejectedEvent, ServiceEvent
from evaluation.rebuild import check
from yiwang_shared.events import make_event
from yiwang_shared.testing.nats import NatsServer
from yiwang_shared.testing.tokens import TestTokens


async def _count(app: FastAPI, model: type, *where: object) -> int:
    async with app.state.db.transaction(write=False) as s:
        return int((await s.execute(select(func.count()).select_from(model).where(*where))).scalar_one())


async def test_completed_application_over_jetstream_twice_has_one_effect(
    app: FastAPI, client: httpx.AsyncClient, nats_server: NatsServer
) -> None:
    data = completed(applicant="citizen-a")
    env = make_event("intake.application.completed", 1, data, producer="intake")
    nc = await nats.connect(nats_server.url)
    try:
        js = nc.jetstream()
        try:
            await js.stream_info("INTAKE")
        except NotFoundError:
            await js.add_stream(StreamConfig(name="INTAKE", subjects=["intake.>"]))
        body = env.model_dump_json().encode()
        # Two copies past JetStream's own dedup window: the consumer must deduplicate.
        await js.publish(env.subject, body, headers={"Nats-Msg-Id": env.event_id + ":a"})
        await js.publish(env.subject, body, headers={"Nats-Msg-Id": env.event_id + ":b"})
    finally:
        await nc.close()
    where = ServiceEvent.source_id == data["application_id"]
    for _ in range(100):
        if await _count(app, Fact, Fact.kind == "intake.application.completed.v1") >= 1:
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.0)  # let the second copy arrive and be dropped
    assert await _count(app, ServiceEvent, where) == 1
    assert await _count(app, Fact, Fact.kind == "intake.application.completed.v1") == 1
    assert await _count(app, Fact, Fact.kind == "service.registered") == 1


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


async def test_payload_missing_a_needed_field_is_parked_with_the_reason(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    data = completed()
    del data["owner_unit_code"]
    event_id = str(uuid.uuid4())
    assert await deliver(app, "intake.application.completed.v1", data, event_id=event_id) == "handled"
    async with app.state.db.transaction(write=False) as s:
        rejected = await s.get(RejectedEvent, event_id)
    assert rejected is not None and "owner_unit_code" in rejected.reason
    listed = await client.get("/v1/rejected-events", headers=tokens.headers(kind="staff", roles=["admin"]))
    assert [r["event_id"] for r in listed.json()] == [event_id] and "owner_unit_code" in listed.json()[0][
        "reason"
    ]
    assert (
        await client.get("/v1/rejected-events", headers=tokens.headers(kind="staff", roles=["handler"]))
    ).status_code == 403
    assert await _count(app, ServiceEvent, ServiceEvent.source_id == data["application_id"]) == 0
    assert await _count(app, Fact) == 0
    count, diffs = await check(app.state.db.url)
    assert diffs == [] and count == 0


async def test_unused_event_types_are_ignored(app: FastAPI, client: httpx.AsyncClient) -> None:
    await deliver(app, "hotline.ticket.created.v1", ticket("created"))
    assert await _count(app, Fact) == 0
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
    assert [e["unit_code"] for e in found.json()] == [MZJ]


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
    event = visit.json()["service_event"]
    assert (event["unit_code"], event["window_code"]) == ("110105-ZWFW", "110105-ZWFW-W01")
