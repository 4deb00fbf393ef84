"""Pure-ASGI middleware: request ids, access log and metrics, body size and content type."""

from __future__ import annotations

import codecs
import logging
import re
import time
from contextvars import Token
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .context import new_request_id, request_id_var, traceparent_var, valid_traceparent
from .errors import TextHTTPException, problem_body
from .i18n import Language, language_var, negotiate_language
from .links import PREFIX_HEADER, clean_prefix, prefix_var
from .metrics import LATENCY, REQUESTS
from .security_headers import add_security_headers
from .tracing import Tracing, mark_error, span_traceparent

log = logging.getLogger("yiwang.access")

_UNMEASURED = frozenset({"/metrics", "/healthz", "/readyz"})

#: Deepest JSON nesting a request body may have. Real payloads stay under ~10 levels; deeper ones
#: only serve to exhaust parsers and serializers (pydantic refuses to serialise past ~255).
MAX_JSON_DEPTH = 64

#: A request refused before it reaches the service: status, code, Chinese detail, English detail.
_Refusal = tuple[int, str, str, str]

_JSON_STRUCTURE = re.compile(rb'[][{}"\\]')


class JsonDepthScanner:
    """Tracks the nesting depth of a JSON text fed in chunks (strings and escapes skipped)."""

    __slots__ = ("_escape_at", "_in_string", "deepest", "depth")

    def __init__(self) -> None:
        self.depth = 0
        self.deepest = 0
        self._in_string = False
        #: Offset (in the current chunk) of the character a backslash escapes, or -1.
        self._escape_at = -1

    def feed(self, chunk: bytes) -> int:
        """Scan `chunk`; returns the deepest nesting seen so far."""
        for m in _JSON_STRUCTURE.finditer(chunk):
            if m.start() == self._escape_at:
                continue  # an escaped quote or backslash
            ch = m.group()
            if self._in_string:
                if ch == b"\\":
                    self._escape_at = m.end()
                elif ch == b'"':
                    self._in_string = False
            elif ch == b'"':
                self._in_string = True
            elif ch in (b"[", b"{"):
                self.depth += 1
                self.deepest = max(self.deepest, self.depth)
            elif ch in (b"]", b"}"):
                self.depth -= 1
        # A backslash at the very end escapes the next chunk's first byte.
        self._escape_at = 0 if self._escape_at == len(chunk) else -1
        return self.deepest


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value)
    return None


async def _send_problem(send: Send, status: int, code: str, detail: str, en: str, rid: str | None) -> None:
    body = orjson.dumps(problem_body(status=status, code=code, detail=detail, en=en, request_id=rid))
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


#: The 500 problem for an exception nothing handled: code, Chinese detail, English detail.
_UNEXPECTED = (
    "internal_error",
    "系统出现意外错误，未做任何更改。反映问题时请提供 request_id。",
    "An unexpected error occurred. Nothing was changed; quote the request_id when reporting it.",
)


@dataclass
class _Incoming:
    """The request headers the request's context is made of, as sent (None when absent)."""

    request_id: bytes | None = None
    traceparent: bytes | None = None
    tracestate: bytes | None = None
    language: bytes | None = None
    prefix: bytes | None = None

    @classmethod
    def of(cls, scope: Scope) -> _Incoming:
        """Read them in one pass over the headers."""
        incoming = cls()
        for key, value in scope.get("headers", ()):
            if key == b"x-request-id":
                incoming.request_id = value
            elif key == b"traceparent":
                incoming.traceparent = value
            elif key == b"tracestate":
                incoming.tracestate = value
            elif key == b"accept-language":
                incoming.language = value
            elif key == PREFIX_HEADER:
                incoming.prefix = value
        return incoming


@dataclass
class _Context:
    """The request's context variables while it runs, and the tokens to restore them after."""

    request_id: Token[str | None]
    language: Token[Language]
    prefix: Token[str]
    traceparent: Token[str | None] | None = None

    @classmethod
    def enter(cls, rid: str, incoming: _Incoming) -> _Context:
        """Set the request id, the language and the public prefix (the trace is set apart)."""
        request_id = request_id_var.set(rid)
        lang = incoming.language
        language = language_var.set(negotiate_language(lang.decode("latin-1") if lang else None))
        prefix = prefix_var.set(clean_prefix(incoming.prefix.decode("latin-1") if incoming.prefix else None))
        return cls(request_id, language, prefix)

    def reset(self) -> None:
        """Restore every variable, the last set first."""
        if self.traceparent is not None:
            traceparent_var.reset(self.traceparent)
        prefix_var.reset(self.prefix)
        language_var.reset(self.language)
        request_id_var.reset(self.request_id)


