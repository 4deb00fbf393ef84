"""Prototype C: aiohttp.web Application (router, catch-all route) + aiohttp ClientSession, uvloop."""

from __future__ import annotations

import aiohttp
import uvloop
from _common import HOP_BY_HOP, PREFIX, args, request_id
from aiohttp import web

a = args()


async def on_startup(app: web.Application) -> None:
    app["session"] = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=256, keepalive_timeout=30),
        auto_decompress=False,
        cookie_jar=aiohttp.DummyCookieJar(),
        timeout=aiohttp.ClientTimeout(total=10),
    )


async def on_cleanup(app: web.Application) -> None:
    await app["session"].close()


async def proxy(request: web.Request) -> web.StreamResponse:
    rid = request_id(request.headers.get("X-Request-ID"))
    headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
    headers["X-Request-ID"] = rid
    headers["X-Forwarded-For"] = request.remote or ""
    body = await request.read() if request.body_exists else None
    url = a.upstream + request.raw_path[len(PREFIX) :]
    async with request.app["session"].request(
        request.method, url, headers=headers, data=body, skip_auto_headers=("User-Agent",)
    ) as resp:
        data = await resp.read()
        out = {k: v for k, v in resp.headers.items() if k.lower() not in HOP_BY_HOP}
        out["X-Request-ID"] = rid
        return web.Response(body=data, status=resp.status, headers=out)


app = web.Application()
app.router.add_route("*", "/api/catalog/{tail:.*}", proxy)
app.on_startup.append(on_startup)
app.on_cleanup.append(on_cleanup)
uvloop.install()
web.run_app(app, host="127.0.0.1", port=a.port, access_log=None, print=None)
