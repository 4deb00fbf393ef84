"""The gateway: routing, token checks, rate limits, request ids, timeouts, health and one OpenAPI.

Routes::

    /api/<service>/<rest>   → <service base URL>/<rest>   (identity, catalog, intake, hotline, evaluation)
    /open311/v2/...         → hotline /open311/v2/...      (Open311 GeoReport v2, public)
    /api/openapi.json       the merged OpenAPI 3.1 document;  /docs  Swagger UI for it
    /healthz  /readyz  /metrics

The hot path (`_proxy`) is written for CPU per request: raw header bytes in and out, a dict
lookup for a token seen before, a token bucket, dict counters for metrics, no per-request timer,
no log line unless `access_log` is on (see ADR 0002 for the figures).

Tracing (ADR 0004) is off unless GATEWAY_OTEL_EXPORTER names an exporter: then every request gets
a server span, child of the caller's `traceparent`, and the upstream request carries the span's
own traceparent. Off, the hot path pays one attribute check and passes a caller's header through.
A service's own /metrics is never proxied: it is for the scraper on the service's port only.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import logging
import os
import re
import time
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit

import orjson

from yiwang_shared.context import request_id_var, traceparent_var, valid_traceparent
from yiwang_shared.errors import ProblemError
from yiwang_shared.revocation import revocations_url_for
from yiwang_shared.security_headers import add_security_headers
from yiwang_shared.tracing import Tracing, mark_error, span_traceparent

from . import __version__
from .auth import TokenCheck, bearer_from_header
from .config import GatewaySettings, default_web_dir
from .cors import Cors, parse_origins
from .docs import DocsAssets
from .httpserver import Connection, HttpServer, Request, http_date
from .metrics import GatewayMetrics
from .openapi import merge_openapi
from .problems import send_problem
from .ratelimit import RateLimiter
from .upstream import (
    IDEMPOTENT,
    UpstreamError,
    UpstreamPool,
    UpstreamProtocolError,
    UpstreamResponse,
    UpstreamTimeout,
    UpstreamUnreachable,
    read_body,
)
from .web import WEB_CSP, WebAssets

__all__ = ["Gateway"]

log = logging.getLogger("gateway")
access_log = logging.getLogger("gateway.access")

_RID_OK = re.compile(rb"[A-Za-z0-9._:\-]{1,64}")
_DROP_REQUEST = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-connection",
        b"proxy-authorization",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
        b"host",
        b"content-length",
        b"expect",
        b"x-request-id",
        b"x-forwarded-for",
        b"x-forwarded-proto",
        b"x-forwarded-host",
        b"x-forwarded-prefix",
        b"forwarded",
    }
)
_DROP_RESPONSE = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-connection",
        b"proxy-authenticate",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
        b"content-length",
        b"x-request-id",
    }
)
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_JSON = b"application/json"
_OPS = frozenset({"/healthz", "/readyz", "/metrics"})
#: Request headers replaced when the gateway's own span becomes the upstream's parent.
_DROP_REQUEST_TRACED = _DROP_REQUEST | {b"traceparent"}
_MAX_DOC_BYTES = 32 * 1024 * 1024


def _internal(tail: bytes) -> bool:
    """True for a service's /metrics (however spelt: %-escapes, extra slashes, dot segments)."""
    if b"metrics" not in tail and b"%" not in tail:  # the usual case, decided without decoding
        return False
    segments = unquote_to_bytes(tail.split(b"?", 1)[0]).split(b"/")
    while segments and segments[-1] == b"":
        segments.pop()
    if not segments or segments[-1] != b"metrics":
        return False
    return all(s in (b"", b".", b"..") for s in segments[:-1])


def _connection_tokens(req_headers: list[tuple[bytes, bytes]]) -> frozenset[bytes]:
    """Header names listed in Connection (also hop-by-hop, RFC 9110 §7.6.1)."""
    names: set[bytes] = set()
    for key, value in req_headers:
        if key == b"connection":
            names.update(t.strip().lower() for t in value.split(b","))
    names.discard(b"close")
    names.discard(b"keep-alive")
    return frozenset(names)


