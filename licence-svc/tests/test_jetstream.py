"""Over real JetStream: the consumers are durable and the completed application delivered twice
(past JetStream's own dedup) issues one licence."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import nats
from fastapi import FastAPI
from licence_support import bound, completed, item_published, user_registered
from nats.js.api import StreamConfig
from nats.js.errors import NotFoundError
from sqlalchemy import func, select

from licence.models import Licence
from yiwang_shared.events import make_event
from yiwang_shared.tables import processed_events
from yiwang_shared.testing.nats import NatsServer


async def _publish(nats_url: str, subject: str, data: dict[str, Any], *, copies: int = 1) -> str:
    """Publish on the publisher's stream as its relay does; `copies` times under distinct msg ids."""
    producer = subject.split(".")[0]
    type_, version = subject.rsplit(".v", 1)
    env = make_event(type_, int(version), data, producer=producer)
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        try:
            await js.stream_info(producer.upper())
        except NotFoundError:
            await js.add_stream(StreamConfig(name=producer.upper(), subjects=[f"{producer}.>"]))
        for n in range(copies):
            await js.publish(
                subject, env.model_dump_json().encode(), headers={"Nats-Msg-Id": f"{env.event_id}:{n}"}
            )
    finally:
        await nc.close()
    return env.event_id


async def _handled(app: FastAPI, event_id: str) -> bool:
    async with app.state.db.transaction(write=False) as s:
        query = (
            select(func.count()).select_from(processed_events).where(processed_events.c.event_id == event_id)
        )
        return bool((await s.execute(query)).scalar_one())


async def test_completed_application_over_jetstream_twice_issues_once(
    app: FastAPI, client: httpx.AsyncClient, nats_server: NatsServer
) -> None:
    await bound(app, "js-citizen")
    # Published side by side: a completion that overtakes its item or person is retried.
    done = completed("js-citizen")
    event_id = await _publish(nats_server.url, "intake.application.completed.v1", done, copies=2)
    await _publish(nats_server.url, "catalog.item.published.v1", item_published())
    await _publish(nats_server.url, "identity.user.registered.v1", user_registered("js-citizen"))
    deadline = time.monotonic() + 40
    while not await _handled(app, event_id):
        assert time.monotonic() < deadline, "the completed application was never applied"
        await asyncio.sleep(0.2)
    await asyncio.sleep(1.0)  # let the second copy arrive and be dropped
    async with app.state.db.transaction(write=False) as s:
        rows = (await s.execute(select(Licence.application_id))).scalars().all()
    assert rows == [done["application_id"]]
