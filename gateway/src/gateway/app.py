"""The gateway: routing, token checks, rate limits, request ids, timeouts, health and one OpenAPI.

Routes::

    /api/<service>/<rest>   → <service base URL>/<rest>   (every service in config.SERVICES)
    /open311/v2/...         → hotline /open311/v2/...      (Open311 GeoReport v2, public)
    /api/openapi.json       the merged OpenAPI 3.1 document;  /docs  Swagger UI for it
    /healthz  /readyz  /metrics

The class is put together from one part per responsibility: `base` (state and the steps every
request takes), `proxy` (the proxy path), `cors_handling`, `builtin_endpoints` (health, metrics,
docs, the front end), `openapi_endpoint` and `key_following`. Here: the life cycle and the two
ways in — `fast` (a callback, no coroutine: ADR 0002) and `handle` (everything else).

Tracing (ADR 0004) is off unless GATEWAY_OTEL_EXPORTER names an exporter: then every request gets
a server span, child of the caller's `traceparent`, and the upstream request carries the span's
own traceparent. Off, the hot path pays one attribute check and passes a caller's header through.
A service's own /metrics is never proxied: it is for the scraper on the service's port only.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

from yiwang_shared.context import request_id_var, traceparent_var
from yiwang_shared.errors import ProblemError
from yiwang_shared.tracing import span_traceparent

from .auth import bearer_from_header
from .builtin_endpoints import OPS as _OPS
from .builtin_endpoints import BuiltInEndpoints
from .config import default_web_dir
from .cors_handling import CorsHandling
from .httpserver import Connection, HttpServer, Request
from .key_following import KeyFollowing
from .openapi_endpoint import OpenApiEndpoint
from .problems import send_problem
from .proxy import ProxyPath, is_internal_path
from .upstream import IDEMPOTENT, UpstreamPool, UpstreamProtocolError, UpstreamResponse
from .web import WebAssets

__all__ = ["Gateway"]


class Gateway(CorsHandling, ProxyPath, BuiltInEndpoints, OpenApiEndpoint, KeyFollowing):
    """One gateway process: an HTTP server and a connection pool per service."""

    async def start(self, *, sock: Any = None, reuse_port: bool = False) -> None:
        """Open the pools and start listening (on `sock`, or settings.host:port)."""
        await self.open()
        self.server = HttpServer(
            self.handle,
            on_reject=self._on_reject,
            on_error=self._on_error,
            fast=self.fast if self.settings.fast_path else None,
            max_body_bytes=self.settings.max_body_bytes,
            keep_alive_timeout=self.settings.keep_alive_timeout_seconds,
            request_read_timeout=self.settings.request_read_timeout_seconds,
            max_connections=self.settings.max_connections,
        )
        await self.server.listen(self.settings.host, self.settings.port, reuse_port=reuse_port, sock=sock)
        await self.follow_keys()

    async def open(self) -> None:
        """Open the pools, load the front end, start tracing: all that `fast` and `handle` need."""
        # Not the HTTP server: bench/gateway serves `fast` and `handle` with others to compare them.
        for name, url in self.urls.items():
            parts = urlsplit(url)
            if parts.scheme != "http" or not parts.hostname:
                # not user-facing
                raise ValueError(f"GATEWAY_{name.upper()}_URL must be an http:// URL, not {url!r}")
            self.pools[name] = UpstreamPool(
                parts.hostname,
                parts.port or 80,
                name=name,
                limit=self.settings.upstream_pool_size,
                connect_timeout=self.settings.upstream_connect_timeout_seconds,
            )
            self._hosts[name] = parts.netloc.encode("idna")
            self._base_paths[name] = parts.path.rstrip("/").encode()
        self.web = WebAssets.load(default_web_dir(self.settings.web_dir))
        self.metrics.pool_sizes = lambda: {n: (p.size, p.idle) for n, p in self.pools.items()}
        self.tracing.start(self.settings.otel_exporter, self.settings.otel_endpoint)
        self.tracer = self.tracing.tracer

    @property
    def port(self) -> int:
        """The port the gateway listens on."""
        assert self.server is not None
        return self.server.port

    async def stop(self, grace: float = 10.0) -> None:
        """Stop accepting, finish requests in flight (up to `grace` s), close the pools."""
        if self.server is not None:
            await self.server.close(grace)
        for task in (self._openapi_task, self._prefetch):
            if task is not None and not task.done():
                task.cancel()
        if self.tokens.revocations is not None:
            await self.tokens.revocations.stop()
        for pool in self.pools.values():
            pool.close()
        self.tracer = None
        self.tracing.shutdown()

    def fast(self, req: Request, conn: Connection) -> bool:
        """Answer on the hot path without a coroutine, if possible; False to take `handle` instead.

        Taken: a proxied request whose token (if any) is cached, with an idle upstream
        connection at hand. The upstream's answer arrives in a callback (ADR 0002).
        """
        if req.method == "OPTIONS" or (self.cors.enabled and self._cors(req, conn)):
            return False  # perhaps a preflight: answered by `handle`
        route = self._route(req)
        if route is None or len(req.body) > 65536 or is_internal_path(route[1]):
            return False
        auth = req.header(b"authorization")
        subject: str | None = None
        if auth is not None:
            try:
                token = bearer_from_header(auth)
            except ProblemError:
                return False
            if token is not None:
                subject = self.tokens.cached_subject(token)
                if subject is None:
                    return False  # needs verifying: the async path
        start = time.perf_counter()
        service, tail = route
        if self.tracer is not None:
            self._start_span(req, service)
        rid = self._request_id(req)
        client_ip = self._client_ip(req)
        if self._limited(conn, rid, "sub:" + subject if subject else "ip:" + client_ip):
            self._observe(req, conn, service, start)
            conn.finish()
            return True
        pool = self.pools[service]
        upstream = pool.try_acquire()
        if upstream is None:
            conn.spawn(self._forward_observed(req, conn, rid, service, tail, client_ip, start), req)
            return True
        head = self._upstream_head(req, service, tail, rid, client_ip)

        def done(resp: UpstreamResponse) -> None:
            err = resp.error
            if err is None and not resp.complete:
                conn.spawn(self._stream_observed(req, conn, rid, service, resp, start), req)
                return
            if err is not None:
                if isinstance(err, UpstreamProtocolError) and not resp.any_bytes and req.method in IDEMPOTENT:
                    # The upstream closed the idle connection as we used it: once more, anew.
                    conn.spawn(self._forward_observed(req, conn, rid, service, tail, client_ip, start), req)
                    return
                self._upstream_failed(conn, rid, service, err)
            else:
                self._respond(req, conn, rid, resp)
            self._observe(req, conn, service, start)
            conn.finish()

        pool.start(upstream, req.method, head, req.body, timeout=self.timeout, callback=done)
        return True

    async def handle(self, req: Request, conn: Connection) -> None:
        """Answer one request (everything the fast path does not take)."""
        start = time.perf_counter()
        rid = self._request_id(req)
        request_id_var.set(rid)
        path = req.path
        if self._cors(req, conn):
            # Answered here even when no origin is allowed: a clear 403 beats the service's 405.
            self._preflight(req, conn, rid)
            self._observe(req, conn, "gateway", start)
            return
        route = self._route(req)
        if self.tracer is not None and path not in _OPS:
            self._start_span(req, route[0] if route is not None else "gateway")
            traceparent_var.set(span_traceparent(req.span))
        if route is not None and is_internal_path(route[1]):
            service = route[0]
            send_problem(
                conn,
                status=404,
                code="not_found",
                detail=f"{path} 处没有资源：各服务的监控指标和服务间接口不经网关提供。",
                en=f"No resource at {path}: a service's metrics and service-to-service paths are not"
                " exposed through the gateway.",
                request_id=rid,
                instance=path,
            )
        elif route is not None:
            service, tail = route
            await self._proxy(req, conn, rid, service, tail)
        elif path == "/api/openapi.json":
            service = "gateway"
            await self._serve_openapi(req, conn, rid)
        elif path[:5] == "/api/":
            service = "-"
            slash = path.find("/", 5)
            name = path[5:] if slash < 0 else path[5:slash]
            send_problem(
                conn,
                status=404,
                code="gateway.unknown_service",
                detail=f"网关后没有名为 {name!r} 的服务，请使用以下之一：{'、'.join(self.pools)}。",
                en=f"There is no service {name!r} behind the gateway; use one of: {', '.join(self.pools)}.",
                request_id=rid,
                instance=path,
            )
        else:
            service = "gateway"
            await self._serve_local(req, conn, rid, path)
        if path not in _OPS:
            self._observe(req, conn, service, start)

    def _on_reject(self, conn: Connection, status: int, code: str, detail: str, en: str) -> None:
        rid = f"{self._rid_prefix}{next(self._rid_counter):016x}"
        send_problem(conn, status=status, code=code, detail=detail, en=en, request_id=rid)
        self.metrics.observe("-", "-", status, 0.0)

    def _on_error(self, req: Request, conn: Connection) -> None:
        send_problem(
            conn,
            status=500,
            code="gateway.internal_error",
            detail="网关处理此请求时出错，反映问题时请提供 request_id。",
            en="The gateway failed to handle this request; quote the request_id when reporting it.",
            request_id=request_id_var.get(),
        )
