"""The async path (fast path off) behaves like the fast one; stale keep-alive connections are retried."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from .conftest import Running


@pytest.mark.parametrize("fast_path", [True, False])
async def test_same_answers_on_both_paths(
    start_gateway, make_token: Callable[..., str], fast_path: bool
) -> None:  # type: ignore[no-untyped-def]
    running: Running = await start_gateway(fast_path=fast_path, rate_limit_per_second=0)
    token = make_token("p-paths")
    auth = {"Authorization": f"Bearer {token}"}
    for _ in range(3):  # the first verifies the token, the rest hit the cache
        r = await running.client.get("/api/catalog/echo/p?q=1", headers=auth)
        assert r.status_code == 200
        assert r.json()["query"] == "q=1"
        assert r.json()["headers"]["x-request-id"] == r.headers["x-request-id"]
    r = await running.client.post("/api/intake/echo/p", json={"a": 1}, headers=auth)
    assert r.json()["body"] == '{"a":1}'
    r = await running.client.get("/api/catalog/big?size=600000", headers=auth)
    assert len(r.content) == 600_000
    r = await running.client.head("/api/catalog/big?size=99", headers=auth)
    assert r.headers["content-length"] == "99"
    r = await running.client.get("/open311/v2/requests.json", headers=auth)
    assert r.json()["path"] == "/open311/v2/requests.json"


async def _flaky_upstream() -> tuple[asyncio.AbstractServer, int, list[str]]:
    """Answers the first request on each connection and drops the connection on the second,
    without answering: what a service does when it closes an idle keep-alive connection just as
    the gateway reuses it."""
    log: list[str] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        count = 0
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                count += 1
                line = head.split(b"\r\n", 1)[0].decode()
                length = 0
                for h in head.split(b"\r\n"):
                    if h.lower().startswith(b"content-length:"):
                        length = int(h.split(b":", 1)[1])
                if length:
                    await reader.readexactly(length)
                if count >= 2:
                    log.append("dropped " + line)
                    writer.close()
                    return
                log.append("answered " + line)
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n\r\nok")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1], log


@pytest.mark.parametrize("fast_path", [True, False])
async def test_idempotent_request_is_retried_on_a_fresh_connection(start_gateway, fast_path: bool) -> None:  # type: ignore[no-untyped-def]
    server, port, log = await _flaky_upstream()
    try:
        running: Running = await start_gateway(evaluation_url=f"http://127.0.0.1:{port}", fast_path=fast_path)
        assert (await running.client.get("/api/evaluation/one")).status_code == 200
        r = await running.client.get("/api/evaluation/two")
        assert r.status_code == 200, r.text
        assert log == [
            "answered GET /one HTTP/1.1",
            "dropped GET /two HTTP/1.1",
            "answered GET /two HTTP/1.1",
        ]
    finally:
        server.close()


@pytest.mark.parametrize("fast_path", [True, False])
async def test_post_is_not_retried(start_gateway, fast_path: bool) -> None:  # type: ignore[no-untyped-def]
    server, port, log = await _flaky_upstream()
    try:
        running: Running = await start_gateway(evaluation_url=f"http://127.0.0.1:{port}", fast_path=fast_path)
        assert (await running.client.post("/api/evaluation/one", content=b"x")).status_code == 200
        r = await running.client.post("/api/evaluation/two", content=b"y")
        assert r.status_code == 502
        assert r.json()["code"] == "gateway.bad_upstream_response"
        assert log == ["answered POST /one HTTP/1.1", "dropped POST /two HTTP/1.1"]
    finally:
        server.close()
