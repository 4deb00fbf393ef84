"""Tracing through the gateway (span per request, traceparent to the upstream), its request
metrics, and services' /metrics kept away from the public."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from gateway import Gateway, GatewaySettings

from .conftest import Running

CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_SPAN = "00f067aa0ba902b7"
CALLER = f"00-{CALLER_TRACE}-{CALLER_SPAN}-01"


async def _raw_get(port: int, target: bytes) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET " + target + b" HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
    await writer.drain()
    try:
        return await asyncio.wait_for(reader.read(), 5)
    finally:
        writer.close()


@pytest.mark.parametrize(
    "target",
    [
        b"/api/hotline/metrics",
        b"/api/hotline/metrics/",
        b"/api/hotline/metrics?format=text",
        b"/api/hotline/%6detrics",
        b"/api/hotline/%2Fmetrics",
        b"/api/hotline//metrics",
        b"/api/hotline/./metrics",
        b"/api/catalog/metrics",
    ],
)
async def test_services_metrics_are_not_proxied(gw: Running, target: bytes) -> None:
    out = await _raw_get(gw.gateway.port, target)
    assert out.startswith(b"HTTP/1.1 404 "), out[:200]
    assert b"upstream_only_metric" not in out
    assert "不经网关提供".encode() in out


@pytest.mark.parametrize(
    "target", [b"/api/intake/metrics#", b"/api/intake/metrics#x", b"/api/catalog/echo/a#b"]
)
async def test_a_fragment_in_the_request_target_is_400(gw: Running, target: bytes) -> None:
    # A request target never carries a fragment (RFC 9112 3.2); a service's server drops it, so
    # "/api/intake/metrics#" would have reached intake's /metrics past the check above.
    out = await _raw_get(gw.gateway.port, target)
    assert out.startswith(b"HTTP/1.1 400 "), out[:200]
    assert b'"code":"bad_request_target"' in out and b"upstream_only_metric" not in out


@pytest.mark.parametrize(
    "target",
    [
        b"/api/identity/v1/contact-tickets/redeem",
        b"/api/identity//v1/contact-tickets/redeem",
        b"/api/identity/./v1/%63ontact-tickets/redeem",
        b"/api/identity/v1/contact-tickets/redeem?x=1",
    ],
)
async def test_service_to_service_paths_are_not_proxied(gw: Running, target: bytes) -> None:
    # A contact ticket stands for a person's mobile: only the service that read it on the event bus
    # redeems it, directly at identity-svc (ADR 0013), never from outside.
    out = await _raw_get(gw.gateway.port, target)
    assert out.startswith(b"HTTP/1.1 404 "), out[:200]
    assert "服务间接口不经网关提供".encode() in out


async def test_paths_that_merely_mention_metrics_are_proxied(gw: Running) -> None:
    for path in (
        "/api/hotline/echo/metrics",
        "/api/hotline/echo/metrics-report?x=%41",
        "/api/hotline/echo/v1/contact-tickets",
    ):
        r = await gw.client.get(path)
        assert r.status_code == 200 and r.json()["service"] == "hotline", path


async def test_gateway_metrics_count_requests_per_service_and_status(gw: Running) -> None:
    await gw.client.get("/api/evaluation/echo/counted")
    await gw.client.get("/api/evaluation/echo/counted")
    text = (await gw.client.get("/metrics")).text
    assert 'yiwang_gateway_requests_total{method="GET",service="evaluation",status="200"}' in text
    assert 'yiwang_gateway_request_duration_seconds_bucket{le="+Inf",service="evaluation"}' in text


@pytest.fixture
async def traced(settings_for: Callable[..., GatewaySettings]) -> Any:
    """A gateway with tracing on, its spans kept in memory."""
    spans = InMemorySpanExporter()
    gateway = Gateway(settings_for(rate_limit_per_second=100_000, rate_limit_burst=100_000))
    gateway.tracing.start("otlp", span_exporter=spans)
    await gateway.start()
    yield gateway, spans
    await gateway.stop(grace=1)


async def _get(gateway: Gateway, path: str, **headers: str) -> dict[str, Any]:
    import httpx

    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway.port}", timeout=10) as client:
        r = await client.get(path, headers=headers)
        assert r.status_code == 200, r.text
        return dict(r.json())


async def test_each_request_gets_a_server_span_whose_traceparent_goes_upstream(
    traced: tuple[Gateway, InMemorySpanExporter], make_token: Callable[..., str]
) -> None:
    gateway, spans = traced
    # Anonymous (the callback fast path) and with a token seen for the first time (coroutine path).
    token = make_token(sub="p-trace")
    for headers in ({"traceparent": CALLER}, {"traceparent": CALLER, "authorization": f"Bearer {token}"}):
        spans.clear()
        seen = await _get(gateway, "/api/intake/echo/traced", **headers)
        (span,) = spans.get_finished_spans()
        ctx = span.get_span_context()
        assert span.kind == SpanKind.SERVER and span.name == "GET /api/intake"
        assert f"{ctx.trace_id:032x}" == CALLER_TRACE
        assert span.parent is not None and f"{span.parent.span_id:016x}" == CALLER_SPAN
        assert span.attributes is not None and span.attributes["http.response.status_code"] == 200
        # The upstream sees the gateway's span as its parent, once (the caller's header replaced).
        sent = [v for k, v in seen["header_list"] if k == "traceparent"]
        assert sent == [f"00-{CALLER_TRACE}-{ctx.span_id:016x}-01"]


async def test_a_request_without_traceparent_starts_a_trace(
    traced: tuple[Gateway, InMemorySpanExporter],
) -> None:
    gateway, spans = traced
    spans.clear()
    seen = await _get(gateway, "/api/catalog/echo/new-trace")
    (span,) = spans.get_finished_spans()
    ctx = span.get_span_context()
    assert span.parent is None
    flags = int(ctx.trace_flags)
    assert flags & 1, "sampled"
    assert seen["headers"]["traceparent"] == f"00-{ctx.trace_id:032x}-{ctx.span_id:016x}-{flags:02x}"


async def test_tracing_off_passes_the_callers_traceparent_unchanged(gw: Running) -> None:
    assert gw.gateway.tracing.enabled is False and gw.gateway.tracer is None
    headers = {"traceparent": CALLER, "tracestate": "a=1"}
    r = await gw.client.get("/api/catalog/echo/untraced", headers=headers)
    assert r.json()["headers"]["traceparent"] == CALLER
    assert r.json()["headers"]["tracestate"] == "a=1"
    r = await gw.client.get("/api/catalog/echo/untraced")
    assert "traceparent" not in r.json()["headers"]
