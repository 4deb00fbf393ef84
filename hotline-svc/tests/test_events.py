"""Events on real NATS JetStream: what hotline publishes validates against the committed schemas
and reaches the HOTLINE stream; catalogue and org events feed the read models once per event."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

import httpx
import nats
from fastapi import FastAPI
from hotline_support import D, People, act, create
from jsonschema import Draft202012Validator
from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import StreamConfig
from nats.js.errors import NotFoundError
from sqlalchemy import func, select

from hotline import events
from hotline.models import CatalogItem, KbEntry, KbVersion, OrgUnit, Ticket
from yiwang_shared.events import make_event
from yiwang_shared.tables import outbox
from yiwang_shared.testing.guards import stale_event_schemas
from yiwang_shared.testing.nats import NatsServer


def test_committed_schemas_are_current() -> None:
    """Regenerate with `python -m hotline.events` when a payload changes (bump .vN on a break)."""
    assert stale_event_schemas(events.HOTLINE) == []


def _validators() -> dict[str, Draft202012Validator]:
    return {p.subject(): Draft202012Validator(events.HOTLINE.event_schema(p)) for p in events.EVENTS}


async def _pull(nats_url: str, ids: set[str], timeout: float = 15) -> dict[str, dict[str, Any]]:
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    found: dict[str, dict[str, Any]] = {}
    deadline = time.monotonic() + timeout
    try:
        sub = await js.pull_subscribe("hotline.>", durable="test__" + uuid.uuid4().hex[:10], stream="HOTLINE")
        while ids - set(found) and time.monotonic() < deadline:
            try:
                msgs = await sub.fetch(200, timeout=0.5)
            except (NatsTimeout, TimeoutError):
                continue
            for m in msgs:
                body = json.loads(m.data)
                if body["event_id"] in ids:
                    found[body["event_id"]] = body
                await m.ack()
    finally:
        await nc.close()
    return found


async def test_published_events_match_their_schemas_and_reach_nats(
    app: FastAPI, hl: httpx.AsyncClient, people: People, nats_server: NatsServer
) -> None:
    t = await create(hl, people.agent)
    unit = people.handler(f"{D}001-FWZX")
    await act(hl, t["id"], "return", unit, {"reason": "不属于街道职责"})
    await act(hl, t["id"], "dispatch", people.dispatcher, {"unit_code": f"{D}001-FWZX", "note": "驳回异议"})
    await act(hl, t["id"], "respond", unit, {})
    await act(hl, t["id"], "reply", unit, {"reply": "已处理"})
    await act(hl, t["id"], "call-back", people.agent, {"resolved": False, "satisfaction": "not"})
    await act(hl, t["id"], "reopen", people.agent, {"reason": "未解决"})
    await act(hl, t["id"], "respond", unit, {})
    await act(hl, t["id"], "reply", unit, {"reply": "已解决"})
    await act(hl, t["id"], "call-back", people.agent, {"resolved": True, "satisfaction": "satisfied"})
    await act(hl, t["id"], "close", people.agent, {})
    async with app.state.db.transaction(write=False) as session:
        rows = (
            await session.execute(
                select(outbox.c.event_id, outbox.c.subject, outbox.c.payload).order_by(outbox.c.id)
            )
        ).all()
    subjects = [r.subject for r in rows]
    assert subjects == [
        "hotline.ticket.created.v1",
        "hotline.ticket.dispatched.v1",
        "hotline.ticket.returned.v1",
        "hotline.ticket.dispatched.v1",
        "hotline.ticket.responded.v1",
        "hotline.ticket.replied.v1",
        "hotline.ticket.called_back.v1",
        "hotline.ticket.reopened.v1",
        "hotline.ticket.dispatched.v1",
        "hotline.ticket.responded.v1",
        "hotline.ticket.replied.v1",
        "hotline.ticket.called_back.v1",
        "hotline.ticket.closed.v1",
    ]
    validators = _validators()
    for r in rows:
        validators[r.subject].validate(json.loads(r.payload))
    closed = json.loads(rows[-1].payload)["data"]
    assert (closed["close_reason"], closed["resolved"], closed["satisfaction"]) == (
        "completed",
        True,
        "satisfied",
    )
    redispatch = json.loads(rows[3].payload)["data"]
    assert redispatch["redispatch"] is True and redispatch["first_unit_code"] == f"{D}001-FWZX"
    on_nats = await _pull(nats_server.url, {r.event_id for r in rows})
    assert len(on_nats) == len(rows)


async def _ensure_stream(nats_url: str, name: str) -> None:
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        try:
            await js.stream_info(name)
        except NotFoundError:
            await js.add_stream(StreamConfig(name=name, subjects=[name.lower() + ".>"]))
    finally:
        await nc.close()


async def _publish_twice(nats_url: str, subject: str, body: bytes) -> None:
    """The same event delivered twice (two messages, as after a publisher retry past the dedup window)."""
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        for _ in range(2):
            await js.publish(subject, body, headers={"Nats-Msg-Id": uuid.uuid4().hex})
    finally:
        await nc.close()


async def _wait(app: FastAPI, query: Any, want: int, timeout: float = 20) -> int:
    deadline = time.monotonic() + timeout
    n = -1
    while time.monotonic() < deadline:
        async with app.state.db.transaction(write=False) as session:
            n = int(await session.scalar(query) or 0)
        if n >= want:
            return n
        await asyncio.sleep(0.2)
    return n


def _item_published(code: str, version_no: int) -> dict[str, Any]:
    return {
        "item_id": str(uuid.uuid4()),
        "item_code": code,
        "basic_code": "B-" + code,
        "version_no": version_no,
        "published_at": "2026-11-20T08:00:00+00:00",
        "level": 4,
        "owner_unit": {"id": None, "code": f"{D}-MZJ", "name": "区民政局", "uscc": None},
        "quality_score": 95,
        "elements": {
            "name": "最低生活保障审核确认",
            "implementing_unit": {"code": f"{D}-MZJ", "name": "区民政局"},
            "acceptance_conditions": "本区户籍，家庭人均收入低于低保标准",
            "materials": [
                {"name": "居民户口簿"},
                {"name": "居民身份证"},
                {"name": "电子证照", "exempt": True},
            ],
            "promised_limit": {"value": 10, "unit": "working_day"},
            "enquiry_phone": "010-85990000",
            "keywords": ["低保"],
        },
    }


async def test_catalogue_items_become_answerable_once(
    app: FastAPI, hl: httpx.AsyncClient, people: People, nats_server: NatsServer
) -> None:
    await _ensure_stream(nats_server.url, "CATALOG")
    code = "MZ-" + uuid.uuid4().hex[:8]
    env = make_event("catalog.item.published", 1, _item_published(code, 1), producer="catalog")
    await _publish_twice(nats_server.url, "catalog.item.published.v1", env.model_dump_json().encode())
    assert (
        await _wait(
            app, select(func.count()).select_from(CatalogItem).where(CatalogItem.item_code == code), 1
        )
        == 1
    )
    await asyncio.sleep(1.0)  # let the second delivery be handled too
    async with app.state.db.transaction(write=False) as session:
        entries = (
            (await session.execute(select(KbEntry).where(KbEntry.catalog_item_code == code))).scalars().all()
        )
        assert len(entries) == 1
        versions = await session.scalar(
            select(func.count()).select_from(KbVersion).where(KbVersion.entry_id == entries[0].id)
        )
    assert versions == 1
    hits = (await hl.get("/v1/kb/search", params={"q": "低保审核"}, headers=people.agent)).json()["items"]
    assert hits[0]["item_codes"] == [code]
    assert (
        "居民户口簿" in hits[0]["answer"]
        and "电子证照" not in hits[0]["answer"]
        and "10个工作日" in hits[0]["answer"]
    )
    retired = make_event(
        "catalog.item.retired",
        1,
        {
            "item_id": "x",
            "item_code": code,
            "basic_code": "B",
            "version_no": 1,
            "owner_unit_code": f"{D}-MZJ",
            "reason": "取消",
            "retired_at": "2026-11-21T00:00:00+00:00",
        },
        producer="catalog",
    )
    await _publish_twice(nats_server.url, "catalog.item.retired.v1", retired.model_dump_json().encode())
    withdrawn = (
        select(func.count())
        .select_from(KbEntry)
        .where(KbEntry.catalog_item_code == code, KbEntry.status == "withdrawn")
    )
    assert await _wait(app, withdrawn, 1) == 1


async def test_org_unit_events_feed_the_read_model_once(
    app: FastAPI, hl: httpx.AsyncClient, nats_server: NatsServer
) -> None:
    await _ensure_stream(nats_server.url, "IDENTITY")
    unit_id = str(uuid.uuid4())
    code = f"{D}-T{uuid.uuid4().hex[:6].upper()}"
    env = make_event(
        "identity.org_unit.changed",
        1,
        {
            "org_unit_id": unit_id,
            "change": "created",
            "changed_fields": ["code", "name"],
            "code": code,
            "name": "测试局",
            "kind": "department",
            "level": 4,
            "parent_id": None,
            "uscc": None,
            "changed_at": "2026-11-22T00:00:00+00:00",
        },
        producer="identity",
    )
    await _publish_twice(nats_server.url, "identity.org_unit.changed.v1", env.model_dump_json().encode())
    assert await _wait(app, select(func.count()).select_from(OrgUnit).where(OrgUnit.code == code), 1) == 1


async def test_a_transferred_bad_review_becomes_one_anonymous_complaint_for_the_rated_unit(
    app: FastAPI, hl: httpx.AsyncClient, people: People, nats_server: NatsServer
) -> None:
    await _ensure_stream(nats_server.url, "EVALUATION")
    case_id, rating_id = str(uuid.uuid4()), str(uuid.uuid4())
    unit = f"{D}001-FWZX"
    env = make_event(
        "evaluation.bad_review.transferred",
        1,
        {
            # evaluation's payload names no application, ticket or visit (issue 15, point 1).
            "case_id": case_id,
            "rating_id": rating_id,
            "unit_code": unit,
            "service_kind": "application",
            "month": "2026-11",
            "window_code": None,
            "staff_id": "clerk-7",
            "level": 5,
            "comment": "窗口人员态度差，材料反复要求补交",
            "item_code": "MZJ-0001",
            "reason": "评价人要求转热线督办",
            "transferred_at": "2026-11-20T08:00:00+00:00",
        },
        producer="evaluation",
    )
    await _publish_twice(
        nats_server.url, "evaluation.bad_review.transferred.v1", env.model_dump_json().encode()
    )
    transferred = select(func.count()).select_from(Ticket).where(Ticket.channel == "bad_review")
    assert await _wait(app, transferred, 1) == 1
    await asyncio.sleep(1.0)  # let the second delivery be handled too
    async with app.state.db.transaction(write=False) as session:
        tickets = (
            (await session.execute(select(Ticket).where(Ticket.channel == "bad_review"))).scalars().all()
        )
    assert len(tickets) == 1
    ticket = tickets[0]
    assert ticket.request_type == "complaint" and ticket.anonymous and ticket.caller_phone is None
    assert ticket.lead_unit_code == unit and ticket.status == "dispatched"
    assert case_id in ticket.description and "窗口人员态度差" in ticket.description
    # The rated unit's handler sees it among its tickets.
    listed = await hl.get("/v1/tickets", headers=people.handler(unit))
    assert listed.status_code == 200, listed.text
    assert ticket.id in listed.text
    # The handler is the unit rated: nothing on the ticket leads back to the rating or the service.
    shown = await hl.get(f"/v1/tickets/{ticket.id}", headers=people.handler(unit))
    assert shown.status_code == 200 and case_id in shown.text, shown.text
    assert rating_id not in shown.text and rating_id not in ticket.description
