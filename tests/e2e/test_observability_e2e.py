"""Observability with real processes: one trace from a client through the gateway, identity-svc,
its outbox event on NATS, and hotline-svc's consumer; the request in both /metrics; the trace id
in the JSON log line.

A small platform of its own (identity, hotline, the gateway) with tracing on, exporting OTLP/HTTP
to a receiver in this test that decodes `ExportTraceServiceRequest`; the shared platform of the
other end-to-end tests keeps tracing off.
"""

from __future__ import annotations

import gzip
import json
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from devstack import SERVICES, Platform, free_port, wait_http
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from yiwang_shared.testing.nats import NatsServer

CLIENT_TRACE = uuid.uuid4().hex
CLIENT_SPAN = uuid.uuid4().hex[:16]
TRACEPARENT = f"00-{CLIENT_TRACE}-{CLIENT_SPAN}-01"
SPAN_KIND = {1: "internal", 2: "server", 3: "client", 4: "producer", 5: "consumer"}


@dataclass(frozen=True)
class ReceivedSpan:
    """One span as an OTLP exporter sent it."""

    service: str
    name: str
    kind: str
    trace_id: str
    span_id: str
    parent_id: str


class OtlpReceiver:
    """A tiny OTLP/HTTP traces endpoint (protobuf), collecting every span it is sent."""

    def __init__(self) -> None:
        self.spans: list[ReceivedSpan] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                if self.headers.get("content-encoding") == "gzip":
                    body = gzip.decompress(body)
                receiver.add(ExportTraceServiceRequest.FromString(body))
                answer = ExportTraceServiceResponse().SerializeToString()
                self.send_response(200)
                self.send_header("content-type", "application/x-protobuf")
                self.send_header("content-length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The traces endpoint."""
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1/traces"

    def add(self, request: ExportTraceServiceRequest) -> None:
        """Keep the spans of one export."""
        with self.lock:
            for resource_spans in request.resource_spans:
                attrs = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
                for scope_spans in resource_spans.scope_spans:
                    for span in scope_spans.spans:
                        self.spans.append(
                            ReceivedSpan(
                                service=attrs.get("service.name", ""),
                                name=span.name,
                                kind=SPAN_KIND.get(span.kind, str(span.kind)),
                                trace_id=span.trace_id.hex(),
                                span_id=span.span_id.hex(),
                                parent_id=span.parent_span_id.hex(),
                            )
                        )

    def trace(self, trace_id: str) -> list[ReceivedSpan]:
        """The spans received so far of one trace."""
        with self.lock:
            return [s for s in self.spans if s.trace_id == trace_id]


@dataclass
class Traced:
    """The traced platform and its span receiver."""

    platform: Platform
    receiver: OtlpReceiver


@pytest.fixture(scope="module")
def traced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Traced]:
    """identity-svc, hotline-svc and the gateway with the OTLP exporter on."""
    receiver = OtlpReceiver()
    receiver.thread.start()
    nats_server = NatsServer()
    nats_server.start()
    env = {"OTEL_BSP_SCHEDULE_DELAY": "100"}  # the SDK's standard setting: export within 0.1 s
    for prefix in ("IDENTITY_", "HOTLINE_", "GATEWAY_"):
        env[prefix + "OTEL_EXPORTER"] = "otlp"
        env[prefix + "OTEL_ENDPOINT"] = receiver.url
        env[prefix + "METRICS_REFRESH_SECONDS"] = "0.5"
    platform = Platform(
        var_dir=tmp_path_factory.mktemp("traced-platform"),
        nats_url=nats_server.url,
        gateway_port=free_port(),
        ports={svc.name: free_port() for svc in SERVICES},
        extra_env=env,
    )
    identity, hotline = (next(s for s in SERVICES if s.name == n) for n in ("identity", "hotline"))
    try:
        platform._run_module("identity.demo", platform.database_url(identity))  # the admin login
        platform.start_service(identity)
        platform.start_service(hotline)
        gateway = platform._spawn("gateway", "gateway", platform.gateway_env())
        wait_http(platform.gateway_url + "/healthz", proc=gateway)
        yield Traced(platform, receiver)
    finally:
        platform.stop()
        nats_server.cleanup()
        receiver.server.shutdown()


