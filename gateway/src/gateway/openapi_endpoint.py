"""/api/openapi.json: the services' documents merged into one, cached, fetched once at a time."""

from __future__ import annotations

import asyncio
import hashlib
import time
from typing import Any

import orjson

from . import __version__
from .base import JSON_CONTENT_TYPE, GatewayBase
from .httpserver import Connection, Request
from .openapi import merge_openapi
from .problems import send_problem
from .upstream import UpstreamError


class OpenApiEndpoint(GatewayBase):
    """Serving the merged OpenAPI document."""

    async def _serve_openapi(self, req: Request, conn: Connection, rid: str) -> None:
        if req.method not in ("GET", "HEAD"):
            send_problem(
                conn,
                status=405,
                code="method_not_allowed",
                detail=f"/api/openapi.json 不支持 {req.method} 方法，请使用 GET。",
                en=f"{req.method} is not allowed on /api/openapi.json; use GET.",
                request_id=rid,
                headers=[(b"allow", b"GET, HEAD")],
            )
            return
        if self._limited(conn, rid, "ip:" + self._client_ip(req)):
            return
        _, body, etag = await self.openapi_document()
        headers = [
            (b"etag", etag),
            (b"cache-control", b"no-cache"),
            (b"x-request-id", rid.encode("ascii")),
        ]
        if req.header(b"if-none-match") == etag:
            conn.send(304, headers)
            return
        conn.send(200, [(b"content-type", JSON_CONTENT_TYPE), *headers], body)

    async def openapi_document(self) -> tuple[float, bytes, bytes]:
        """(expires_at, JSON bytes, ETag) of the merged document, cached; one fetch at a time."""
        cached = self._openapi
        if cached is not None and cached[0] > time.monotonic():
            return cached
        task = self._openapi_task
        if task is None or task.done():
            task = self._openapi_task = asyncio.get_running_loop().create_task(self._build_openapi())
        result = await asyncio.shield(task)
        self._openapi = result
        return result

    async def _build_openapi(self) -> tuple[float, bytes, bytes]:
        timeout = min(self.timeout, 5.0)

        async def fetch(service: str) -> dict[str, Any] | None:
            try:
                status, body = await self._get(service, b"/openapi.json", timeout)
                if status != 200:
                    return None
                doc = orjson.loads(body)
            except (UpstreamError, orjson.JSONDecodeError):
                return None
            return doc if isinstance(doc, dict) else None

        names = list(self.pools)
        docs = await asyncio.gather(*(fetch(n) for n in names))
        available = {n: d for n, d in zip(names, docs, strict=True) if d is not None}
        unavailable = [n for n, d in zip(names, docs, strict=True) if d is None]
        merged = merge_openapi(available, unavailable=unavailable, version=__version__)
        body = orjson.dumps(merged)
        etag = b'"' + hashlib.sha256(body).hexdigest()[:32].encode() + b'"'
        ttl = (
            self.settings.openapi_cache_seconds
            if not unavailable
            else min(5.0, self.settings.openapi_cache_seconds)
        )
        return time.monotonic() + ttl, body, etag
