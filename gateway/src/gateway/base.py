"""The state of one gateway process and the steps every request takes, whichever way it goes.

Its request id, the client's address, the rate limit, tracing, and the one observation (metrics,
span, access log) when it is answered; and a GET to a service off the hot path. The parts of
`Gateway` build on this.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import re
import time
from typing import Any

from yiwang_shared.context import valid_traceparent
from yiwang_shared.revocation import revocations_url_for
from yiwang_shared.tracing import Tracing, mark_error

from .auth import TokenCheck
from .config import GatewaySettings
from .cors import Cors, parse_origins
from .docs import DocsAssets
from .httpserver import Connection, HttpServer, Request
from .metrics import GatewayMetrics
from .problems import send_problem
from .ratelimit import RateLimiter
from .upstream import UpstreamPool, read_body
from .web import WebAssets

access_log = logging.getLogger("gateway.access")

JSON_CONTENT_TYPE = b"application/json"
_RID_OK = re.compile(rb"[A-Za-z0-9._:\-]{1,64}")
_MAX_DOC_BYTES = 32 * 1024 * 1024


class GatewayBase:
    """One gateway process's settings, pools, limiter, metrics and tracing, and the per-request steps."""

    def __init__(self, settings: GatewaySettings, *, token_check: TokenCheck | None = None) -> None:
        self.settings = settings
        self.urls = settings.service_urls()
        self.timeout = settings.upstream_timeout_seconds
        self.metrics = GatewayMetrics()
        self.limiter = RateLimiter(settings.rate_limit_per_second, settings.rate_limit_burst)
        self.tokens = token_check or TokenCheck.from_jwks(
            settings.jwks_url,
            issuer=settings.token_issuer,
            audience=settings.token_audience,
            max_entries=settings.token_cache_size,
            revocations_url=settings.revocations_url or revocations_url_for(settings.jwks_url),
            revocation_refresh_seconds=settings.revocation_refresh_seconds,
        )
        self.trusted = settings.trusted_proxy_set()
        self.cors = Cors(parse_origins(settings.cors_origins), settings.cors_max_age_seconds)
        self.docs = DocsAssets() if settings.docs_enabled else None
        self.web: WebAssets | None = None  # loaded in start(): the front end's build, if any
        self.tracing = Tracing("gateway")
        self.tracer: Any = None  # set in start() when tracing is on; checked per request
        self.access_log = settings.access_log
        self.pools: dict[str, UpstreamPool] = {}
        self._hosts: dict[str, bytes] = {}
        self._base_paths: dict[str, bytes] = {}
        self.server: HttpServer | None = None
        self._rid_prefix = os.urandom(8).hex()
        self._rid_counter = itertools.count(1)
        self._openapi: tuple[float, bytes, bytes] | None = None
        self._openapi_task: asyncio.Task[tuple[float, bytes, bytes]] | None = None
        self._prefetch: asyncio.Task[None] | None = None

    def _request_id(self, req: Request) -> str:
        raw = req.header(b"x-request-id")
        if raw is not None and _RID_OK.fullmatch(raw):
            return raw.decode("ascii")
        return f"{self._rid_prefix}{next(self._rid_counter):016x}"

    def _client_ip(self, req: Request) -> str:
        ip = req.client_ip
        if self.trusted and ip in self.trusted:
            xff = req.header(b"x-forwarded-for")
            if xff:
                for hop in reversed(xff.decode("latin-1").split(",")):
                    hop = hop.strip()
                    if hop and hop not in self.trusted:
                        return hop
        return ip

    def _limited(self, conn: Connection, rid: str, key: str) -> bool:
        wait = self.limiter.take(key)
        if not wait:
            return False
        self.metrics.rate_limited += 1
        retry = RateLimiter.retry_after(wait)
        send_problem(
            conn,
            status=429,
            code="gateway.rate_limited",
            detail=f"请求过于频繁，请 {retry} 秒后再试。",
            en=f"Too many requests from this client; try again in {retry} s.",
            request_id=rid,
            headers=[(b"retry-after", str(retry).encode())],
        )
        return True

    def _start_span(self, req: Request, service: str) -> None:
        from opentelemetry.trace import SpanKind

        tracestate = req.header(b"tracestate")
        raw = req.header(b"traceparent")
        req.span = self.tracing.start_span(
            f"{req.method} /api/{service}" if service != "gateway" else f"{req.method} {req.path}",
            SpanKind.SERVER,
            parent=valid_traceparent(raw.decode("latin-1")) if raw else None,
            tracestate=tracestate.decode("latin-1") if tracestate else None,
            attributes={
                "http.request.method": req.method,
                "url.path": req.path,
                "client.address": req.client_ip,
                "yiwang.upstream": service,
            },
        )

    def _observe(self, req: Request, conn: Connection, service: str, start: float) -> None:
        status = conn.response_status
        elapsed = time.perf_counter() - start
        self.metrics.observe(service, req.method, status, elapsed)
        span = req.span
        if span is not None:
            span.set_attribute("http.response.status_code", status)
            if status >= 500:
                mark_error(span, description=f"HTTP {status}")
            span.end()
        if self.access_log:
            extra: dict[str, Any] = {"status": status, "service": service, "client": req.client_ip}
            if span is not None:
                # The fast path runs in callbacks, outside any context variable: name the ids here.
                ctx = span.get_span_context()
                extra["trace_id"], extra["span_id"] = f"{ctx.trace_id:032x}", f"{ctx.span_id:016x}"
            access_log.info("%s %s %s %.1fms", req.method, req.path, status, elapsed * 1000, extra=extra)

    async def _get(self, service: str, path: bytes, timeout: float) -> tuple[int, bytes]:
        """A GET to a service off the hot path (health, documents)."""
        head = b"".join(
            (
                b"GET ",
                self._base_paths[service] + path,
                b" HTTP/1.1\r\nhost: ",
                self._hosts[service],
                b"\r\nuser-agent: yiwang-gateway\r\naccept: application/json\r\n\r\n",
            )
        )
        resp = await self.pools[service].request("GET", head, timeout=timeout)
        return resp.status, await read_body(resp, _MAX_DOC_BYTES)
