"""The proxy path: a request under /api/<service>/ or /open311/ to its service and back.

Written for CPU per request: raw header bytes in and out, a dict lookup for a token seen before, a
token bucket, dict counters for metrics, no per-request timer, no log line unless `access_log` is on
(ADR 0002 has the figures). With tracing on, the upstream request carries the gateway's own span as
its parent; off, a caller's traceparent passes through.
"""

from __future__ import annotations

import logging
from urllib.parse import unquote_to_bytes

from yiwang_shared.context import request_id_var, traceparent_var
from yiwang_shared.errors import ProblemError
from yiwang_shared.tracing import span_traceparent

from .auth import bearer_from_header
from .base import GatewayBase
from .httpserver import Connection, Request
from .problems import send_problem
from .upstream import (
    UpstreamError,
    UpstreamResponse,
    UpstreamTimeout,
    UpstreamUnreachable,
)

log = logging.getLogger("gateway")

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
#: Request headers replaced when the gateway's own span becomes the upstream's parent.
_DROP_REQUEST_TRACED = _DROP_REQUEST | {b"traceparent"}


#: Paths only services call one another by, never the public: (a path's named segments begin so).
#: A contact ticket (ADR 0013) is redeemed by the service that read it on the event bus.
_SERVICE_ONLY = ((b"v1", b"contact-tickets"),)


def is_internal_path(tail: bytes) -> bool:
    """True for a service's /metrics and service-to-service paths, however spelt (%-escapes, dots)."""
    if b"metrics" not in tail and b"%" not in tail and b"contact-tickets" not in tail:
        return False  # the usual case, decided without decoding
    segments = unquote_to_bytes(tail.split(b"?", 1)[0]).split(b"/")
    while segments and segments[-1] == b"":
        segments.pop()
    named = [s for s in segments if s not in (b"", b".", b"..")]
    if any(tuple(named[: len(prefix)]) == prefix for prefix in _SERVICE_ONLY):
        return True
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


def _content_length(resp: UpstreamResponse) -> int | None:
    for key, value in resp.headers:
        if key.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class ProxyPath(GatewayBase):
    """Routing a request to its service, checking its token, forwarding it and relaying the answer."""

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
