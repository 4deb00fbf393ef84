"""The gateway's HTTP/1.1 front end on raw sockets: pipelining, framing, limits, bad input."""

from __future__ import annotations

import asyncio

from .conftest import Running


async def _exchange(port: int, data: bytes, *, read_until_close: bool = True, timeout: float = 5) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(data)
    await writer.drain()
    try:
        if read_until_close:
            return await asyncio.wait_for(reader.read(), timeout)
        return await asyncio.wait_for(reader.read(65536), timeout)
    finally:
        writer.close()


async def test_pipelined_requests_are_answered_in_order(gw: Running) -> None:
    req = b"GET /api/catalog/echo/%d HTTP/1.1\r\nhost: x\r\n\r\n"
    data = (
        b"".join(req % i for i in range(3)) + b"GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n"
    )
    out = await _exchange(gw.gateway.port, data)
    assert out.count(b"HTTP/1.1 200 OK") == 4
    positions = [out.index(b'"/echo/%d"' % i) for i in range(3)]
    assert positions == sorted(positions)
    assert out.rstrip().endswith(b'"service":"gateway"}')


async def test_http10_closes_after_answer(gw: Running) -> None:
    out = await _exchange(gw.gateway.port, b"GET /healthz HTTP/1.0\r\n\r\n")
    assert out.startswith(b"HTTP/1.1 200 OK")
    assert b"connection: close" in out.lower()


async def test_malformed_request_is_400_problem(gw: Running) -> None:
    out = await _exchange(gw.gateway.port, b"THIS IS NOT HTTP\r\n\r\n")
    assert out.startswith(b"HTTP/1.1 400")
    assert b"application/problem+json" in out
    assert b'"code":"bad_request"' in out


async def test_huge_headers_are_431(gw: Running) -> None:
    data = b"GET /healthz HTTP/1.1\r\nhost: x\r\nx-big: " + b"a" * 70_000 + b"\r\n\r\n"
    out = await _exchange(gw.gateway.port, data)
    assert out.startswith(b"HTTP/1.1 431")


async def test_declared_body_over_limit_is_refused_before_reading(start_gateway) -> None:  # type: ignore[no-untyped-def]
    running: Running = await start_gateway(max_body_bytes=100)
    out = await _exchange(
        running.gateway.port, b"POST /api/intake/echo/x HTTP/1.1\r\nhost: x\r\ncontent-length: 5000\r\n\r\n"
    )
    assert out.startswith(b"HTTP/1.1 413")
    assert b'"code":"payload_too_large"' in out


async def test_expect_100_continue(gw: Running) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", gw.gateway.port)
    writer.write(
        b"POST /api/intake/echo/x HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\nexpect: 100-continue\r\n"
        b"connection: close\r\n\r\n"
    )
    await writer.drain()
    interim = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
    assert interim.startswith(b"HTTP/1.1 100 Continue")
    writer.write(b"hello")
    out = await asyncio.wait_for(reader.read(), 5)
    writer.close()
    assert out.startswith(b"HTTP/1.1 200")
    assert b'"body":"hello"' in out
    assert b'"expect"' not in out  # not passed upstream: the gateway already answered it


async def test_idle_connections_are_closed(start_gateway) -> None:  # type: ignore[no-untyped-def]
    running: Running = await start_gateway(keep_alive_timeout_seconds=0.3)
    reader, writer = await asyncio.open_connection("127.0.0.1", running.gateway.port)
    writer.write(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
    first = await asyncio.wait_for(reader.readuntil(b'"gateway"}'), 5)
    assert first.startswith(b"HTTP/1.1 200")
    rest = await asyncio.wait_for(reader.read(), 3)  # EOF once the idle timeout passes
    assert rest == b""
    writer.close()


async def test_slow_request_gets_408(start_gateway) -> None:  # type: ignore[no-untyped-def]
    running: Running = await start_gateway()
    running.gateway.server.request_read_timeout = 0.3  # type: ignore[union-attr]
    out = await _exchange(running.gateway.port, b"GET /healthz HTTP/1.1\r\nhost: x\r\nx-partial: ", timeout=5)
    assert out.startswith(b"HTTP/1.1 408")


# --- slow bodies, endless headers, trailers, too many connections: none holds the server -------


async def test_a_body_dripped_a_byte_at_a_time_gets_408(start_gateway) -> None:  # type: ignore[no-untyped-def]
    running: Running = await start_gateway(request_read_timeout_seconds=0.6)
    reader, writer = await asyncio.open_connection("127.0.0.1", running.gateway.port)
    writer.write(b"POST /api/intake/echo/x HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n")
    start = asyncio.get_running_loop().time()
    answer = b""
    try:
        for _ in range(40):  # a byte every 0.1 s would take 10 s; each byte used to re-arm the timer
            writer.write(b"a")
            await writer.drain()
            try:
                answer = await asyncio.wait_for(reader.read(65536), 0.1)
            except TimeoutError:
                continue
            break
    except ConnectionError:
        pass
    finally:
        writer.close()
    assert answer.startswith(b"HTTP/1.1 408"), answer[:100]
    assert asyncio.get_running_loop().time() - start < 2.5


async def test_a_header_that_never_ends_is_refused_at_the_limit(gw: Running) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", gw.gateway.port)
    writer.write(b"GET /healthz HTTP/1.1\r\nhost: x\r\nx-big: ")
    out, sent = b"", 0
    try:
        for _ in range(40):  # up to 1.25 MiB of one header value, never ended (40 MiB were taken)
            writer.write(b"a" * 32768)
            sent += 32768
            await writer.drain()
            try:
                out = await asyncio.wait_for(reader.read(65536), 0.05)
            except TimeoutError:
                continue
            break
    except ConnectionError:
        pass
    finally:
        writer.close()
    assert out.startswith(b"HTTP/1.1 431"), out[:100]
    assert sent <= 512 * 1024  # the 64 KiB limit, give or take what one read may hold


async def test_chunked_trailers_are_not_forwarded_as_headers(gw: Running) -> None:
    data = (
        b"POST /api/intake/echo/t HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n"
        b"connection: close\r\n\r\n5\r\nhello\r\n0\r\nx-smuggled: 1\r\nauthorization: Bearer forged\r\n\r\n"
    )
    out = await _exchange(gw.gateway.port, data)
    assert out.startswith(b"HTTP/1.1 200"), out[:200]
    assert b'"body":"hello"' in out
    assert b"x-smuggled" not in out and b"forged" not in out


async def test_connections_over_the_cap_get_503(start_gateway) -> None:  # type: ignore[no-untyped-def]
    running: Running = await start_gateway(max_connections=2)
    held = [await asyncio.open_connection("127.0.0.1", running.gateway.port) for _ in range(2)]
    await asyncio.sleep(0.1)
    try:
        out = await _exchange(running.gateway.port, b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
        assert out.startswith(b"HTTP/1.1 503"), out[:100]
        assert b"too_many_connections" in out
    finally:
        for _, writer in held:
            writer.close()
    await asyncio.sleep(0.2)
    request = b"GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n"
    again = await _exchange(running.gateway.port, request)
    assert again.startswith(b"HTTP/1.1 200")
