"""The read models over real NATS JetStream: catalogue versions from catalog.item.published/retired
and org units from identity.org_unit.changed, each event handled once however often it arrives."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import nats
from intake_support import DISTRICT, Env, elements
from nats.js.api import StreamConfig
from nats.js.errors import NotFoundError
from sqlalchemy import func, select

from intake.consumers import on_item_published
from intake.models.applications import CatalogueItem, CatalogueVersion, OrgUnit
from intake.services.catalogue import find_published_item, find_version
from yiwang_shared.events import EventEnvelope, make_event
from yiwang_shared.tables import processed_events
from yiwang_shared.testing.nats import NatsServer


async def _publish_twice(url: str, stream: str, env: EventEnvelope) -> None:
    nc = await nats.connect(url)
    js = nc.jetstream()
    try:
        try:
            await js.stream_info(stream)
        except NotFoundError:
            await js.add_stream(StreamConfig(name=stream, subjects=[stream.lower() + ".>"]))
        body = env.model_dump_json().encode()
        # Two messages carrying the same event (a redelivery JetStream could not deduplicate).
        await js.publish(env.subject, body, headers={"Nats-Msg-Id": env.event_id + ":a"})
        await js.publish(env.subject, body, headers={"Nats-Msg-Id": env.event_id + ":b"})
    finally:
        await nc.close()


async def _until(check: Callable[[], Awaitable[bool]], what: str) -> None:
    deadline = time.monotonic() + 15
    while not await check():
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.1)


def _published(code: str, version_no: int, name: str) -> EventEnvelope:
    doc = elements(name)
    return make_event(
        "catalog.item.published",
        1,
        {
            "item_id": str(uuid.uuid5(uuid.NAMESPACE_URL, code)),
            "item_code": code,
            "basic_code": "B-" + code,
            "version_no": version_no,
            "published_at": f"2026-09-0{version_no}T00:00:00+00:00",
            "level": 4,
            "owner_unit": {
                "id": None,
                "code": doc["implementing_unit"]["code"],
                "name": doc["implementing_unit"]["name"],
                "uscc": None,
            },
            "quality_score": 90,
            "elements": doc,
        },
        producer="catalog",
    )


async def _handled(env: Env, event_id: str) -> int:
    async with env.db.transaction(write=False) as session:
        return int(
            await session.scalar(
                select(func.count())
                .select_from(processed_events)
                .where(processed_events.c.event_id == event_id)
            )
            or 0
        )


async def test_published_versions_arrive_once_and_cases_keep_theirs(
    env: Env, nats_server: NatsServer
) -> None:
    code = "SCJ-" + uuid.uuid4().hex[:6]
    v1 = _published(code, 1, "食品经营许可（旧版）")
    await _publish_twice(nats_server.url, "CATALOG", v1)

    async def arrived() -> bool:
        async with env.db.transaction(write=False) as session:
            return await find_published_item(session, code) is not None

    await _until(arrived, "the published item never reached the read model")
    await asyncio.sleep(0.5)
    assert await _handled(env, v1.event_id) == 1
    application = await env.submit(item_code=code)
    v2 = _published(code, 2, "食品经营许可（新版）")
    await _publish_twice(nats_server.url, "CATALOG", v2)

    async def current_is_v2() -> bool:
        async with env.db.transaction(write=False) as session:
            entry = await find_published_item(session, code)
            return entry is not None and entry.version_no == 2

    await _until(current_is_v2, "version 2 never became current")
    got = (await env.client.get(f"/v1/applications/{application['id']}", headers=env.clerk)).json()
    assert got["version_no"] == 1 and got["item_name"] == "食品经营许可（旧版）"
    # The handler itself is an upsert: an old version again changes nothing.
    async with env.db.transaction() as session:
        await on_item_published(session, v1)
    async with env.db.transaction(write=False) as session:
        versions = await session.scalar(
            select(func.count()).select_from(CatalogueVersion).where(CatalogueVersion.item_code == code)
        )
        item = await session.get(CatalogueItem, code)
        assert versions == 2 and item is not None and item.current_version_no == 2
        assert (await find_version(session, code, 1)) is not None

    retired = make_event(
        "catalog.item.retired",
        1,
        {
            "item_id": "x",
            "item_code": code,
            "basic_code": "B-" + code,
            "version_no": 2,
            "owner_unit_code": f"{DISTRICT}-SCJGJ",
            "reason": "合并",
            "retired_at": "2026-09-10T00:00:00+00:00",
        },
        producer="catalog",
    )
    await _publish_twice(nats_server.url, "CATALOG", retired)

    async def gone() -> bool:
        async with env.db.transaction(write=False) as session:
            return await find_published_item(session, code) is None

    await _until(gone, "the retirement never arrived")
    resp = await env.client.post(
        "/v1/applications",
        json={"item_code": code, "applicant": {"id": env.citizen_id, "name": "张伟"}},
        headers=env.clerk,
    )
    assert resp.status_code == 422 and resp.json()["code"] == "intake.item_retired"


async def test_org_unit_events_feed_the_read_model_once(env: Env, nats_server: NatsServer) -> None:
    uid = str(uuid.uuid4())
    code = f"{DISTRICT}003-" + uuid.uuid4().hex[:4].upper()
    data: dict[str, Any] = {
        "org_unit_id": uid,
        "change": "created",
        "changed_fields": ["name"],
        "code": code,
        "name": "呼家楼街道政务服务中心",
        "kind": "service_centre",
        "level": 5,
        "parent_id": None,
        "uscc": None,
        "changed_at": "2026-05-01T00:00:00+00:00",
    }
    event = make_event("identity.org_unit.changed", 1, data, producer="identity")
    await _publish_twice(nats_server.url, "IDENTITY", event)

    async def arrived() -> bool:
        async with env.db.transaction(write=False) as session:
            return await session.get(OrgUnit, uid) is not None

    await _until(arrived, "the org unit never reached the read model")
    await asyncio.sleep(0.5)
    assert await _handled(env, event.event_id) == 1