class _ResponseWatch:
    """`send` with the request id and the security headers added; remembers the status sent."""

    def __init__(self, send: Send, scope: Scope, rid: str) -> None:
        self._send = send
        self._scope = scope
        self._rid = rid
        self.status = 500
        self.started = False

    async def send(self, message: Message) -> None:
        """Pass `message` on, adding headers to the response's start."""
        if message["type"] == "http.response.start":
            self.started = True
            self.status = message["status"]
            headers = list(message.get("headers", []))
            headers.append((b"x-request-id", self._rid.encode()))
            add_security_headers(headers, self._scope.get("path", ""))
            message = {**message, "headers": headers}
        await self._send(message)


class RequestContextMiddleware:
    """Takes or makes the request id, echoes it, logs one line and records metrics.

    Also sets the request's language (Accept-Language) and public prefix (X-Forwarded-Prefix, which
    only the gateway sets) for the texts and links the service renders.

    Also the server side of tracing: with tracing on, a server span (child of the caller's
    `traceparent`) around the request; with it off, the caller's traceparent passed through to
    logs and events as it came.
    """

    def __init__(self, app: ASGIApp, *, service: str, tracing: Tracing | None = None) -> None:
        self.app = app
        self.service = service
        self.tracing = tracing

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = _Incoming.of(scope)
        rid = incoming.request_id.decode("latin-1")[:64] if incoming.request_id else new_request_id()
        context = _Context.enter(rid, incoming)
        parent = valid_traceparent(incoming.traceparent.decode("latin-1")) if incoming.traceparent else None
        tracing = self.tracing
        span = otel_token = None
        if tracing is not None and tracing.tracer is not None:
            span, otel_token = self._start_span(tracing, scope, parent, incoming.tracestate)
            context.traceparent = traceparent_var.set(span_traceparent(span))
        else:
            context.traceparent = traceparent_var.set(parent)
        start = time.perf_counter()
        response = _ResponseWatch(send, scope, rid)
        try:
            await self.app(scope, receive, response.send)
        except Exception as exc:
            # Answer with a problem (never a traceback) and log once here, with the request id,
            # instead of letting the server print the exception a second time.
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if span is not None:
                mark_error(span, exc)
            response.status = 500
            if not response.started:
                await _send_problem(response.send, 500, *_UNEXPECTED, rid)
        finally:
            elapsed = time.perf_counter() - start
            route = scope.get("route")
            # Label by route template only: raw paths (ids, typos, 405s) would explode cardinality.
            template = getattr(route, "path", None) or "<unmatched>"
            self._record(scope, template, response.status, elapsed)
            if span is not None:
                self._end_span(span, otel_token, scope.get("method", ""), template, response.status)
            context.reset()

    def _record(self, scope: Scope, template: str, status: int, elapsed: float) -> None:
        """Count and time the request, and log its one access line (not for the ops endpoints)."""
        path = scope.get("path", "")
        method = scope.get("method", "")
        if path in _UNMEASURED:
            return
        REQUESTS.labels(self.service, method, template, str(status)).inc()
        LATENCY.labels(self.service, method, template).observe(elapsed)
        log.info(
            "%s %s %s %.1fms",
            method,
            path,
            status,
            elapsed * 1000,
            extra={"status": status, "duration_ms": round(elapsed * 1000, 2)},
        )

    def _start_span(
        self, tracing: Tracing, scope: Scope, parent: str | None, raw_ts: bytes | None
    ) -> tuple[Any, Any]:
        from opentelemetry import context as otel_context
        from opentelemetry import trace

        method = scope.get("method", "")
        span = tracing.start_span(
            f"{method} {scope.get('path', '')}",
            trace.SpanKind.SERVER,
            parent=parent,
            tracestate=raw_ts.decode("latin-1") if raw_ts else None,
            attributes={
                "http.request.method": method,
                "url.path": scope.get("path", ""),
            },
        )
        # Also current in OTel's own context, for any library span started inside the request.
        return span, otel_context.attach(trace.set_span_in_context(span))

    @staticmethod
    def _end_span(span: Any, otel_token: Any, method: str, template: str, status: int) -> None:
        from opentelemetry import context as otel_context

        span.update_name(f"{method} {template}")
        span.set_attribute("http.route", template)
        span.set_attribute("http.response.status_code", status)
        if status >= 500:
            mark_error(span, description=f"HTTP {status}")
        span.end()
        otel_context.detach(otel_token)


