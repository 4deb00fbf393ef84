"""A handler's PermanentError: dead-lettered at once with its message, nothing of it committed."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import nats
import sqlalchemy as sa
from fastapi import FastAPI
from nats_support import dead_letters
from sample_service.app import SERVICE_DIR, router, seen
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.app import ServiceSpec, create_service_app
from yiwang_shared.events import EventEnvelope, PermanentError
from yiwang_shared.events.consumer import Consumer
from yiwang_shared.settings import ServiceSettings
from yiwang_shared.tables import processed_events
from yiwang_shared.testing.app import running_app
from yiwang_shared.testing.nats import NatsServer


def _app(database_url: str, nats_url: str, calls: Counter[str]) -> FastAPI:
    async def handle(session: AsyncSession, event: EventEnvelope) -> None:
        calls[event.event_id] += 1
        # Write first, then refuse: the write and the dedup row must both roll back.
        await session.execute(seen.insert().values(event_id=event.event_id, note_id=0))
        if "note_id" not in event.data:
            raise PermanentError("payload lacks note_id")
        await session.execute(
            seen.update().where(seen.c.event_id == event.event_id).values(note_id=event.data["note_id"])
        )

    consumer = Consumer(
        name="sample__note_created",
        stream="SAMPLE",
        subject="sample.note.created.v1",
        handler=handle,
        max_deliver=5,
        backoff=(0.1, 0.2),
    )
    spec = ServiceSpec(
        name="sample",
        title="sample",
        description="test service",
        service_dir=SERVICE_DIR,
        routers=[router],
        consumers=[consumer],
    )
    settings = ServiceSettings(
        service_name="sample", database_url=database_url, nats_url=nats_url, outbox_poll_seconds=0.2
    )
    return create_service_app(spec, settings)


async def _count(app: FastAPI, table: sa.Table) -> int:
    async with app.state.db.transaction(write=False) as session:
        return int((await session.execute(sa.select(sa.func.count()).select_from(table))).scalar_one())


async def test_permanent_error_dead_letters_at_once_and_keeps_nothing(
    database_url: str, fresh_nats: NatsServer
) -> None:
    calls: Counter[str] = Counter()
    app = _app(database_url, fresh_nats.url, calls)
    async with running_app(app):
        await asyncio.sleep(0.3)  # let the consumer create the stream and subscribe
        bad = EventEnvelope.model_validate(
            {
                "event_id": "7d1c2f4e-0000-4000-8000-000000000001",
                "type": "sample.note.created",
                "version": 1,
                "occurred_at": "2026-11-22T08:00:00+00:00",
                "producer": "test",
                "data": {"text": "no id"},
            }
        )
        nc = await nats.connect(fresh_nats.url)
        js = nc.jetstream()
        await js.publish(bad.subject, bad.model_dump_json().encode(), headers={"Nats-Msg-Id": "bad"})
        await nc.close()

        deadline = time.monotonic() + 10
        parked: list[nats.aio.msg.Msg] = []
        while not parked and time.monotonic() < deadline:
            parked = await dead_letters(fresh_nats.url)
            await asyncio.sleep(0.1)
        assert len(parked) == 1
        assert parked[0].subject == "deadletter.sample.sample__note_created"
        assert parked[0].headers is not None
        assert parked[0].headers["Yiwang-Error"] == "PermanentError: payload lacks note_id"
        await asyncio.sleep(0.6)  # longer than the backoff: a retry would have happened by now
        assert calls[bad.event_id] == 1  # no retries
        assert await _count(app, seen) == 0
        assert await _count(app, processed_events) == 0  # so a corrected redelivery still applies

        runner = app.state.consumers
        fixed = bad.model_copy(update={"data": {"note_id": 9, "text": "fixed"}})
        assert await runner.handle_envelope(runner.consumers[0], fixed) == "handled"
        assert await _count(app, seen) == 1 and await _count(app, processed_events) == 1
