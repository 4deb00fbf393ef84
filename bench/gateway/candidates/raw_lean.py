"""Prototype F: the gateway's own HTTP/1.1 front end (`gateway.httpserver`: asyncio protocol +
httptools) + the lean pooled client (`gateway.upstream`), uvloop. No auth/limits/metrics: engine only."""

from __future__ import annotations

import asyncio
import os
from urllib.parse import urlsplit

import uvloop
from _common import HOP_BY_HOP, PREFIX, args

from gateway.httpserver import Connection, HttpServer, Request
from gateway.upstream import UpstreamPool

a = args()
up = urlsplit(a.upstream)
BHOP = {h.encode() for h in HOP_BY_HOP} | {b"x-request-id"}
pool: UpstreamPool
PFX = os.urandom(8).hex()
counter = 0


async def proxy(req: Request, conn: Connection) -> None:
    global counter
    rid = req.header(b"x-request-id")
    if rid is None:
        counter += 1
        rid = f"{PFX}{counter:016x}".encode()
    lines = [
        req.method.encode(),
        b" ",
        req.target[len(PREFIX) :],
        b" HTTP/1.1\r\nhost: ",
        up.netloc.encode(),
        b"\r\n",
    ]
    for k, v in req.headers:
        if k not in BHOP:
            lines += (k, b": ", v, b"\r\n")
    lines += (
        b"x-request-id: ",
        rid,
        b"\r\nx-forwarded-for: ",
        req.client_ip.encode(),
        b"\r\ncontent-length: ",
        str(len(req.body)).encode(),
        b"\r\n\r\n",
    )
    resp = await pool.request(req.method, b"".join(lines), req.body, timeout=10)
    await resp.wait_small_body()
    out = [(k, v) for k, v in resp.headers if k.lower() not in BHOP]
    out.append((b"x-request-id", rid))
    conn.send(resp.status, out, resp.body)


def reject(conn: Connection, status: int, code: str, detail: str) -> None:
    conn.send(status, [], detail.encode())


def error(req: Request, conn: Connection) -> None:
    conn.send(500, [], b"error")


async def main() -> None:
    global pool
    pool = UpstreamPool(up.hostname or "127.0.0.1", up.port or 80, name="catalog")
    server = HttpServer(proxy, on_reject=reject, on_error=error)
    await server.listen("127.0.0.1", a.port)
    await asyncio.Event().wait()


uvloop.run(main())
