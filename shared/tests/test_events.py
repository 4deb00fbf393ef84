"""Outbox, relay and consumers against a real nats-server and real databases."""

from __future__ import annotations

import asyncio

import httpx
import nats
import sqlalchemy as sa
from nats.js.api import ConsumerConfig, DeliverPolicy
from sample_service.app import Behaviour, create_app, seen
from waiting import eventually

from yiwang_shared.events.envelope import EventEnvelope, make_event
from yiwang_shared.settings import ServiceSettings
from yiwang_shared.tables import outbox, processed_events
from yiwang_shared.testing.app import running_app
from yiwang_shared.testing.nats import NatsServer


def _settings(database_url: str, nats_url: str) -> ServiceSettings:
    return ServiceSettings(
        service_name="sample",
        database_url=database_url,
        nats_url=nats_url,
        outbox_poll_seconds=0.2,
    )


async def _stream_messages(nats_url: str, stream: str, subject: str) -> list[nats.aio.msg.Msg]:
    """Every message currently in `stream` on `subject` (ephemeral consumer)."""
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        sub = await js.pull_subscribe(
            subject, stream=stream, config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL)
        )
        out = []
        while True:
            try:
                msgs = await sub.fetch(100, timeout=0.5)
            except TimeoutError:  # nats.errors.TimeoutError, or the bare one an empty fetch raises
                break
            for m in msgs:
                await m.ack()
            out.extend(msgs)
        return out
    finally:
        await nc.close()


async def _count(client: httpx.AsyncClient, table: sa.Table) -> int:
    db = client._transport.app.state.db  # type: ignore[attr-defined]
    async with db.transaction(write=False) as session:
        return int((await session.execute(sa.select(sa.func.count()).select_from(table))).scalar_one())


async def test_event_commits_with_state_and_reaches_consumer_once(
    database_url: str, fresh_nats: NatsServer
) -> None:
    behaviour = Behaviour()
    app = create_app(_settings(database_url, fresh_nats.url), behaviour)
    async with running_app(app) as client:
        resp = await client.post("/v1/notes", json={"text": "hello"})
        assert resp.status_code == 201, resp.text
        event_id = resp.json()["event_id"]

        async def handled() -> bool:
            return await _count(client, seen) == 1

        await eventually(handled)
        assert behaviour.calls[event_id] == 1
        msgs = await _stream_messages(fresh_nats.url, "SAMPLE", "sample.note.created.v1")
        assert len(msgs) == 1
        assert msgs[0].headers["Nats-Msg-Id"] == event_id
        envelope = EventEnvelope.model_validate_json(msgs[0].data)
        assert envelope.producer == "sample"
        assert envelope.correlation_id == resp.headers["x-request-id"]
        assert envelope.data["text"] == "hello"


async def test_failed_request_writes_neither_state_nor_event(
    database_url: str, fresh_nats: NatsServer
) -> None:
    app = create_app(_settings(database_url, fresh_nats.url))
    async with running_app(app) as client:
        resp = await client.post("/v1/notes", json={"text": "x", "fail": True})
        assert resp.status_code == 500
        assert resp.headers["content-type"] == "application/problem+json"
        assert "Traceback" not in resp.text
        assert await _count(client, outbox) == 0


async def test_redelivered_event_has_one_effect(database_url: str, fresh_nats: NatsServer) -> None:
    behaviour = Behaviour()
    app = create_app(_settings(database_url, fresh_nats.url), behaviour)
    async with running_app(app) as client:
        runner = app.state.consumers
        consumer = runner.consumers[0]
        event = make_event("sample.note.created", 1, {"note_id": 7}, producer="test")
        assert await runner.handle_envelope(consumer, event) == "handled"
        assert await runner.handle_envelope(consumer, event) == "duplicate"
        assert behaviour.calls[event.event_id] == 1
        # And through NATS: the same event published twice under different message ids.
        nc = await nats.connect(fresh_nats.url)
        js = nc.jetstream()
        again = make_event("sample.note.created", 1, {"note_id": 8}, producer="test")
        for n in range(2):
            await js.publish(
                "sample.note.created.v1",
                again.model_dump_json().encode(),
                headers={"Nats-Msg-Id": f"{again.event_id}-{n}"},
            )
        await nc.close()

        async def both_seen() -> bool:
            return await _count(client, processed_events) == 2

        await eventually(both_seen)
        await asyncio.sleep(0.3)
        assert behaviour.calls[again.event_id] == 1
        assert await _count(client, seen) == 2


