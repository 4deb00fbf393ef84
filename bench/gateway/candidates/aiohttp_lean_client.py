"""Prototype E: aiohttp low-level web.Server + the gateway's lean pooled HTTP/1.1 client
(`gateway.upstream`: asyncio protocols + httptools), uvloop. No auth/limits/metrics: engine only."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import uvloop
from _common import HOP_BY_HOP, PREFIX, args, request_id
from aiohttp import web
from multidict import CIMultiDict

from gateway.upstream import UpstreamPool

a = args()
up = urlsplit(a.upstream)
BHOP = {h.encode() for h in HOP_BY_HOP}
pool: UpstreamPool


async def proxy(request: web.BaseRequest) -> web.StreamResponse:
    rid = request_id(request.headers.get("X-Request-ID"))
    lines = [f"{request.method} {request.raw_path[len(PREFIX) :]} HTTP/1.1\r\nHost: {up.netloc}\r\n".encode()]
    for k, v in request.raw_headers:
        if k.lower() not in BHOP and k.lower() != b"x-request-id":
            lines.append(k + b": " + v + b"\r\n")
    body = await request.read() if request.body_exists else b""
    lines.append(
        f"X-Request-ID: {rid}\r\nX-Forwarded-For: {request.remote}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n".encode()
    )
    resp = await pool.request(request.method, b"".join(lines), body, timeout=10)
    await resp.wait_small_body()
    out = CIMultiDict(
        (k.decode("latin-1"), v.decode("latin-1")) for k, v in resp.headers if k.lower() not in BHOP
    )
    out["X-Request-ID"] = rid
    return web.Response(body=resp.body, status=resp.status, headers=out)


async def main() -> None:
    global pool
    pool = UpstreamPool(up.hostname or "127.0.0.1", up.port or 80, name="catalog")
    runner = web.ServerRunner(web.Server(proxy, access_log=None))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", a.port).start()
    await asyncio.Event().wait()


uvloop.run(main())
