"""Upstream down, slow or broken: clear problems naming the service, never a hang."""

from __future__ import annotations

import asyncio
import time

from .conftest import Running
from .upstreams import ThreadedServer, echo_app


async def test_service_down_is_503_naming_it_then_recovers(start_gateway, unused_port: int) -> None:  # type: ignore[no-untyped-def]
    running: Running = await start_gateway(intake_url=f"http://127.0.0.1:{unused_port}")
    t0 = time.monotonic()
    r = await running.client.get("/api/intake/echo/x")
    assert time.monotonic() - t0 < 3
    assert r.status_code == 503
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["code"] == "gateway.service_unavailable"
    assert body["detail"] == "intake-svc 暂时无法访问，请稍后再试。"
    assert body["title"] == "服务暂不可用"
    assert body["service"] == "intake"
    assert r.headers["retry-after"] == "1"
    assert body["request_id"] == r.headers["x-request-id"]
    english = (await running.client.get("/api/intake/echo/x", headers={"Accept-Language": "en"})).json()
    assert (english["title"], english["detail"]) == (
        "Service Unavailable",
        "intake-svc is not reachable; try again shortly.",
    )

    server = ThreadedServer(echo_app("intake"), port=unused_port).start()
    try:
        r = await running.client.get("/api/intake/echo/x")
        assert r.status_code == 200
        assert r.json()["service"] == "intake"
        # Down again (connections in the pool are closed): 503 again, then back.
        server.stop()
        r = await running.client.get("/api/intake/echo/x")
        assert r.status_code == 503
        server = ThreadedServer(echo_app("intake"), port=unused_port).start()
        r = await running.client.get("/api/intake/echo/x")
        assert r.status_code == 200
    finally:
        server.stop()


async def test_slow_service_is_504_within_the_timeout(start_gateway) -> None:  # type: ignore[no-untyped-def]
    running: Running = await start_gateway(upstream_timeout_seconds=0.5)
    t0 = time.monotonic()
    r = await running.client.get("/api/catalog/slow?seconds=5")
    elapsed = time.monotonic() - t0
    assert r.status_code == 504
    assert 0.45 <= elapsed < 1.5
    body = r.json()
    assert body["code"] == "gateway.upstream_timeout"
    assert "catalog-svc" in body["detail"]
    # The gateway is fine afterwards.
    r = await running.client.get("/api/catalog/slow?seconds=0")
    assert r.status_code == 200


async def _garbage_server(reply: bytes) -> tuple[asyncio.AbstractServer, int]:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(reply)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


async def test_invalid_upstream_response_is_502(start_gateway) -> None:  # type: ignore[no-untyped-def]
    server, port = await _garbage_server(b"this is not http\r\n\r\n")
    try:
        running: Running = await start_gateway(evaluation_url=f"http://127.0.0.1:{port}")
        r = await running.client.get("/api/evaluation/x")
        assert r.status_code == 502
        assert r.json()["code"] == "gateway.bad_upstream_response"
        assert "evaluation-svc" in r.json()["detail"]
    finally:
        server.close()


async def test_truncated_upstream_response_is_502(start_gateway) -> None:  # type: ignore[no-untyped-def]
    server, port = await _garbage_server(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly a few")
    try:
        running: Running = await start_gateway(evaluation_url=f"http://127.0.0.1:{port}")
        r = await running.client.get("/api/evaluation/x")
        assert r.status_code == 502
    finally:
        server.close()


async def test_close_delimited_upstream_response_is_relayed(start_gateway) -> None:  # type: ignore[no-untyped-def]
    server, port = await _garbage_server(
        b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\nall of it"
    )
    try:
        running: Running = await start_gateway(evaluation_url=f"http://127.0.0.1:{port}")
        r = await running.client.get("/api/evaluation/x")
        assert r.status_code == 200
        assert r.text == "all of it"
    finally:
        server.close()


async def test_upstream_errors_are_counted(start_gateway, unused_port: int) -> None:  # type: ignore[no-untyped-def]
    running: Running = await start_gateway(hotline_url=f"http://127.0.0.1:{unused_port}")
    await running.client.get("/api/hotline/x")
    metrics = (await running.client.get("/metrics")).text
    assert 'yiwang_gateway_upstream_errors_total{kind="unreachable",service="hotline"} 1.0' in metrics


async def test_pool_limit_queues_requests(start_gateway) -> None:  # type: ignore[no-untyped-def]
    running: Running = await start_gateway(upstream_pool_size=2, rate_limit_per_second=0)
    results = await asyncio.gather(*(running.client.get("/api/catalog/slow?seconds=0.2") for _ in range(6)))
    assert [r.status_code for r in results] == [200] * 6
    assert running.gateway.pools["catalog"].size <= 2


async def test_client_leaving_mid_stream_does_not_hurt(start_gateway) -> None:  # type: ignore[no-untyped-def]
    running: Running = await start_gateway(rate_limit_per_second=0)
    reader, writer = await asyncio.open_connection("127.0.0.1", running.gateway.port)
    writer.write(b"GET /api/catalog/big?size=20000000 HTTP/1.1\r\nhost: x\r\n\r\n")
    await writer.drain()
    await reader.readexactly(100_000)
    writer.close()  # gone, with most of 20 MB unread
    await asyncio.sleep(0.2)
    r = await running.client.get("/api/catalog/big?size=1000000")
    assert r.status_code == 200 and len(r.content) == 1_000_000
    r = await running.client.get("/healthz")
    assert r.status_code == 200
