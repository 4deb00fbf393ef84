"""Prototype D: aiohttp's low-level web.Server (no router, no middleware chain) + ClientSession, uvloop."""

from __future__ import annotations

import asyncio

import aiohttp
import uvloop
from _common import HOP_BY_HOP, PREFIX, args, request_id
from aiohttp import web
from multidict import CIMultiDict

a = args()
session: aiohttp.ClientSession


async def proxy(request: web.BaseRequest) -> web.StreamResponse:
    rid = request_id(request.headers.get("X-Request-ID"))
    headers = CIMultiDict((k, v) for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP)
    headers["X-Request-ID"] = rid
    headers["X-Forwarded-For"] = request.remote or ""
    body = await request.read() if request.body_exists else None
    url = a.upstream + request.raw_path[len(PREFIX) :]
    async with session.request(
        request.method, url, headers=headers, data=body, skip_auto_headers=("User-Agent",)
    ) as resp:
        data = await resp.read()
        out = CIMultiDict((k, v) for k, v in resp.headers.items() if k.lower() not in HOP_BY_HOP)
        out["X-Request-ID"] = rid
        return web.Response(body=data, status=resp.status, headers=out)


async def main() -> None:
    global session
    session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=256, keepalive_timeout=30),
        auto_decompress=False,
        cookie_jar=aiohttp.DummyCookieJar(),
        timeout=aiohttp.ClientTimeout(total=10),
    )
    server = web.Server(proxy, access_log=None)
    runner = web.ServerRunner(server)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", a.port).start()
    await asyncio.Event().wait()


uvloop.run(main())
