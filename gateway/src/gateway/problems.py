"""Gateway-originated errors in the shared problem+json envelope (RFC 9457)."""

from __future__ import annotations

from typing import Any

import orjson

from yiwang_shared.errors import PROBLEM_CONTENT_TYPE, problem_body
from yiwang_shared.i18n import language_var, negotiate_language

from .httpserver import Connection, http_date

__all__ = ["GATEWAY_CODES", "problem_bytes", "send_problem"]

#: Every code the gateway itself answers with (status, meaning): listed in the merged OpenAPI
#: document's `x-problem-codes` beside the services' declared codes (a test keeps this complete).
GATEWAY_CODES: dict[str, tuple[int, str]] = {
    "auth.header_malformed": (401, "The Authorization header is not `Bearer <token>`."),
    "gateway.unknown_service": (404, "No service answers under that path."),
    "gateway.rate_limited": (429, "Too many requests from this client; Retry-After says when to try again."),
    "gateway.cors_origin_not_allowed": (
        403,
        "A cross-origin request from an origin that is not allowed.",
    ),
    "gateway.cors_request_not_allowed": (
        403,
        "A preflight asking for a method or header not allowed.",
    ),
    "gateway.bad_upstream_response": (502, "The service answered with something that is not HTTP."),
    "gateway.service_unavailable": (503, "The service is down or not reachable."),
    "gateway.not_ready": (503, "The gateway is not ready (a service or the signing keys are missing)."),
    "gateway.upstream_timeout": (504, "The service did not answer in time."),
    "gateway.internal_error": (500, "The gateway failed; the request id finds the log."),
}

_CT = PROBLEM_CONTENT_TYPE.encode()


def problem_bytes(
    *, status: int, code: str, detail: str, en: str | None = None, request_id: str | None, **extra: Any
) -> bytes:
    """The serialised problem body (in the language of the context)."""
    body = problem_body(status=status, code=code, detail=detail, en=en, request_id=request_id, **extra)
    return orjson.dumps(body)


def send_problem(
    conn: Connection,
    *,
    status: int,
    code: str,
    detail: str,
    en: str | None = None,
    request_id: str | None,
    headers: list[tuple[bytes, bytes]] | None = None,
    **extra: Any,
) -> None:
    """Answer with a problem response (also echoing the request id).

    `detail` is Chinese and `en` English; which one is sent follows the request's
    Accept-Language (only read here, off the hot path, when there is an error to tell).
    """
    req = conn.current
    accept = req.header(b"accept-language") if req is not None else None
    token = language_var.set(negotiate_language(accept.decode("latin-1") if accept else None))
    try:
        body = problem_bytes(status=status, code=code, detail=detail, en=en, request_id=request_id, **extra)
    finally:
        language_var.reset(token)
    out = [(b"content-type", _CT), (b"date", http_date())]
    if request_id:
        out.append((b"x-request-id", request_id.encode("latin-1")))
    if headers:
        out.extend(headers)
    conn.send(status, out, body)
