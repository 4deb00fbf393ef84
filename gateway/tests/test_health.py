"""/healthz, aggregate /readyz and /metrics."""

from __future__ import annotations

from .conftest import Running, Upstreams


async def test_healthz(gw: Running) -> None:
    r = await gw.client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "service": "gateway"}
    assert r.headers["x-request-id"]


async def test_readyz_all_ready(gw: Running) -> None:
    r = await gw.client.get("/readyz")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "ready"
    assert body["services"] == {
        s: "ready" for s in ("identity", "catalog", "intake", "hotline", "evaluation", "licence")
    }


async def test_readyz_is_503_when_one_service_is_down(gw: Running, upstreams: Upstreams) -> None:
    upstreams.evaluation.stop()
    try:
        r = await gw.client.get("/readyz")
        assert r.status_code == 503
        assert r.headers["content-type"] == "application/problem+json"
        body = r.json()
        assert body["code"] == "gateway.not_ready"
        assert body["not_ready"] == ["evaluation"]
        assert body["services"]["evaluation"] == "unreachable"
        assert body["services"]["catalog"] == "ready"
        assert "evaluation-svc" in body["detail"]
    finally:
        upstreams.evaluation.start()
    r = await gw.client.get("/readyz")
    assert r.status_code == 200


async def test_readyz_does_not_hang_on_a_stuck_service(start_gateway) -> None:  # type: ignore[no-untyped-def]
    import asyncio
    import time

    async def stuck(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            writer.close()

    server = await asyncio.start_server(stuck, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        running: Running = await start_gateway(
            hotline_url=f"http://127.0.0.1:{port}", readiness_timeout_seconds=0.3
        )
        t0 = time.monotonic()
        r = await running.client.get("/readyz")
        assert time.monotonic() - t0 < 2
        assert r.status_code == 503
        assert r.json()["services"]["hotline"] == "timeout"
    finally:
        server.close()


async def test_metrics(gw: Running) -> None:
    await gw.client.get("/api/catalog/echo/m")
    await gw.client.get("/api/nosuch/x")
    text = (await gw.client.get("/metrics")).text
    assert 'yiwang_gateway_requests_total{method="GET",service="catalog",status="200"}' in text
    assert 'yiwang_gateway_requests_total{method="GET",service="-",status="404"}' in text
    assert "yiwang_gateway_request_duration_seconds_bucket" in text
    assert 'yiwang_gateway_request_duration_seconds_bucket{le="+Inf",service="catalog"}' in text
    assert "yiwang_gateway_rate_limited_total" in text
    assert "yiwang_gateway_upstream_connections" in text
    assert "process_cpu_seconds_total" in text