async def test_failing_handler_retries_then_succeeds_without_partial_writes(
    database_url: str, fresh_nats: NatsServer
) -> None:
    behaviour = Behaviour()
    behaviour.failures_left = 2
    app = create_app(_settings(database_url, fresh_nats.url), behaviour)
    async with running_app(app) as client:
        resp = await client.post("/v1/notes", json={"text": "retry me"})
        event_id = resp.json()["event_id"]

        async def handled() -> bool:
            return await _count(client, seen) == 1

        await eventually(handled)
        assert behaviour.calls[event_id] == 3


async def test_poison_event_parks_on_dead_letter_subject(database_url: str, fresh_nats: NatsServer) -> None:
    behaviour = Behaviour()
    behaviour.always_fail = True
    app = create_app(_settings(database_url, fresh_nats.url), behaviour)
    async with running_app(app) as client:
        resp = await client.post("/v1/notes", json={"text": "poison"})
        event_id = resp.json()["event_id"]

        async def parked() -> bool:
            try:
                msgs = await _stream_messages(fresh_nats.url, "DEADLETTER", "deadletter.>")
            except Exception:
                return False
            return len(msgs) == 1

        await eventually(parked)
        msgs = await _stream_messages(fresh_nats.url, "DEADLETTER", "deadletter.>")
        assert msgs[0].subject == "deadletter.sample.sample__note_created"
        assert "handler failed on purpose" in msgs[0].headers["Yiwang-Error"]
        assert EventEnvelope.model_validate_json(msgs[0].data).event_id == event_id
        assert behaviour.calls[event_id] == 3
        assert await _count(client, seen) == 0


async def test_malformed_message_is_dead_lettered(database_url: str, fresh_nats: NatsServer) -> None:
    behaviour = Behaviour()
    app = create_app(_settings(database_url, fresh_nats.url), behaviour)
    async with running_app(app):
        await asyncio.sleep(0.3)  # let the consumer subscribe (and the stream exist)
        nc = await nats.connect(fresh_nats.url)
        js = nc.jetstream()
        await js.publish("sample.note.created.v1", b"{not json", headers={"Nats-Msg-Id": "bad-1"})
        await nc.close()

        async def parked() -> bool:
            try:
                return len(await _stream_messages(fresh_nats.url, "DEADLETTER", "deadletter.>")) == 1
            except Exception:
                return False

        await eventually(parked)


async def test_survives_nats_restart(database_url: str, fresh_nats: NatsServer) -> None:
    behaviour = Behaviour()
    app = create_app(_settings(database_url, fresh_nats.url), behaviour)
    async with running_app(app) as client:
        await client.post("/v1/notes", json={"text": "before"})

        async def n_seen(n: int):  # type: ignore[no-untyped-def]
            async def check() -> bool:
                return await _count(client, seen) == n

            return check

        await eventually(await n_seen(1))
        fresh_nats.kill()
        # Written while NATS is down: kept in the outbox, not lost, not an error to the client.
        for i in range(5):
            resp = await client.post("/v1/notes", json={"text": f"during {i}"})
            assert resp.status_code == 201
        ready = await client.get("/readyz")
        assert ready.status_code == 503
        fresh_nats.start()
        await eventually(await n_seen(6), timeout=20)
        fresh_nats.restart(crash=True)
        await client.post("/v1/notes", json={"text": "after"})
        await eventually(await n_seen(7), timeout=20)
        assert all(v == 1 for v in behaviour.calls.values())
        assert await _count(client, processed_events) == 7
        msgs = await _stream_messages(fresh_nats.url, "SAMPLE", "sample.note.created.v1")
        assert len(msgs) == 7
