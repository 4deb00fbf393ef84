"""Routing and forwarding through the real gateway to real upstream services."""

from __future__ import annotations

import re

import httpx

from .conftest import Running


async def _agen(*parts: bytes):  # type: ignore[no-untyped-def]
    for part in parts:
        yield part


async def test_routes_by_service_prefix_keeping_query_and_method(gw: Running) -> None:
    r = await gw.client.get("/api/catalog/echo/a/b?x=1&x=2&q=%E4%B8%AD%20文")
    assert r.status_code == 200
    seen = r.json()
    assert seen["service"] == "catalog"
    assert seen["method"] == "GET"
    assert seen["path"] == "/echo/a/b"
    assert seen["query"] == "x=1&x=2&q=%E4%B8%AD%20%E6%96%87"
    assert r.headers["x-upstream"] == "catalog"

    r = await gw.client.delete("/api/intake/echo/things/7")
    assert r.json()["service"] == "intake"
    assert r.json()["method"] == "DELETE"


async def test_body_is_passed_through(gw: Running) -> None:
    payload = '{"item_code": "11010100001", "note": "申请人 张三"}'
    r = await gw.client.post(
        "/api/intake/echo/v1/applications",
        content=payload.encode(),
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 200
    seen = r.json()
    assert seen["method"] == "POST"
    assert seen["body"] == payload
    assert seen["headers"]["content-type"] == "application/json"
    assert seen["headers"]["content-length"] == str(len(payload.encode()))

    big = b"x" * 300_000
    r = await gw.client.put(
        "/api/intake/echo/blob", content=big, headers={"content-type": "application/octet-stream"}
    )
    assert r.status_code == 200
    assert len(r.json()["body"]) == len(big)

    chunked = await gw.client.post(
        "/api/intake/echo/stream", content=_agen(b"part1-", b"part2"), headers={"content-type": "text/plain"}
    )
    assert chunked.json()["body"] == "part1-part2"


async def test_real_documented_route(gw: Running) -> None:
    r = await gw.client.post("/api/intake/v1/applications", json={"item_code": "x"})
    assert r.status_code == 201
    assert r.json() == {"application_id": "a-1", "status": "submitted"}
    r = await gw.client.get("/api/catalog/v1/items/11010100001")
    assert r.json()["name"] == "个体工商户设立登记"


async def test_request_id_generated_echoed_and_forwarded(gw: Running) -> None:
    r = await gw.client.get("/api/catalog/echo/rid")
    rid = r.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", rid)
    assert r.json()["headers"]["x-request-id"] == rid

    r2 = await gw.client.get("/api/catalog/echo/rid")
    assert r2.headers["x-request-id"] != rid

    r = await gw.client.get("/api/catalog/echo/rid", headers={"X-Request-ID": "client-abc.123"})
    assert r.headers["x-request-id"] == "client-abc.123"
    assert r.json()["headers"]["x-request-id"] == "client-abc.123"

    # Not a usable id (spaces, too long): replaced, not forwarded as is.
    r = await gw.client.get("/api/catalog/echo/rid", headers={"X-Request-ID": "bad id " + "x" * 80})
    assert re.fullmatch(r"[0-9a-f]{32}", r.headers["x-request-id"])
    assert r.json()["headers"]["x-request-id"] == r.headers["x-request-id"]


async def test_forwarded_headers_set_and_hop_by_hop_dropped(gw: Running) -> None:
    r = await gw.client.get(
        "/api/catalog/echo/h",
        headers={
            "Connection": "keep-alive, X-Secret-Hop",
            "X-Secret-Hop": "1",
            "TE": "trailers",
            "Keep-Alive": "timeout=5",
            "X-Forwarded-For": "6.6.6.6",
            "X-Custom": "kept",
        },
    )
    headers = r.json()["headers"]
    assert headers["x-forwarded-for"] == "127.0.0.1"  # the untrusted client's own value is not passed on
    assert headers["x-forwarded-proto"] == "http"
    assert headers["x-forwarded-host"] == f"127.0.0.1:{gw.gateway.port}"
    assert headers["x-custom"] == "kept"
    for hop in ("x-secret-hop", "te", "keep-alive"):
        assert hop not in headers
    assert headers.get("connection", "keep-alive") == "keep-alive"  # ours to the upstream, not the client's
    assert headers["host"] == gw.gateway.urls["catalog"].removeprefix("http://")


async def test_trusted_proxy_chain(start_gateway) -> None:  # type: ignore[no-untyped-def]
    running = await start_gateway(trusted_proxies="127.0.0.1", rate_limit_per_second=0)
    r = await running.client.get(
        "/api/catalog/echo/h",
        headers={
            "X-Forwarded-For": "203.0.113.9",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "gov.example",
        },
    )
    headers = r.json()["headers"]
    assert headers["x-forwarded-for"] == "203.0.113.9, 127.0.0.1"
    assert headers["x-forwarded-proto"] == "https"
    assert headers["x-forwarded-host"] == "gov.example"


async def test_response_headers_and_multiple_cookies(gw: Running) -> None:
    r = await gw.client.get("/api/catalog/cookies")
    assert r.status_code == 200
    cookies = r.headers.get_list("set-cookie")
    assert len(cookies) == 2
    assert r.headers["x-request-id"]


async def test_large_and_chunked_responses_stream_through(gw: Running) -> None:
    r = await gw.client.get("/api/catalog/big?size=3000000")
    assert r.status_code == 200
    assert len(r.content) == 3_000_000
    assert r.content[:5] == bytes([0, 1, 2, 3, 4])
    assert r.content == bytes(i % 251 for i in range(3_000_000))

    r = await gw.client.get("/api/catalog/chunked?parts=200")
    assert r.status_code == 200
    assert r.text.splitlines()[-1] == "part 199"


async def test_head_keeps_length_without_body(gw: Running) -> None:
    r = await gw.client.head("/api/catalog/big?size=1234")
    assert r.status_code == 200
    assert r.headers["content-length"] == "1234"
    assert r.content == b""
    # The connection is still usable afterwards.
    r = await gw.client.get("/api/catalog/echo/after-head")
    assert r.json()["path"] == "/echo/after-head"


async def test_open311_routes_to_hotline(gw: Running) -> None:
    r = await gw.client.get("/open311/v2/services.json?jurisdiction_id=district")
    assert r.status_code == 200
    seen = r.json()
    assert seen["service"] == "hotline"
    assert seen["path"] == "/open311/v2/services.json"
    assert seen["query"] == "jurisdiction_id=district"


async def test_unknown_service_and_path_are_problems(gw: Running) -> None:
    r = await gw.client.get("/api/nosuch/v1/x")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["code"] == "gateway.unknown_service"
    assert "nosuch" in body["detail"] and "catalog" in body["detail"]
    assert body["status"] == 404
    assert body["request_id"] == r.headers["x-request-id"]

    r = await gw.client.get("/nothing-here")
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"


async def test_method_not_allowed_on_gateway_endpoints(gw: Running) -> None:
    r = await gw.client.post("/healthz")
    assert r.status_code == 405
    assert r.headers["allow"] == "GET, HEAD"
    assert r.json()["code"] == "method_not_allowed"


async def test_body_over_limit_is_413(start_gateway) -> None:  # type: ignore[no-untyped-def]
    running = await start_gateway(max_body_bytes=1000)
    r = await running.client.post("/api/intake/echo/x", content=b"y" * 2000)
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "payload_too_large"

    # Chunked, so the size is only known while reading.
    async with httpx.AsyncClient(base_url=running.url) as client:
        r = await client.post("/api/intake/echo/x", content=_agen(b"y" * 600, b"y" * 600))
    assert r.status_code == 413

    async with httpx.AsyncClient(base_url=running.url) as client:
        r = await client.post("/api/intake/echo/x", content=b"y" * 900)
    assert r.status_code == 200


async def test_keep_alive_survives_upstream_closing_idle_connections(start_gateway, upstreams) -> None:  # type: ignore[no-untyped-def]
    from .upstreams import ThreadedServer, echo_app

    short = ThreadedServer(echo_app("catalog"), timeout_keep_alive=1).start()
    try:
        running = await start_gateway(catalog_url=short.url)
        for _ in range(3):
            r = await running.client.get("/api/catalog/echo/ka")
            assert r.status_code == 200
        import asyncio

        await asyncio.sleep(1.5)  # the upstream closes our idle connection
        r = await running.client.get("/api/catalog/echo/ka")
        assert r.status_code == 200
    finally:
        short.stop()
