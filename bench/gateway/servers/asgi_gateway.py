"""The gateway's own logic (`Gateway.fast` and `Gateway.handle`, unchanged) behind ASGI, so that
well-kept servers can serve it and be measured against the gateway's own HTTP server (issue 18,
point 5; ADR 0002). Not for production: it exists to compare servers on the same logic.

    python bench/gateway/servers/asgi_gateway.py --server uvicorn|granian --port N

reads the gateway's settings from the environment (GATEWAY_*) like `python -m gateway`.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from pathlib import Path
from typing import Any

from gateway.app import Gateway
from gateway.config import GatewaySettings
from gateway.httpserver import Request

log = logging.getLogger("bench.asgi_gateway")

#: Ends a response's messages: the request is answered.
_FINISHED: dict[str, Any] = {"type": "finished"}
#: The response could not be completed: drop the connection.
_ABORTED: dict[str, Any] = {"type": "aborted"}


class AsgiConnection:
    """What `Gateway` needs of a client connection, turned into ASGI messages on a queue."""

    def __init__(self, gateway: Gateway, request: Request, head_only: bool) -> None:
        self.loop = asyncio.get_running_loop()
        self.gateway = gateway
        self.request = request
        self.head_only = head_only
        self.messages: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.response_headers: list[tuple[bytes, bytes]] = []
        self.response_status = 0
        self.response_started = False
        self.closed = False
        self.keep_alive = True

    def send(
        self,
        status: int,
        headers: list[tuple[bytes, bytes]],
        body: bytes = b"",
        *,
        content_length: int | None = None,
    ) -> None:
        """A whole response."""
        self.start(status, headers, content_length=len(body) if content_length is None else content_length)
        self.messages.put_nowait({"type": "http.response.body", "body": b"" if self.head_only else body})

    def start(
        self, status: int, headers: list[tuple[bytes, bytes]], *, content_length: int | None = None
    ) -> None:
        """The start of a response (the server chunks it unless its length is given)."""
        self.response_started = True
        self.response_status = status
        all_headers = [*headers, *self.response_headers]
        if content_length is not None and status >= 200 and status not in (204, 304):
            all_headers.append((b"content-length", str(content_length).encode()))
        self.messages.put_nowait({"type": "http.response.start", "status": status, "headers": all_headers})

    def write(self, data: bytes) -> None:
        """A piece of a streamed body."""
        if data and not self.head_only:
            self.messages.put_nowait({"type": "http.response.body", "body": data, "more_body": True})

    async def drain(self) -> None:
        """Wait until what was written has been handed to the server."""
        while not self.messages.empty() and not self.closed:
            await asyncio.sleep(0)

    def end(self) -> None:
        """The end of a streamed body."""
        self.messages.put_nowait({"type": "http.response.body", "body": b""})

    def abort(self) -> None:
        """Drop the connection."""
        self.closed = True
        self.messages.put_nowait(_ABORTED)

    def close(self) -> None:
        """Close after this response (the server decides; nothing to do here)."""

    def finish(self) -> None:
        """The request is answered."""
        self.messages.put_nowait(_FINISHED)

    def spawn(self, coro: Any, req: Request) -> None:
        """Go on answering in a task, which finishes the request at its end."""
        self.loop.create_task(self._run(coro, req))

    async def _run(self, coro: Any, req: Request) -> None:
        try:
            await coro
        except Exception:
            log.exception("unhandled error answering %s %s", req.method, req.path)
            if not self.response_started:
                self.gateway._on_error(req, self)  # type: ignore[arg-type]
        self.finish()


def _request(scope: dict[str, Any], body: bytes) -> Request:
    req = Request()
    req.method = scope["method"]
    raw = scope.get("raw_path") or scope["path"].encode("latin-1")
    query = scope.get("query_string", b"")
    req.target = raw + (b"?" + query if query else b"")
    req.path = raw.decode("latin-1")
    req.query = query
    req.headers = list(scope["headers"])
    req.body = body
    client = scope.get("client")
    req.client_ip = client[0] if client else ""
    req.http_version = scope.get("http_version", "1.1")
    return req


class Served:
    """One gateway answering requests another server hands it."""

    def __init__(self, settings: GatewaySettings) -> None:
        self.gateway = Gateway(settings)
        self.fast = self.gateway.fast if settings.fast_path else None
        self.opened: asyncio.Task[None] | None = None

    async def ready(self) -> None:
        """Open the gateway once, on the loop that serves requests: a server may run its lifespan
        on another loop, and the pools' callbacks must wake this one."""
        if self.opened is None:
            self.opened = asyncio.get_running_loop().create_task(self._open())
        await self.opened

    async def _open(self) -> None:
        await self.gateway.open()
        await self.gateway.follow_keys()

    def answer(self, req: Request) -> AsgiConnection:
        """Start answering `req`; its response arrives as messages on the connection's queue."""
        conn = AsgiConnection(self.gateway, req, head_only=req.method == "HEAD")
        if self.fast is None or not self.fast(req, conn):  # type: ignore[arg-type]
            conn.spawn(self.gateway.handle(req, conn), req)  # type: ignore[arg-type]
        return conn


