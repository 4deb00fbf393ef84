"""Events on real NATS JetStream: catalog.item.published.v1 / retired.v1 validate against the
committed schemas; identity.org_unit.changed.v1 feeds the org read model once per event."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import nats
from catalog_support import admin, create, editor, elements, publish
from fastapi import FastAPI
from jsonschema import Draft202012Validator
from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import StreamConfig
from nats.js.errors import NotFoundError
from sqlalchemy import func, select

from catalog import events
from catalog.consumers import on_org_unit_changed
from catalog.models import OrgUnit
from yiwang_shared.db import Database
from yiwang_shared.events import make_event
from yiwang_shared.tables import processed_events
from yiwang_shared.testing.guards import stale_event_schemas
from yiwang_shared.testing.nats import NatsServer
from yiwang_shared.testing.tokens import TestTokens


def test_committed_schemas_are_current() -> None:
    """Regenerate with `python -m catalog.events` when a payload changes (bump .vN on a break)."""
    assert stale_event_schemas(events.CATALOG) == []


async def collect(
    nats_url: str, stream: str, wanted: Callable[[dict[str, Any]], bool], count: int, timeout: float = 15
) -> list[tuple[str, dict[str, str], bytes]]:
    """Pull from `stream` until `count` wanted events arrived."""
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    durable = "test__" + uuid.uuid4().hex[:12]
    deadline = time.monotonic() + timeout
    found: list[tuple[str, dict[str, str], bytes]] = []
    try:
        while True:
            try:
                await js.stream_info(stream)
                break
            except NotFoundError:
                assert time.monotonic() < deadline, f"stream {stream} never appeared"
                await asyncio.sleep(0.1)
        sub = await js.pull_subscribe(stream.lower() + ".>", durable=durable, stream=stream)
        while len(found) < count and time.monotonic() < deadline:
            try:
                msgs = await sub.fetch(500, timeout=0.5)
            except (NatsTimeout, TimeoutError):
                continue
            for msg in msgs:
                await msg.ack()
                if wanted(json.loads(msg.data)):
                    found.append((msg.subject, dict(msg.headers or {}), msg.data))
        await js.delete_consumer(stream, durable)
    finally:
        await nc.close()
    return found


async def test_published_and_retired_events_match_schemas(
    cat: httpx.AsyncClient, tokens: TestTokens, nats_server: NatsServer
) -> None:
    ed = editor(tokens)
    item = await create(cat, ed, elements())
    await publish(cat, ed, item["code"], reviewer=editor(tokens))
    await cat.post(f"/v1/items/{item['code']}/versions", headers=ed)
    await publish(cat, ed, item["code"], 2, reviewer=editor(tokens))
    await cat.post(f"/v1/items/{item['code']}/retire", headers=admin(tokens), json={"reason": "合并"})

    got = await collect(
        nats_server.url, "CATALOG", lambda e: e.get("data", {}).get("item_id") == item["id"], 3
    )
    validators = {}
    for payload in events.EVENTS:
        schema = json.loads(events.schema_path(payload).read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        validators[payload.subject()] = Draft202012Validator(
            schema, format_checker=Draft202012Validator.FORMAT_CHECKER
        )
    subjects = []
    for subject, headers, raw in got:
        env = json.loads(raw)
        assert headers["Nats-Msg-Id"] == env["event_id"] and env["producer"] == "catalog"
        errors = [e.message for e in validators[subject].iter_errors(env)]
        assert not errors, (subject, errors)
        subjects.append((subject, env["data"].get("version_no")))
    assert subjects == [
        ("catalog.item.published.v1", 1),
        ("catalog.item.published.v1", 2),
        ("catalog.item.retired.v1", 2),
    ]
    published = json.loads(got[0][2])["data"]
    assert published["elements"]["materials"][0]["name"] == "最低生活保障申请书"
    assert published["basic_code"] == item["basic_code"] and published["owner_unit"]["name"] == "区民政局"
    assert json.loads(got[2][2])["data"]["reason"] == "合并"


def _org_event(unit_id: str, code: str, name: str, at: str) -> Any:
    return make_event(
        "identity.org_unit.changed",
        1,
        {
            "org_unit_id": unit_id,
            "change": "created",
            "changed_fields": ["name"],
            "code": code,
            "name": name,
            "kind": "street",
            "level": 5,
            "parent_id": None,
            "uscc": None,
            "changed_at": at,
        },
        producer="identity",
    )


async def test_org_unit_consumer_is_idempotent(
    app: FastAPI, client: httpx.AsyncClient, nats_server: NatsServer
) -> None:
    unit_id = str(uuid.uuid4())
    code = "110105" + uuid.uuid4().hex[:6].upper()
    env = _org_event(unit_id, code, "朝外街道", "2026-05-01T00:00:00+00:00")
    nc = await nats.connect(nats_server.url)
    js = nc.jetstream()
    try:
        try:
            await js.stream_info("IDENTITY")
        except NotFoundError:
            await js.add_stream(StreamConfig(name="IDENTITY", subjects=["identity.>"]))
        body = env.model_dump_json().encode()
        # Delivered twice (two messages, same event id): one effect.
        await js.publish(env.subject, body, headers={"Nats-Msg-Id": env.event_id + ":a"})
        await js.publish(env.subject, body, headers={"Nats-Msg-Id": env.event_id + ":b"})
    finally:
        await nc.close()

    db: Database = app.state.db
    deadline = time.monotonic() + 15
    while True:
        async with db.transaction(write=False) as session:
            unit = await session.get(OrgUnit, unit_id)
            handled = await session.scalar(
                select(func.count())
                .select_from(processed_events)
                .where(processed_events.c.event_id == env.event_id)
            )
        if unit is not None:
            break
        assert time.monotonic() < deadline, "the org unit never reached the read model"
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.0)
    async with db.transaction(write=False) as session:
        handled = await session.scalar(
            select(func.count())
            .select_from(processed_events)
            .where(processed_events.c.event_id == env.event_id)
        )
        assert (await session.get(OrgUnit, unit_id)).name == "朝外街道"  # type: ignore[union-attr]
    assert handled == 1

    # The handler itself is an upsert: the same event again, or an older one, changes nothing.
    older = _org_event(unit_id, code, "旧名称", "2026-01-01T00:00:00+00:00")
    for e in (env, env, older):
        async with db.transaction() as session:
            await on_org_unit_changed(session, e)
    async with db.transaction(write=False) as session:
        rows = (await session.execute(select(OrgUnit).where(OrgUnit.code == code))).scalars().all()
    assert [(r.id, r.name, r.level) for r in rows] == [(unit_id, "朝外街道", 5)]


async def test_the_published_event_tells_intake_what_a_station_does_with_the_item(
    cat: httpx.AsyncClient, tokens: TestTokens, nats_server: NatsServer
) -> None:
    """The community kind (受理类 / 代收代办类 / 咨询预审类) travels in the published elements."""
    ed = editor(tokens)
    kinds = {}
    for kind in ("accept", "collect_forward", "enquiry_prereview"):
        item = await create(cat, ed, elements(name=f"社区事项{kind}", community_kind=kind))
        await publish(cat, ed, item["code"], reviewer=editor(tokens))
        kinds[item["id"]] = kind
    got = await collect(nats_server.url, "CATALOG", lambda e: e.get("data", {}).get("item_id") in kinds, 3)
    schema = json.loads(events.schema_path(events.ItemPublished).read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert "community_kind" in schema["$defs"]["ItemElements"]["properties"]
    for subject, _, raw in got:
        env = json.loads(raw)
        assert subject == "catalog.item.published.v1" and not list(validator.iter_errors(env))
        assert env["data"]["elements"]["community_kind"] == kinds[env["data"]["item_id"]]


async def test_a_bundle_is_published_as_an_event_with_its_stages(
    cat: httpx.AsyncClient, tokens: TestTokens, nats_server: NatsServer
) -> None:
    """intake keeps bundles as a read model: the event carries the items, their departments and stages."""
    ed = editor(tokens)
    first = await create(cat, ed, elements())
    await publish(cat, ed, first["code"], reviewer=editor(tokens))
    second = await create(cat, ed, elements(name="临时救助"))
    await publish(cat, ed, second["code"], reviewer=editor(tokens))
    resp = await cat.post(
        "/v1/bundles",
        headers=ed,
        json={"name": "困难群众救助 一件事", "item_codes": [first["code"], second["code"]], "stages": [1, 2]},
    )
    assert resp.status_code == 201, resp.text
    code = resp.json()["code"]
    # The NATS server outlives each test's database, so bundle codes repeat: the name tells ours.
    ours = {"bundle_code": code, "name": "困难群众救助 一件事"}
    got = await collect(nats_server.url, "CATALOG", lambda e: ours.items() <= e.get("data", {}).items(), 1)
    subject, _headers, raw = got[0]
    assert subject == "catalog.bundle.published.v1"
    env = json.loads(raw)
    schema = json.loads(events.schema_path(events.BundlePublished).read_text(encoding="utf-8"))
    assert not list(Draft202012Validator(schema).iter_errors(env))
    assert [(i["item_code"], i["stage"]) for i in env["data"]["items"]] == [
        (first["code"], 1),
        (second["code"], 2),
    ]
    assert env["data"]["items"][0]["owner_unit_code"] and env["data"]["name"] == "困难群众救助 一件事"
