"""The gateway's own endpoints, for the paths that lead to no service.

/healthz, /readyz (every service's readiness), /metrics, the Swagger UI at /docs, and the front
end's files when it is installed.
"""

from __future__ import annotations

import asyncio

import orjson

from yiwang_shared.security_headers import add_security_headers

from .base import JSON_CONTENT_TYPE, GatewayBase
from .httpserver import Connection, Request, http_date
from .problems import send_problem
from .upstream import UpstreamProtocolError, UpstreamTimeout, UpstreamUnreachable
from .web import WEB_CSP

#: The operations endpoints: never traced, and not counted in the request metrics.
OPS = frozenset({"/healthz", "/readyz", "/metrics"})


class BuiltInEndpoints(GatewayBase):
    """Answers for the paths that lead to no service."""

    async def _serve_local(self, req: Request, conn: Connection, rid: str, path: str) -> None:
        local = path in OPS or path == "/docs" or path.startswith("/docs/static/")
        if not local and self.web is not None and req.method in ("GET", "HEAD"):
            if not self._limited(conn, rid, "ip:" + self._client_ip(req)):
                self._serve_web(req, conn, rid, path)
            return
        if not local and self.web is None:
            send_problem(
                conn,
                status=404,
                code="not_found",
                detail=f"{path} 处没有资源。网关提供 /api/<服务>/...、/open311/v2/...、/api/openapi.json、"
                "/docs、/healthz、/readyz 和 /metrics。",
                en=f"No resource at {path}. The gateway serves /api/<service>/..., /open311/v2/..., "
                "/api/openapi.json, /docs, /healthz, /readyz and /metrics.",
                request_id=rid,
                instance=path,
            )
            return
        if req.method not in ("GET", "HEAD"):
            send_problem(
                conn,
                status=405,
                code="method_not_allowed",
                detail=f"{path} 不支持 {req.method} 方法，请使用 GET。",
                en=f"{req.method} is not allowed on {path}; use GET.",
                request_id=rid,
                headers=[(b"allow", b"GET, HEAD")],
                instance=path,
            )
            return
        rid_h = (b"x-request-id", rid.encode("ascii"))
        if path == "/healthz":
            body = orjson.dumps({"status": "ok", "service": "gateway"})
            conn.send(200, [(b"content-type", JSON_CONTENT_TYPE), (b"date", http_date()), rid_h], body)
        elif path == "/readyz":
            await self._readyz(conn, rid)
        elif path == "/metrics":
            body = self.metrics.exposition()
            conn.send(200, [(b"content-type", b"text/plain; version=0.0.4; charset=utf-8"), rid_h], body)
        elif self._limited(conn, rid, "ip:" + self._client_ip(req)):
            return
        elif self.docs is None:
            send_problem(
                conn,
                status=404,
                code="not_found",
                detail="接口文档已关闭。",
                en="The API docs are turned off.",
                request_id=rid,
            )
        elif path == "/docs":
            headers = [(b"content-type", b"text/html; charset=utf-8"), rid_h]
            add_security_headers(headers, path)
            conn.send(200, headers, self.docs.page)
        else:
            asset = self.docs.static.get(path[len("/docs/static/") :])
            if asset is None:
                send_problem(
                    conn,
                    status=404,
                    code="not_found",
                    detail=f"{path} 处没有文件。",
                    en=f"No file at {path}.",
                    request_id=rid,
                )
            else:
                ctype, data = asset
                headers = [(b"content-type", ctype), (b"cache-control", b"public, max-age=86400"), rid_h]
                add_security_headers(headers, path)
                conn.send(200, headers, data)

    def _serve_web(self, req: Request, conn: Connection, rid: str, path: str) -> None:
        """A file of the front end, or its index.html for a route of the app (SPA fallback)."""
        assert self.web is not None
        found = self.web.find(path)
        if found is None:
            send_problem(
                conn,
                status=404,
                code="not_found",
                detail=f"{path} 处没有文件。",
                en=f"No file at {path}.",
                request_id=rid,
                instance=path,
            )
            return
        headers = [
            (b"content-type", found.content_type),
            (b"cache-control", found.cache_control),
            (b"x-request-id", rid.encode("ascii")),
        ]
        body = found.body
        if found.gzipped is not None:
            headers.append((b"vary", b"accept-encoding"))
            if b"gzip" in (req.header(b"accept-encoding") or b"").lower():
                headers.append((b"content-encoding", b"gzip"))
                body = found.gzipped
        if found.content_type.startswith(b"text/html"):
            headers.append((b"content-security-policy", WEB_CSP))
            headers.append((b"referrer-policy", b"same-origin"))
        add_security_headers(headers, path)
        conn.send(200, headers, body)

    async def _readyz(self, conn: Connection, rid: str) -> None:
        timeout = self.settings.readiness_timeout_seconds

        async def check(service: str) -> str:
            try:
                status, _ = await self._get(service, b"/readyz", timeout)
            except UpstreamUnreachable:
                return "unreachable"
            except UpstreamTimeout:
                return "timeout"
            except UpstreamProtocolError:
                return "bad response"
            return "ready" if status == 200 else f"not ready ({status})"

        names = list(self.pools)
        results = dict(zip(names, await asyncio.gather(*(check(n) for n in names)), strict=True))
        down = {n: s for n, s in results.items() if s != "ready"}
        if not down:
            body = orjson.dumps({"status": "ready", "service": "gateway", "services": results})
            headers = [(b"content-type", JSON_CONTENT_TYPE), (b"x-request-id", rid.encode("ascii"))]
            conn.send(200, headers, body)
            return
        send_problem(
            conn,
            status=503,
            code="gateway.not_ready",
            detail="并非所有服务都已就绪：" + "，".join(f"{n}-svc {s}" for n, s in down.items()) + "。",
            en="Not every service is ready: " + ", ".join(f"{n}-svc {s}" for n, s in down.items()) + ".",
            request_id=rid,
            services=results,
            not_ready=sorted(down),
        )