class BodyGuardMiddleware:
    """413 for bodies over the limit, 415 for body media types the service does not take."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        accepted_types: tuple[str, ...] = (
            "application/json",
            "multipart/form-data",
            "application/x-www-form-urlencoded",
        ),
    ) -> None:
        self.app = app
        self.max = max_body_bytes
        self.accepted = accepted_types

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        rid = request_id_var.get()
        length = _header(scope, b"content-length")
        refusal = self._length_refusal(length)
        has_body = (length is not None and length != b"0") or _header(scope, b"transfer-encoding") is not None
        if refusal is None and has_body:
            refusal = self._media_type_refusal(scope)
        if refusal is not None:
            await _send_problem(send, *refusal, rid)
            return
        await self.app(scope, self._guarded_receive(receive, json_body=has_body and _is_json(scope)), send)

    def _length_refusal(self, length: bytes | None) -> _Refusal | None:
        """400 for a Content-Length that is not a number, 413 for one over the limit."""
        if length is None:
            return None
        try:
            declared = int(length)
        except ValueError:
            return 400, "bad_request", "Content-Length 不是数字。", "Content-Length is not a number."
        if declared > self.max:
            return (
                413,
                "payload_too_large",
                f"请求内容有 {declared} 字节，最多接受 {self.max} 字节。",
                f"The body is {declared} bytes; at most {self.max} bytes are accepted.",
            )
        return None

    def _media_type_refusal(self, scope: Scope) -> _Refusal | None:
        """415 for a body whose media type the service does not take."""
        ctype = (_header(scope, b"content-type") or b"").decode("latin-1").split(";")[0].strip().lower()
        if ctype.endswith("+json") or ctype in self.accepted:
            return None
        return (
            415,
            "unsupported_media_type",
            f"不接受内容类型 {ctype or '（空）'}，请使用以下之一：" + "、".join(self.accepted) + "。",
            f"Content-Type {ctype or '(none)'!r} is not accepted; send one of: "
            + ", ".join(self.accepted)
            + ".",
        )

    def _guarded_receive(self, receive: Receive, *, json_body: bool) -> Receive:
        """`receive` that stops a body growing over the limit and, for JSON, one that is not UTF-8
        or nests too deep."""
        received = 0
        limit = self.max
        scanner = JsonDepthScanner() if json_body else None
        # JSON must be UTF-8 (RFC 8259): say which byte is wrong rather than "error parsing".
        utf8 = codecs.getincrementaldecoder("utf-8")() if json_body else None

        async def guarded_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                received += len(chunk)
                if received > limit:
                    # An HTTPException passes FastAPI's body parsing untouched and is rendered
                    # by the problem handler as 413.
                    raise TextHTTPException(
                        413,
                        f"请求内容超过 {limit} 字节的上限。",
                        f"The body is over the limit of {limit} bytes.",
                    )
                if utf8 is not None:
                    try:
                        utf8.decode(chunk, final=not message.get("more_body", False))
                    except UnicodeDecodeError as exc:
                        at = received - len(chunk) + max(exc.start, 0)
                        raise TextHTTPException(
                            400,
                            f"JSON 请求体不是有效的 UTF-8（第 {at} 个字节），请用 UTF-8 编码。",
                            f"The JSON body is not valid UTF-8 (byte {at}); encode it as UTF-8.",
                        ) from None
                if scanner is not None and scanner.feed(chunk) > MAX_JSON_DEPTH:
                    raise TextHTTPException(
                        400,
                        f"JSON 请求体的数组或对象嵌套超过 {MAX_JSON_DEPTH} 层，请发送层级更少的文档。",
                        f"The JSON body nests arrays or objects more than {MAX_JSON_DEPTH} levels "
                        "deep; send a flatter document.",
                    )
            return message

        return guarded_receive


def _is_json(scope: Scope) -> bool:
    ctype = (_header(scope, b"content-type") or b"").split(b";")[0].strip().lower()
    return ctype == b"application/json" or ctype.endswith(b"+json")


def client_ip(scope: dict[str, Any]) -> str:
    """The client address as seen by this process."""
    client = scope.get("client")
    return client[0] if client else "unknown"
