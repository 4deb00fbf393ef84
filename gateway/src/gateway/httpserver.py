"""A small HTTP/1.1 server on asyncio protocols + httptools: the gateway's front end.

It parses requests with llhttp (via httptools, C), hands each complete request to one coroutine
(`Handler`), and writes responses as raw bytes. It exists because the gateway is on every
request's hot path and the general-purpose servers measured 10-30 µs more CPU per request than
this (ADR 0002). What it does, and no more:

- keep-alive and pipelined requests (answered in order, one at a time);
- request bodies (Content-Length or chunked), bounded: over `max_body_bytes` → 413 and close;
- `Expect: 100-continue`; request line + headers bounded (→ 431); malformed → 400 and close;
- an idle timeout between requests and a read timeout while a request arrives (slow clients);
- whole responses (`send`) and streamed ones (`start`/`write`/`drain`/`end`) with back-pressure;
- `Upgrade` requests are answered as plain HTTP/1.1 and the connection is closed afterwards.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import time
from collections.abc import Awaitable, Callable
from email.utils import formatdate
from http import HTTPStatus
from typing import Any

import httptools

from .timers import Deadlines

__all__ = ["Connection", "Handler", "HttpServer", "Request", "http_date"]

log = logging.getLogger("gateway.http")

MAX_HEAD_BYTES = 64 * 1024
MAX_HEADERS = 128
#: Pipelined requests parsed ahead of the one being answered before we stop reading.
MAX_QUEUED = 8
#: A body must arrive at least this fast: each byte extends the request's deadline by 1/rate s, so
#: a large upload on a slow line gets the time it needs and a body dripped a byte at a time does
#: not keep the connection open (without it, 1 byte per 25 s held one for 162 s).
MIN_BODY_BYTES_PER_SECOND = 16 * 1024


def _status_line(status: int) -> bytes:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Status"
    return f"HTTP/1.1 {status} {phrase}\r\n".encode("latin-1")


_STATUS_LINES: dict[int, bytes] = {s.value: _status_line(s.value) for s in HTTPStatus}

_BUSY_BODY = (
    '{"type":"https://yiwang.dev/problems/too_many_connections","title":"连接数已满","status":503,'
    '"detail":"网关当前连接数已达上限，请稍后重试。","code":"too_many_connections"}'
).encode()
#: The whole answer to a connection over the cap (written before any request is read).
_BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/problem+json\r\n"
    b"retry-after: 1\r\nconnection: close\r\ncontent-length: "
    + str(len(_BUSY_BODY)).encode()
    + b"\r\n\r\n"
    + _BUSY_BODY
)

_date_cache: tuple[int, bytes] = (0, b"")


def http_date() -> bytes:
    """The current time as an HTTP date (recomputed once a second)."""
    global _date_cache
    now = int(time.time())
    if _date_cache[0] != now:
        _date_cache = (now, formatdate(now, usegmt=True).encode("latin-1"))
    return _date_cache[1]


class Request:
    """One parsed request. Header names are lower-case bytes; values as sent."""

    __slots__ = (
        "body",
        "client_ip",
        "headers",
        "http_version",
        "keep_alive",
        "method",
        "path",
        "query",
        "span",
        "target",
        "upgrade",
    )

    def __init__(self) -> None:
        self.method = ""
        self.target = b""
        self.path = ""
        self.query = b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.body = b""
        self.client_ip = ""
        self.http_version = "1.1"
        self.keep_alive = True
        self.upgrade = False
        self.span: Any = None  # the gateway's server span, when tracing is on

    def header(self, name: bytes) -> bytes | None:
        """The first value of header `name` (lower-case), or None."""
        for key, value in self.headers:
            if key == name:
                return value
        return None


Handler = Callable[[Request, "Connection"], Awaitable[None]]


class Connection(asyncio.Protocol):
    """One client connection: parses requests and runs the handler for each, in order."""

    def __init__(self, server: HttpServer) -> None:
        self.server = server
        self.loop = server.loop
        self.transport: Any = None
        self.client_ip = ""
        self.parser = httptools.HttpRequestParser(self)
        self.closed = False
        self._req: Request | None = None
        self._url = b""
        self._head_bytes = 0
        self._in_head = False  # between the start of a request and the end of its headers
        self._raw_head = 0  # bytes received while in the head (a header value still arriving counts)
        self._body_parts: list[bytes] = []
        self._body_size = 0
        self._queue: collections.deque[Request] = collections.deque()
        self._busy = False
        self._reading_paused = False
        self._write_paused = False
        self._drain_waiter: asyncio.Future[None] | None = None
        self.deadline = float("inf")
        self._rejecting = False
        #: The request being answered (None before the first, and while rejecting a malformed one).
        self.current: Request | None = None
        #: Headers added to every response of the current request (CORS), set by the handler.
        self.response_headers: list[tuple[bytes, bytes]] = []
        # Per-response state
        self.response_started = False
        self.response_status = 0
        self._keep_alive = True
        self._chunked = False
        self._head_only = False

    # --------------------------------------------------------------------------- connection events

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """A client connected."""
        self.transport = transport
        peer = transport.get_extra_info("peername")
        self.client_ip = peer[0] if peer else ""
        if len(self.server.connections) >= self.server.max_connections:
            # Over the cap: a short 503 and close, before reading anything: slow clients cannot
            # hold every connection.
            self.server.refused_connections += 1
            transport.write(_BUSY)  # type: ignore[attr-defined]
            transport.close()
            self.closed = True
            return
        self.server.connections.add(self)
        self.server.deadlines.add(self)
        self._arm(self.server.keep_alive_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        """The client went away (or we closed)."""
        self.closed = True
        self.server.connections.discard(self)
        self.server.deadlines.discard(self)
        waiter, self._drain_waiter = self._drain_waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_exception(ConnectionResetError("client disconnected"))
            waiter.exception()

    def pause_writing(self) -> None:
        """The client reads slower than we write."""
        self._write_paused = True

    def resume_writing(self) -> None:
        """The client caught up."""
        self._write_paused = False
        waiter, self._drain_waiter = self._drain_waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def data_received(self, data: bytes) -> None:
        """Bytes from the client."""
        if self._rejecting or self.closed:
            return
        try:
            self.parser.feed_data(data)
            if self._in_head:
                # The parser keeps a header value until it ends: count what arrived meanwhile, so a
                # header that never ends is refused near the limit, not after it.
                # (A chunk in which the request began may hold the previous one's tail: not counted.)
                self._raw_head = 0 if self._raw_head < 0 else self._raw_head + len(data)
                if self._raw_head > MAX_HEAD_BYTES:
                    self._reject(431, "headers_too_large", "请求头过大。", "The request head is too large.")
        except httptools.HttpParserUpgrade:
            # Treated as plain HTTP/1.1 (the request was dispatched); close after answering.
            if self._queue:
                self._queue[-1].keep_alive = False
            self._rejecting = True
        except httptools.HttpParserError as exc:
            self._reject(
                400,
                "bad_request",
                f"请求不是有效的 HTTP/1.1：{exc}。",
                f"The request is not valid HTTP/1.1: {exc}.",
            )

    # --------------------------------------------------------------------------- parser callbacks

    def on_message_begin(self) -> None:
        """A request starts."""
        self._req = Request()
        self._url = b""
        self._head_bytes = 0
        self._in_head = True
        self._raw_head = -1  # began in the chunk being fed
        self._body_parts = []
        self._body_size = 0
        self._arm(self.server.request_read_timeout)

    def on_url(self, url: bytes) -> None:
        """(Part of) the request target."""
        self._url += url
        self._head_bytes += len(url)
        if self._head_bytes > MAX_HEAD_BYTES:
            self._reject(414, "uri_too_long", "请求地址过长。", "The request target is too long.")

    def on_header(self, name: bytes, value: bytes) -> None:
        """One header (a chunked body's trailer fields are dropped: never forwarded as headers)."""
        req = self._req
        if req is None or not self._in_head:
            return
        self._head_bytes += len(name) + len(value) + 4
        if self._head_bytes > MAX_HEAD_BYTES or len(req.headers) >= MAX_HEADERS:
            self._reject(431, "headers_too_large", "请求头过大。", "The request headers are too large.")
            return
        req.headers.append((name.lower(), value))

    def on_headers_complete(self) -> None:
        """Request line and headers are in."""
        self._in_head = False
        req = self._req
        if req is None or self._rejecting:
            return
        parser = self.parser
        req.method = parser.get_method().decode("ascii", "replace")
        req.http_version = parser.get_http_version()
        req.keep_alive = parser.should_keep_alive()
        req.upgrade = parser.should_upgrade()
        req.client_ip = self.client_ip
        target = self._url
        req.target = target
        if b"#" in target:
            # A request target has no fragment (RFC 9112 3.2). Servers behind us drop one, so a
            # path the gateway refuses ("…/metrics") would otherwise pass as "…/metrics#".
            self._reject(
                400,
                "bad_request_target",
                "请求地址中不能含有“#”及其后的片段，请去掉后重试。",
                "A request target may not contain a fragment (#…); remove it and retry.",
            )
            return
        qpos = target.find(b"?")
        if qpos >= 0:
            path_b, req.query = target[:qpos], target[qpos + 1 :]
        else:
            path_b = target
        if path_b[:1] != b"/":
            # Absolute-form (proxy-style) targets: keep only the path.
            if b"://" in path_b:
                rest = path_b.split(b"://", 1)[1]
                slash = rest.find(b"/")
                path_b = rest[slash:] if slash >= 0 else b"/"
            elif path_b == b"*":
                path_b = b"*"
        req.path = path_b.decode("latin-1")
        length = req.header(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                declared = -1
            if declared > self.server.max_body_bytes:
                self._reject(
                    413,
                    "payload_too_large",
                    f"请求内容有 {declared} 字节，最多接受 {self.server.max_body_bytes} 字节。",
                    f"The body is {declared} bytes; at most {self.server.max_body_bytes} bytes are accepted.",
                )
                return
        expect = req.header(b"expect")
        if expect is not None and expect.lower() == b"100-continue" and not self._queue and not self._busy:
            self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")

    def on_body(self, body: bytes) -> None:
        """A piece of the request body (chunked encoding already removed)."""
        if self._rejecting:
            return
        self._body_size += len(body)
        if self._body_size > self.server.max_body_bytes:
            self._reject(
                413,
                "payload_too_large",
                f"请求内容超过 {self.server.max_body_bytes} 字节的上限。",
                f"The body is over the limit of {self.server.max_body_bytes} bytes.",
            )
            return
        self._body_parts.append(body)
        # The request's deadline (set when it began) grows with the body, never from "now".
        self.deadline += len(body) / MIN_BODY_BYTES_PER_SECOND

    def on_message_complete(self) -> None:
        """The request is complete: queue it and run it if nothing is in flight."""
        req, self._req = self._req, None
        if req is None or self._rejecting:
            return
        parts = self._body_parts
        if parts:
            req.body = parts[0] if len(parts) == 1 else b"".join(parts)
            self._body_parts = []
        self._disarm()
        self._queue.append(req)
        if len(self._queue) > MAX_QUEUED and not self._reading_paused:
            self.transport.pause_reading()
            self._reading_paused = True
        if not self._busy:
            self._next()

    # --------------------------------------------------------------------------------- dispatch

    def _next(self) -> None:
        if self.closed:
            return
        if not self._queue:
            self._arm(self.server.keep_alive_timeout)
            return
        req = self._queue.popleft()
        if self._reading_paused and len(self._queue) <= MAX_QUEUED // 2:
            self.transport.resume_reading()
            self._reading_paused = False
        self._busy = True
        self.current = req
        self.response_headers = []
        self.response_started = False
        self.response_status = 0
        self._keep_alive = req.keep_alive and not req.upgrade
        self._head_only = req.method == "HEAD"
        fast = self.server.fast
        if fast is not None:
            try:
                if fast(req, self):
                    return  # answered, or will be from a callback that calls finish()
            except Exception:
                self._failed(req)
                self.finish()
                return
        self.loop.create_task(self._run(self.server.handler(req, self), req))

    async def _run(self, coro: Awaitable[None], req: Request) -> None:
        try:
            await coro
        except Exception:
            self._failed(req)
        self.finish()

    def _failed(self, req: Request) -> None:
        log.exception("unhandled error answering %s %s", req.method, req.path)
        if not self.response_started:
            self.server.on_error(req, self)
        else:
            self._keep_alive = False

    def spawn(self, coro: Awaitable[None], req: Request) -> None:
        """Continue answering `req` in a task (which calls finish() at its end)."""
        self.loop.create_task(self._run(coro, req))

    def finish(self) -> None:
        """The current request is answered: close, or go on with the next one."""
        if not self.response_started:
            self._keep_alive = False
        self._busy = False
        if not self._keep_alive or self._rejecting:
            self.close()
        elif self._queue:
            # Not from inside this callback: we may be deep in an upstream parser's feed_data.
            self.loop.call_soon(self._next)
        else:
            self._arm(self.server.keep_alive_timeout)

    def _reject(self, status: int, code: str, detail: str, en: str) -> None:
        """Answer a request we will not read to the end, then close (`detail` Chinese, `en` English)."""
        if self._rejecting:
            return
        self._rejecting = True
        # The answer negotiates its language from this request's headers, as far as they came.
        self.current = self._req
        self._req = None
        self._disarm()
        if self._busy:
            # A pipelined request is in flight; its answer goes first, then we close.
            self._queue.clear()
            return
        self._keep_alive = False
        self._head_only = False
        self.response_started = False
        self.response_headers = []
        self.server.on_reject(self, status, code, detail, en)
        self.close()

    # --------------------------------------------------------------------------------- timeouts

    def _arm(self, seconds: float) -> None:
        self.deadline = self.loop.time() + seconds

    def _disarm(self) -> None:
        self.deadline = float("inf")

    def on_deadline(self) -> None:
        """Idle too long between requests, or a request arrives too slowly."""
        self.deadline = float("inf")
        if self.closed:
            return
        self.server.deadlines.add(self)
        if self._busy:
            return
        if self._req is not None:
            self._reject(408, "request_timeout", "请求未能按时送达。", "The request did not arrive in time.")
        else:
            self.close()

    # --------------------------------------------------------------------------------- responses

    @property
    def keep_alive(self) -> bool:
        """Whether the connection stays open after this response."""
        return self._keep_alive

    def close(self) -> None:
        """Close after what was written is flushed."""
        if not self.closed:
            self.closed = True
            self._disarm()
            self.transport.close()

    def _head(self, status: int, headers: list[tuple[bytes, bytes]], framing: bytes) -> list[bytes]:
        parts = [_STATUS_LINES.get(status) or _status_line(status)]
        for key, value in headers:
            parts += (key, b": ", value, b"\r\n")
        for key, value in self.response_headers:
            parts += (key, b": ", value, b"\r\n")
        parts.append(framing)
        if not self._keep_alive:
            parts.append(b"connection: close\r\n")
        parts.append(b"\r\n")
        return parts

    def send(
        self,
        status: int,
        headers: list[tuple[bytes, bytes]],
        body: bytes = b"",
        *,
        content_length: int | None = None,
    ) -> None:
        """Write a whole response. `content_length` overrides len(body) (for HEAD answers)."""
        if self.response_started:
            raise RuntimeError("response already started")
        self.response_started = True
        self.response_status = status
        if self.closed:
            return
        if status < 200 or status in (204, 304):
            framing = b""
        else:
            n = len(body) if content_length is None else content_length
            framing = b"content-length: " + str(n).encode() + b"\r\n"
        parts = self._head(status, headers, framing)
        if body and not self._head_only and status not in (204, 304):
            parts.append(body)
        self.transport.write(b"".join(parts))

    def start(
        self, status: int, headers: list[tuple[bytes, bytes]], *, content_length: int | None = None
    ) -> None:
        """Start a streamed response (chunked unless `content_length` is known)."""
        if self.response_started:
            raise RuntimeError("response already started")
        self.response_started = True
        self.response_status = status
        if content_length is not None:
            framing = b"content-length: " + str(content_length).encode() + b"\r\n"
            self._chunked = False
        elif self._head_only:
            framing = b""
            self._chunked = False
        else:
            framing = b"transfer-encoding: chunked\r\n"
            self._chunked = True
        if not self.closed:
            self.transport.write(b"".join(self._head(status, headers, framing)))

    def write(self, data: bytes) -> None:
        """Write a piece of a streamed body."""
        if self.closed or not data or self._head_only:
            return
        if self._chunked:
            self.transport.write(b"%x\r\n%b\r\n" % (len(data), data))
        else:
            self.transport.write(data)

    async def drain(self) -> None:
        """Wait while the client is slower than us; raises ConnectionResetError if it left."""
        if self.closed:
            raise ConnectionResetError("client disconnected")
        if self._write_paused:
            self._drain_waiter = self.loop.create_future()
            await self._drain_waiter

    def end(self) -> None:
        """Finish a streamed body."""
        if self._chunked and not self.closed and not self._head_only:
            self.transport.write(b"0\r\n\r\n")
        self._chunked = False

    def abort(self) -> None:
        """Drop the connection now (a streamed response could not be completed)."""
        self._keep_alive = False
        if not self.closed:
            self.closed = True
            self._disarm()
            self.transport.abort()


RejectHook = Callable[[Connection, int, str, str, str], None]
ErrorHook = Callable[[Request, Connection], None]
#: Tries to answer without a coroutine; True if it took the request (it then calls finish()).
FastHandler = Callable[[Request, Connection], bool]


class HttpServer:
    """Serves `handler` on a listening socket."""

    def __init__(
        self,
        handler: Handler,
        *,
        on_reject: RejectHook,
        on_error: ErrorHook,
        fast: FastHandler | None = None,
        max_body_bytes: int = 10 * 1024 * 1024,
        keep_alive_timeout: float = 75.0,
        request_read_timeout: float = 60.0,
        max_connections: int = 10_000,
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        self.handler = handler
        self.on_reject = on_reject
        self.on_error = on_error
        self.fast = fast
        self.max_body_bytes = max_body_bytes
        self.keep_alive_timeout = keep_alive_timeout
        self.request_read_timeout = request_read_timeout
        self.max_connections = max_connections
        self.refused_connections = 0
        self.loop = loop or asyncio.get_running_loop()
        self.connections: set[Connection] = set()
        self.deadlines = Deadlines(self.loop, 0.5)
        self._server: asyncio.AbstractServer | None = None

    async def listen(self, host: str, port: int, *, reuse_port: bool = False, sock: Any = None) -> None:
        """Start accepting connections."""
        if sock is not None:
            self._server = await self.loop.create_server(lambda: Connection(self), sock=sock, backlog=2048)
        else:
            self._server = await self.loop.create_server(
                lambda: Connection(self), host, port, reuse_port=reuse_port or None, backlog=2048
            )

    @property
    def port(self) -> int:
        """The bound port (useful with port 0)."""
        assert self._server is not None
        sockets: list[Any] = list(getattr(self._server, "sockets", None) or [])
        return int(sockets[0].getsockname()[1])

    async def close(self, grace: float = 5.0) -> None:
        """Stop accepting, let requests in flight finish (up to `grace` seconds), close the rest."""
        if self._server is not None:
            self._server.close()
        deadline = self.loop.time() + grace
        while any(c._busy for c in self.connections) and self.loop.time() < deadline:
            await asyncio.sleep(0.05)
        for conn in list(self.connections):
            conn.close()
        self.deadlines.close()
        if self._server is not None:
            await self._server.wait_closed()
