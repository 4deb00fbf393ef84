"""Prototype A: FastAPI catch-all route + httpx.AsyncClient (the common first attempt)."""

from __future__ import annotations

import httpx
import uvicorn
from _common import HOP_BY_HOP, args, request_id
from fastapi import FastAPI, Request
from fastapi.responses import Response

a = args()
app = FastAPI()
client = httpx.AsyncClient(
    base_url=a.upstream, timeout=10, limits=httpx.Limits(max_connections=256, max_keepalive_connections=256)
)


@app.api_route("/api/catalog/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
async def proxy(request: Request, rest: str) -> Response:
    rid = request_id(request.headers.get("x-request-id"))
    headers = {k: v for k, v in request.headers.items() if k not in HOP_BY_HOP}
    headers["x-request-id"] = rid
    headers["x-forwarded-for"] = request.client.host if request.client else ""
    body = await request.body()
    resp = await client.request(
        request.method, "/" + rest, params=request.url.query or None, headers=headers, content=body or None
    )
    out = {k: v for k, v in resp.headers.items() if k not in HOP_BY_HOP}
    out["x-request-id"] = rid
    return Response(resp.content, status_code=resp.status_code, headers=out)


uvicorn.run(
    app, host="127.0.0.1", port=a.port, loop="uvloop", http="httptools", access_log=False, log_level="warning"
)