class Gateway:
    """One gateway process: an HTTP server and a connection pool per service."""

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

    # ------------------------------------------------------------------------------- lifecycle

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

    async def follow_keys(self) -> None:
        """Fetch the signing keys in the background and start following revocations."""
        # Called once listening: identity may start after the gateway.
        self._prefetch = asyncio.get_running_loop().create_task(self._prefetch_keys())
        if self.tokens.revocations is not None:
            await self.tokens.revocations.start()

    async def _prefetch_keys(self) -> None:
        """Load the JWKS now rather than on the first token (best effort; retried on demand)."""
        keys = self.tokens.verifier.keys
        refresh = getattr(keys, "refresh", None)
        if refresh is None:
            return
        try:
            await refresh()
        except Exception as exc:  # identity may start after us; the first token retries
            log.warning("could not load the signing keys from %s yet: %s", self.settings.jwks_url, exc)

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

    # ------------------------------------------------------------------------------- hot path

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

    def _route(self, req: Request) -> tuple[str, bytes] | None:
        """(service, upstream target) for a proxied path, else None."""
        path = req.path
        if path[:5] == "/api/":
            slash = path.find("/", 5)
            name = path[5:] if slash < 0 else path[5:slash]
            if name not in self.pools:
                return None
            cut = 5 + len(name)
            target = req.target
            if target[:1] == b"/":
                tail = target[cut:]
            else:  # absolute-form target
                tail = path.encode("latin-1")[cut:] + (b"?" + req.query if req.query else b"")
            if not tail or tail[:1] == b"?":
                tail = b"/" + tail
            return name, tail
        if path[:9] == "/open311/":
            if req.target[:1] == b"/":
                return "hotline", req.target
            return "hotline", path.encode("latin-1") + (b"?" + req.query if req.query else b"")
        return None

    def fast(self, req: Request, conn: Connection) -> bool:
        """Answer on the hot path without a coroutine, if possible; False to take `handle` instead.

        Taken: a proxied request whose token (if any) is cached, with an idle upstream
        connection at hand. The upstream's answer arrives in a callback (ADR 0002).
        """
        if req.method == "OPTIONS" or (self.cors.enabled and self._cors(req, conn)):
            return False  # perhaps a preflight: answered by `handle`
        route = self._route(req)
        if route is None or len(req.body) > 65536 or _internal(route[1]):
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
        if route is not None and _internal(route[1]):
            service = route[0]
            send_problem(
                conn,
                status=404,
                code="not_found",
                detail=f"{path} 处没有资源：各服务的监控指标不经网关提供。",
                en=f"No resource at {path}: a service's metrics are not exposed through the gateway.",
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

    def _cors(self, req: Request, conn: Connection) -> bool:
        """Add the CORS headers for an allowed origin; True when the request is a preflight."""
        origin = req.header(b"origin")
        if origin is None:
            return False
        if req.method == "OPTIONS" and req.header(b"access-control-request-method") is not None:
            return True
        if self.cors.enabled and self.cors.allows(origin):
            conn.response_headers = self.cors.response_headers(origin)
        return False

    def _preflight(self, req: Request, conn: Connection, rid: str) -> None:
        """Answer a browser's CORS preflight: 204 for an allowed origin and request, else 403."""
        origin = req.header(b"origin") or b""
        if not self.cors.allows(origin):
            text = origin.decode("latin-1")
            send_problem(
                conn,
                status=403,
                code="gateway.cors_origin_not_allowed",
                detail=f"不允许来自 {text} 的网页跨域调用本接口。",
                en=f"Browsers on {text} may not call this API (the origin is not in GATEWAY_CORS_ORIGINS).",
                request_id=rid,
                instance=req.path,
            )
            return
        refusal = self.cors.preflight_refusal(
            req.header(b"access-control-request-method") or b"", req.header(b"access-control-request-headers")
        )
        if refusal is not None:
            conn.response_headers = self.cors.response_headers(origin)
            send_problem(
                conn,
                status=403,
                code="gateway.cors_request_not_allowed",
                detail=refusal[0],
                en=refusal[1],
                request_id=rid,
                instance=req.path,
            )
            return
        conn.send(204, [*self.cors.preflight_headers(origin), (b"x-request-id", rid.encode("ascii"))])

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

    async def _proxy(self, req: Request, conn: Connection, rid: str, service: str, tail: bytes) -> None:
        client_ip = self._client_ip(req)
        subject: str | None = None
        auth = req.header(b"authorization")
        if auth is not None:
            try:
                token = bearer_from_header(auth)
                if token is not None:
                    subject = self.tokens.cached_subject(token)
                    if subject is None:
                        subject = await self.tokens.subject(token)
            except ProblemError as exc:
                self.metrics.auth_failure(exc.code)
                # Refused tokens still count against the client's address.
                if self._limited(conn, rid, "ip:" + client_ip):
                    return
                send_problem(
                    conn,
                    status=exc.status,
                    code=exc.code,
                    detail=exc.detail,
                    en=exc.detail_en,
                    request_id=rid,
                    headers=[(k.lower().encode(), v.encode()) for k, v in exc.headers.items()],
                    instance=req.path,
                )
                return
        if self._limited(conn, rid, "sub:" + subject if subject else "ip:" + client_ip):
            return
        await self._forward(req, conn, rid, service, tail, client_ip)

    async def _forward(
        self, req: Request, conn: Connection, rid: str, service: str, tail: bytes, client_ip: str
    ) -> None:
        head = self._upstream_head(req, service, tail, rid, client_ip)
        try:
            resp = await self.pools[service].request(req.method, head, req.body, timeout=self.timeout)
            complete = await resp.wait_small_body()
        except UpstreamError as exc:
            self._upstream_failed(conn, rid, service, exc)
            return
        if complete:
            self._respond(req, conn, rid, resp)
        else:
            await self._stream(req, conn, rid, service, resp)

    async def _forward_observed(
        self,
        req: Request,
        conn: Connection,
        rid: str,
        service: str,
        tail: bytes,
        client_ip: str,
        start: float,
    ) -> None:
        request_id_var.set(rid)
        if req.span is not None:
            traceparent_var.set(span_traceparent(req.span))
        await self._forward(req, conn, rid, service, tail, client_ip)
        self._observe(req, conn, service, start)

    async def _stream_observed(
        self, req: Request, conn: Connection, rid: str, service: str, resp: UpstreamResponse, start: float
    ) -> None:
        request_id_var.set(rid)
        if req.span is not None:
            traceparent_var.set(span_traceparent(req.span))
        await self._stream(req, conn, rid, service, resp)
        self._observe(req, conn, service, start)

    def _response_headers(self, resp: UpstreamResponse, rid: str) -> list[tuple[bytes, bytes]]:
        out = [(k, v) for k, v in resp.headers if k not in _DROP_RESPONSE]
        out.append((b"x-request-id", rid.encode("ascii")))
        return out

    def _respond(self, req: Request, conn: Connection, rid: str, resp: UpstreamResponse) -> None:
        length = _content_length(resp) if req.method == "HEAD" else None
        conn.send(resp.status, self._response_headers(resp, rid), resp.body, content_length=length)

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

    def _upstream_head(self, req: Request, service: str, tail: bytes, rid: str, client_ip: str) -> bytes:
        parts = [
            req.method.encode("ascii"),
            b" ",
            self._base_paths[service] + tail,
            b" HTTP/1.1\r\nhost: ",
            self._hosts[service],
            b"\r\n",
        ]
        headers = req.headers
        extra_drop: frozenset[bytes] = frozenset()
        for key, _ in headers:
            if key == b"connection":
                extra_drop = _connection_tokens(headers)
                break
        span = req.span
        drop = _DROP_REQUEST if span is None else _DROP_REQUEST_TRACED
        for key, value in headers:
            if key in drop or key in extra_drop:
                continue
            parts += (key, b": ", value, b"\r\n")
        if span is not None:
            parts += (b"traceparent: ", span_traceparent(span).encode("ascii"), b"\r\n")
        trusted = bool(self.trusted) and req.client_ip in self.trusted
        xff = req.header(b"x-forwarded-for") if trusted else None
        proto = (req.header(b"x-forwarded-proto") if trusted else None) or b"http"
        host = (req.header(b"x-forwarded-host") if trusted else None) or req.header(b"host") or b""
        parts += (
            b"x-request-id: ",
            rid.encode("ascii"),
            b"\r\nx-forwarded-for: ",
            (xff + b", " + req.client_ip.encode()) if xff else client_ip.encode(),
            b"\r\nx-forwarded-proto: ",
            proto,
            b"\r\nx-forwarded-host: ",
            host,
            b"\r\n",
        )
        if req.path[:5] == "/api/":
            # Where the client reached the service: its links must carry this prefix.
            parts += (b"x-forwarded-prefix: /api/", service.encode("ascii"), b"\r\n")
        if req.body or req.method in _BODY_METHODS:
            parts += (b"content-length: ", str(len(req.body)).encode(), b"\r\n")
        parts.append(b"\r\n")
        return b"".join(parts)

    async def _stream(
        self, req: Request, conn: Connection, rid: str, service: str, resp: UpstreamResponse
    ) -> None:
        chunked = any(k == b"transfer-encoding" for k, _ in resp.headers)
        length = None if chunked else _content_length(resp)
        conn.start(resp.status, self._response_headers(resp, rid), content_length=length)
        try:
            async for chunk in resp.chunks():
                conn.write(chunk)
                await conn.drain()
            conn.end()
        except UpstreamError as exc:
            self.metrics.upstream_error(service, exc.kind)
            log.warning("%s-svc failed mid-response: %s", service, exc, extra={"service": service})
            conn.abort()
        except ConnectionResetError:
            resp.close()

    def _upstream_failed(self, conn: Connection, rid: str, service: str, exc: UpstreamError) -> None:
        self.metrics.upstream_error(service, exc.kind)
        svc = f"{service}-svc"
        if isinstance(exc, UpstreamUnreachable):
            status, code = 503, "gateway.service_unavailable"
            detail, en = f"{svc} 暂时无法访问，请稍后再试。", f"{svc} is not reachable; try again shortly."
            headers = [(b"retry-after", b"1")]
        elif isinstance(exc, UpstreamTimeout):
            status, code = 504, "gateway.upstream_timeout"
            detail = f"{svc} 未在 {self.timeout:g} 秒内应答，请稍后再试。"
            en = f"{svc} did not answer within {self.timeout:g} s; try again shortly."
            headers = []
        else:
            status, code = 502, "gateway.bad_upstream_response"
            detail = f"{svc} 返回的应答无效或不完整，请稍后再试。"
            en = f"{svc} sent an invalid or incomplete response; try again shortly."
            headers = []
        log.warning("%s: %s", en, exc, extra={"service": service, "kind": exc.kind, "request_id": rid})
        send_problem(
            conn,
            status=status,
            code=code,
            detail=detail,
            en=en,
            request_id=rid,
            headers=headers,
            service=service,
        )

    # ------------------------------------------------------------------------------ local routes

    async def _serve_local(self, req: Request, conn: Connection, rid: str, path: str) -> None:
        local = path in _OPS or path == "/docs" or path.startswith("/docs/static/")
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
            conn.send(200, [(b"content-type", _JSON), (b"date", http_date()), rid_h], body)
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
            conn.send(200, [(b"content-type", _JSON), (b"x-request-id", rid.encode("ascii"))], body)
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

    # ------------------------------------------------------------------------------------ OpenAPI

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
        conn.send(200, [(b"content-type", _JSON), *headers], body)

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

    # ------------------------------------------------------------------------------ server hooks

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


def _content_length(resp: UpstreamResponse) -> int | None:
    for key, value in resp.headers:
        if key.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