def build(settings: GatewaySettings) -> Any:
    """An ASGI application answering every request with the gateway's logic."""
    served = Served(settings)

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    if served.opened is not None:
                        await served.gateway.stop()
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        await served.ready()
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        conn = served.answer(_request(scope, body))
        while True:
            message = await conn.messages.get()
            if message is _FINISHED:
                return
            if message is _ABORTED:
                raise ConnectionResetError("the response could not be completed")
            await send(message)

    return app


def build_rsgi(settings: GatewaySettings) -> Any:
    """An RSGI application (granian's own interface) answering with the gateway's logic."""
    served = Served(settings)

    async def app(scope: Any, proto: Any) -> None:
        await served.ready()
        req = Request()
        req.method = scope.method
        req.path = scope.path
        req.query = scope.query_string.encode("latin-1")
        req.target = req.path.encode("latin-1") + (b"?" + req.query if req.query else b"")
        req.headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in scope.headers.items()]
        req.body = await proto()
        req.client_ip = scope.client.rpartition(":")[0]
        conn = served.answer(req)
        status, headers, transport = 500, [], None
        while True:
            message = await conn.messages.get()
            if message is _FINISHED or message is _ABORTED:
                return
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in message["headers"]]
            elif transport is None and not message.get("more_body"):
                proto.response_bytes(status, headers, message["body"])
            else:
                if transport is None:
                    transport = proto.response_stream(status, headers)
                if message["body"]:
                    await transport.send_bytes(message["body"])

    return app


def main() -> None:
    """Serve the gateway's logic with uvicorn (uvloop + httptools) or granian (ASGI or RSGI)."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--server", choices=("uvicorn", "granian", "granian-rsgi"), required=True)
    ap.add_argument("--port", type=int, required=True)
    opts = ap.parse_args()
    settings = GatewaySettings()
    if opts.server == "uvicorn":
        import uvicorn

        uvicorn.run(
            build(settings),
            host="127.0.0.1",
            port=opts.port,
            loop="uvloop",
            http="httptools",
            lifespan="on",
            access_log=False,
            log_level="warning",
        )
    else:
        from granian.constants import HTTPModes, Interfaces, Loops
        from granian.server import Server

        rsgi = opts.server == "granian-rsgi"
        Server(
            "asgi_gateway:rsgi_factory" if rsgi else "asgi_gateway:factory",
            address="127.0.0.1",
            port=opts.port,
            interface=Interfaces.RSGI if rsgi else Interfaces.ASGI,
            http=HTTPModes.http1,
            loop=Loops.uvloop,
            workers=1,
            log_access=False,
            factory=True,
            working_dir=Path(__file__).resolve().parent,
        ).serve()


def factory() -> Any:
    """The application, built in granian's worker process (granian imports it by name)."""
    return build(GatewaySettings())


def rsgi_factory() -> Any:
    """The RSGI application, built in granian's worker process."""
    return build_rsgi(GatewaySettings())


if __name__ == "__main__":
    main()