def _wait(check, timeout: float = 30.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        assert time.monotonic() < deadline, "not seen in time"
        time.sleep(0.2)


def _log_lines(path: Path) -> list[dict[str, object]]:
    lines = []
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if raw.startswith("{"):
            lines.append(json.loads(raw))
    return lines


def test_one_trace_covers_gateway_service_and_consumer(traced: Traced) -> None:
    platform, receiver = traced.platform, traced.receiver
    with httpx.Client(base_url=platform.gateway_url, timeout=15) as gw:
        login = gw.post("/api/identity/v1/auth/login", json={"username": "admin", "password": "Demo#2026"})
        assert login.status_code == 200, login.text
        admin = {"authorization": f"Bearer {login.json()['access_token']}"}
        district = gw.get("/api/identity/v1/org-units/tree").json()["roots"][0]["id"]
        code = "OBS-" + uuid.uuid4().hex[:8]
        created = gw.post(
            "/api/identity/v1/org-units",
            json={"code": code, "name": "可观测性测试科", "kind": "department", "parent_id": district},
            headers={**admin, "traceparent": TRACEPARENT},
        )
        assert created.status_code == 201, created.text
        request_id = created.headers["x-request-id"]

        def whole_trace() -> list[ReceivedSpan] | None:
            spans = receiver.trace(CLIENT_TRACE)
            kinds = {(s.service, s.kind) for s in spans}
            if {("gateway", "server"), ("identity", "server"), ("hotline", "consumer")} <= kinds:
                return spans
            return None

        spans = _wait(whole_trace)
        gateway_span = next(s for s in spans if s.service == "gateway")
        identity_span = next(s for s in spans if s.service == "identity" and s.kind == "server")
        consumer_span = next(s for s in spans if s.service == "hotline" and s.kind == "consumer")
        # client → gateway → identity-svc → (outbox, NATS) → hotline-svc's consumer, one trace.
        assert gateway_span.parent_id == CLIENT_SPAN and gateway_span.name == "POST /api/identity"
        assert identity_span.parent_id == gateway_span.span_id
        assert identity_span.name == "POST /v1/org-units"
        assert consumer_span.parent_id == identity_span.span_id
        assert consumer_span.name == "identity.org_unit.changed.v1 process"

        # The route's histogram on the service, the request at the gateway, consumer lag gauges.
        identity_metrics = httpx.get(platform.service_url("identity") + "/metrics").text
        assert (
            'yiwang_http_request_duration_seconds_count{method="POST",route="/v1/org-units",service="identity"}'
            in identity_metrics
        )
        gateway_metrics = gw.get("/metrics").text
        counted = 'yiwang_gateway_requests_total{method="POST",service="identity",status="201"}'
        assert counted in gateway_metrics

        def lag_reported() -> bool:
            text = httpx.get(platform.service_url("hotline") + "/metrics").text
            labels = 'consumer="hotline__org_unit_changed",service="hotline"'
            return f"yiwang_consumer_pending{{{labels}}} 0.0" in text

        _wait(lag_reported, timeout=15)
        # Services' metrics are not handed out through the gateway.
        assert gw.get("/api/identity/metrics").status_code == 404

    # The service's JSON log line for the request names the request and the trace.
    def access_line() -> dict[str, object] | None:
        for line in _log_lines(platform.var_dir / "logs" / "identity.log"):
            if line.get("logger") == "yiwang.access" and line.get("request_id") == request_id:
                return line
        return None

    line = _wait(access_line, timeout=10)
    assert line["trace_id"] == CLIENT_TRACE and line["span_id"] == identity_span.span_id
