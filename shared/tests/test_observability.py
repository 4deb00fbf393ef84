"""Tracing, log ids and metrics through request → outbox → NATS → consumer, with real NATS."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import nats
import orjson
import pytest
import sqlalchemy as sa
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from prometheus_client import REGISTRY
from sample_service.app import Behaviour, create_app, seen
from sqlalchemy.ext.asyncio import AsyncSession
from waiting import eventually

from yiwang_shared.context import request_id_var, traceparent_var, valid_traceparent
from yiwang_shared.events.consumer import Consumer, ConsumerRunner
from yiwang_shared.events.envelope import EventEnvelope
from yiwang_shared.logging import JsonFormatter
from yiwang_shared.settings import ServiceSettings
from yiwang_shared.tables import outbox
from yiwang_shared.testing.app import running_app
from yiwang_shared.testing.nats import NatsServer

CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_SPAN = "00f067aa0ba902b7"
CALLER = f"00-{CALLER_TRACE}-{CALLER_SPAN}-01"


def _settings(database_url: str, nats_url: str, **extra: object) -> ServiceSettings:
    return ServiceSettings(
        service_name="sample",
        database_url=database_url,
        nats_url=nats_url,
        outbox_poll_seconds=0.2,
        metrics_refresh_seconds=0.1,
        **extra,  # type: ignore[arg-type]
    )


async def _stream_headers(nats_url: str, subject: str) -> list[dict[str, str]]:
    nc = await nats.connect(nats_url)
    try:
        sub = await nc.jetstream().pull_subscribe(subject, stream="SAMPLE")
        msgs = await sub.fetch(10, timeout=2)
        return [dict(m.headers or {}) for m in msgs]
    finally:
        await nc.close()


class JsonLines(logging.Handler):
    """Formats each record as it is emitted (the ids come from the context of that moment)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(JsonFormatter("sample"))
        self.lines: list[dict[str, object]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(orjson.loads(self.format(record)))


@pytest.fixture
def json_lines() -> Iterator[JsonLines]:
    """JSON log lines of everything logged during the test."""
    handler = JsonLines()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield handler
    root.removeHandler(handler)
    root.setLevel(level)


def _hex(span: ReadableSpan) -> tuple[str, str]:
    ctx = span.get_span_context()
    assert ctx is not None
    return f"{ctx.trace_id:032x}", f"{ctx.span_id:016x}"


def _parent(span: ReadableSpan) -> str | None:
    return f"{span.parent.span_id:016x}" if span.parent is not None else None


async def test_one_trace_from_request_through_outbox_and_nats_to_consumer(
    database_url: str, fresh_nats: NatsServer
) -> None:
    spans = InMemorySpanExporter()
    behaviour = Behaviour()
    app = create_app(_settings(database_url, fresh_nats.url), behaviour)
    app.state.tracing.start("otlp", span_exporter=spans)
    async with running_app(app) as client:
        resp = await client.post(
            "/v1/notes", json={"text": "traced"}, headers={"traceparent": CALLER, "x-request-id": "req-1"}
        )
        assert resp.status_code == 201, resp.text

        async def consumed() -> bool:
            return any(s.kind == SpanKind.CONSUMER for s in spans.get_finished_spans())

        await eventually(consumed)
        server = next(s for s in spans.get_finished_spans() if s.kind == SpanKind.SERVER)
        consumer = next(s for s in spans.get_finished_spans() if s.kind == SpanKind.CONSUMER)
        # The service's span continues the caller's trace; the consumer's is its child.
        trace_id, server_span = _hex(server)
        assert trace_id == CALLER_TRACE and _parent(server) == CALLER_SPAN
        assert server.name == "POST /v1/notes"
        assert server.attributes is not None and server.attributes["http.route"] == "/v1/notes"
        assert _hex(consumer)[0] == CALLER_TRACE and _parent(consumer) == server_span
        assert consumer.name == "sample.note.created.v1 process"
        assert consumer.attributes is not None
        assert consumer.attributes["messaging.message.id"] == resp.json()["event_id"]
        # Stored with the event in the outbox, and sent as a NATS header too.
        expected = f"00-{trace_id}-{server_span}-01"
        db = app.state.db
        async with db.transaction(write=False) as session:
            payload = (await session.execute(sa.select(outbox.c.payload))).scalar_one()
        envelope = EventEnvelope.model_validate_json(payload)
        assert envelope.traceparent == expected and envelope.correlation_id == "req-1"
        headers = await _stream_headers(fresh_nats.url, "sample.note.created.v1")
        assert headers[0]["traceparent"] == expected


async def test_tracing_off_passes_the_callers_traceparent_through(
    database_url: str, fresh_nats: NatsServer, json_lines: JsonLines
) -> None:
    behaviour = Behaviour()
    app = create_app(_settings(database_url, fresh_nats.url), behaviour)
    assert app.state.tracing.enabled is False
    async with running_app(app) as client:
        resp = await client.post(
            "/v1/notes", json={"text": "plain"}, headers={"traceparent": CALLER, "x-request-id": "req-2"}
        )
        event_id = resp.json()["event_id"]
        untraced = await client.post("/v1/notes", json={"text": "no header"})

        async def both_consumed() -> bool:
            db = app.state.db
            async with db.transaction(write=False) as session:
                query = sa.select(sa.func.count()).select_from(seen)
                return int((await session.execute(query)).scalar_one()) == 2

        await eventually(both_consumed)
        async with app.state.db.transaction(write=False) as session:
            payloads = [bytes(p) for p in (await session.execute(sa.select(outbox.c.payload))).scalars()]
    by_id = {orjson.loads(p)["event_id"]: orjson.loads(p) for p in payloads}
    assert by_id[event_id]["traceparent"] == CALLER
    # No trace context: the field is left out (older readers and schemas see what they knew).
    assert "traceparent" not in by_id[untraced.json()["event_id"]]
    access = [
        ln for ln in json_lines.lines if ln["logger"] == "yiwang.access" and ln.get("request_id") == "req-2"
    ]
    assert access and access[0]["trace_id"] == CALLER_TRACE and access[0]["span_id"] == CALLER_SPAN


async def test_consumer_log_lines_carry_the_events_request_and_trace_ids(
    database_url: str, fresh_nats: NatsServer, json_lines: JsonLines
) -> None:
    seen_ids: list[tuple[str | None, str | None]] = []

    async def handle(session: AsyncSession, event: EventEnvelope) -> None:
        logging.getLogger("sample.handler").info("handling %s", event.event_id)
        seen_ids.append((request_id_var.get(), traceparent_var.get()))

    spans = InMemorySpanExporter()
    app = create_app(_settings(database_url, fresh_nats.url))
    app.state.tracing.start("otlp", span_exporter=spans)
    async with running_app(app) as client:
        runner = ConsumerRunner(
            app.state.db,
            app.state.bus,
            [Consumer("sample__logged", "SAMPLE", "sample.note.created.v1", handle)],
            service="sample",
            tracing=app.state.tracing,
        )
        await runner.start()
        try:
            resp = await client.post(
                "/v1/notes", json={"text": "log me"}, headers={"traceparent": CALLER, "x-request-id": "req-3"}
            )
            assert resp.status_code == 201

            async def handled() -> bool:
                return bool(seen_ids)

            await eventually(handled)
        finally:
            await runner.stop()
    rid, traceparent = seen_ids[0]
    assert rid == "req-3"
    assert valid_traceparent(traceparent) and traceparent is not None
    consumer_span = next(s for s in spans.get_finished_spans() if s.kind == SpanKind.CONSUMER)
    assert traceparent[3:35] == CALLER_TRACE and traceparent[36:52] == _hex(consumer_span)[1]
    line = next(ln for ln in json_lines.lines if ln["logger"] == "sample.handler")
    assert line["request_id"] == "req-3" and line["trace_id"] == CALLER_TRACE
    assert line["span_id"] == _hex(consumer_span)[1]


async def test_consumer_lag_gauges_follow_jetstream(database_url: str, fresh_nats: NatsServer) -> None:
    release = asyncio.Event()

    async def slow(session: AsyncSession, event: EventEnvelope) -> None:
        await release.wait()

    app = create_app(_settings(database_url, fresh_nats.url))
    async with running_app(app) as client:
        for i in range(4):
            assert (await client.post("/v1/notes", json={"text": f"n{i}"})).status_code == 201
        runner = ConsumerRunner(
            app.state.db,
            app.state.bus,
            [Consumer("sample__slow", "SAMPLE", "sample.note.created.v1", slow)],
            service="sample",
            batch=1,
            lag_refresh_seconds=0.1,
        )
        labels = {"service": "sample", "consumer": "sample__slow"}

        def gauge(name: str) -> float | None:
            return REGISTRY.get_sample_value(name, labels)

        await runner.start()
        try:
            # One message is held by the blocked handler, three wait on the stream.
            async def lagging() -> bool:
                return gauge("yiwang_consumer_ack_pending") == 1 and gauge("yiwang_consumer_pending") == 3

            await eventually(lagging)
            release.set()

            async def caught_up() -> bool:
                return gauge("yiwang_consumer_ack_pending") == 0 and gauge("yiwang_consumer_pending") == 0

            await eventually(caught_up)
        finally:
            release.set()
            await runner.stop()


async def test_outbox_backlog_gauges_rise_while_nats_is_down(
    database_url: str, fresh_nats: NatsServer
) -> None:
    app = create_app(_settings(database_url, fresh_nats.url))
    labels = {"service": "sample"}
    async with running_app(app) as client:
        assert (await client.post("/v1/notes", json={"text": "sent"})).status_code == 201

        async def unpublished() -> int:
            async with app.state.db.transaction(write=False) as session:
                query = sa.select(sa.func.count()).where(outbox.c.published_at.is_(None))
                return int((await session.execute(query)).scalar_one())

        async def empty() -> bool:
            gauge = REGISTRY.get_sample_value("yiwang_outbox_backlog", labels)
            return await unpublished() == 0 and gauge == 0

        await eventually(empty)
        fresh_nats.kill()
        try:
            for i in range(3):
                assert (await client.post("/v1/notes", json={"text": f"held {i}"})).status_code == 201

            async def backlog() -> bool:
                age = REGISTRY.get_sample_value("yiwang_outbox_oldest_age_seconds", labels) or 0
                return REGISTRY.get_sample_value("yiwang_outbox_backlog", labels) == 3 and age > 0.2

            # No relay pass can complete without NATS: only the timer can show this.
            await eventually(backlog)
        finally:
            fresh_nats.start()
        await eventually(empty, timeout=20)


async def test_request_metrics_are_labelled_by_route_template(
    database_url: str, fresh_nats: NatsServer
) -> None:
    app = create_app(_settings(database_url, fresh_nats.url, nats_enabled=False))

    def count(route: str, status: str, method: str = "GET") -> float:
        labels = {"service": "sample", "method": method, "route": route, "status": status}
        return REGISTRY.get_sample_value("yiwang_http_requests_total", labels) or 0.0

    note = "/v1/notes/{note_id}"
    before = (count(note, "200"), count("<unmatched>", "404"), count(note, "405", "PUT"))
    async with running_app(app) as client:
        for note_id in (1, 2, 3):
            assert (await client.get(f"/v1/notes/{note_id}")).status_code == 200
        assert (await client.get("/no/such/path-123")).status_code == 404
        assert (await client.put("/v1/notes/9", json={})).status_code == 405
        exposition = (await client.get("/metrics")).text
    assert count("/v1/notes/{note_id}", "200") - before[0] == 3
    assert count("<unmatched>", "404") - before[1] == 1
    # A path that matches a route but not its method is labelled with that route's template.
    assert count("/v1/notes/{note_id}", "405", "PUT") - before[2] == 1
    assert 'route="/v1/notes/{note_id}"' in exposition
    assert "yiwang_http_request_duration_seconds_bucket" in exposition
    assert "/v1/notes/1" not in exposition and "path-123" not in exposition


def test_json_log_lines_name_request_and_trace_ids() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello 13812345678", (), None)
    rid = request_id_var.set("req-9")
    tp = traceparent_var.set(CALLER)
    try:
        line = orjson.loads(JsonFormatter("svc").format(record))
    finally:
        traceparent_var.reset(tp)
        request_id_var.reset(rid)
    assert line["request_id"] == "req-9"
    assert (line["trace_id"], line["span_id"]) == (CALLER_TRACE, CALLER_SPAN)
    assert line["msg"] == "hello 138****5678"
    assert "trace_id" not in orjson.loads(JsonFormatter("svc").format(record))


@pytest.mark.parametrize(
    "value",
    [
        "",
        "00-" + "0" * 32 + "-00f067aa0ba902b7-01",  # all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-" + "0" * 16 + "-01",  # all-zero span id
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  # forbidden version
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  # upper case
        CALLER + "-extra",
    ],
)
def test_malformed_traceparents_are_ignored(value: str) -> None:
    assert valid_traceparent(value) is None
    assert valid_traceparent(CALLER) == CALLER
