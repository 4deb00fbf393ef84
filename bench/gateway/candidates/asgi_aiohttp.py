"""Prototype B: a raw ASGI app on uvicorn (uvloop + httptools) with an aiohttp ClientSession."""

from __future__ import annotations

import aiohttp
import uvicorn
from _common import HOP_BY_HOP, PREFIX, args, request_id

a = args()
session: aiohttp.ClientSession | None = None
BHOP = {h.encode() for h in HOP_BY_HOP}


async def app(scope, receive, send):  # type: ignore[no-untyped-def]
    global session
    if scope["type"] == "lifespan":
        while True:
            msg = await receive()
            if msg["type"] == "lifespan.startup":
                session = aiohttp.ClientSession(
                    connector=aiohttp.TCPConnector(limit=256, keepalive_timeout=30),
                    auto_decompress=False,
                    cookie_jar=aiohttp.DummyCookieJar(),
                    timeout=aiohttp.ClientTimeout(total=10),
                )
                await send({"type": "lifespan.startup.complete"})
            elif msg["type"] == "lifespan.shutdown":
                await session.close()  # type: ignore[union-attr]
                await send({"type": "lifespan.shutdown.complete"})
                return
    path = scope["path"]
    rid = None
    headers = {}
    for k, v in scope["headers"]:
        if k == b"x-request-id":
            rid = v.decode("latin-1")
        elif k not in BHOP:
            headers[k.decode("latin-1")] = v.decode("latin-1")
    rid = request_id(rid)
    headers["x-request-id"] = rid
    headers["x-forwarded-for"] = scope["client"][0]
    body = b""
    more = True
    while more:
        msg = await receive()
        body += msg.get("body", b"")
        more = msg.get("more_body", False)
    url = a.upstream + path[len(PREFIX) :]
    if scope["query_string"]:
        url += "?" + scope["query_string"].decode("latin-1")
    async with session.request(
        scope["method"], url, headers=headers, data=body or None, skip_auto_headers=("User-Agent",)
    ) as resp:  # type: ignore[union-attr]
        data = await resp.read()
        out = [
            (k.encode("latin-1"), v.encode("latin-1"))
            for k, v in resp.headers.items()
            if k.lower() not in HOP_BY_HOP
        ]
        out.append((b"x-request-id", rid.encode()))
        out.append((b"content-length", str(len(data)).encode()))
    await send({"type": "http.response.start", "status": resp.status, "headers": out})
    await send({"type": "http.response.body", "body": data})


uvicorn.run(
    app, host="127.0.0.1", port=a.port, loop="uvloop", http="httptools", access_log=False, log_level="warning"
)
