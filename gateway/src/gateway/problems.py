"""Gateway-originated errors in the shared problem+json envelope (RFC 9457)."""

from __future__ import annotations

from typing import Any

import orjson

from yiwang_shared.errors import PROBLEM_CONTENT_TYPE, problem_body

from .httpserver import Connection, http_date

__all__ = ["problem_bytes", "send_problem"]

_CT = PROBLEM_CONTENT_TYPE.encode()


def problem_bytes(*, status: int, code: str, detail: str, request_id: str | None, **extra: Any) -> bytes:
    """The serialised problem body."""
    return orjson.dumps(problem_body(status=status, code=code, detail=detail, request_id=request_id, **extra))


def send_problem(
    conn: Connection,
    *,
    status: int,
    code: str,
    detail: str,
    request_id: str | None,
    headers: list[tuple[bytes, bytes]] | None = None,
    **extra: Any,
) -> None:
    """Answer with a problem response (also echoing the request id)."""
    body = problem_bytes(status=status, code=code, detail=detail, request_id=request_id, **extra)
    out = [(b"content-type", _CT), (b"date", http_date())]
    if request_id:
        out.append((b"x-request-id", request_id.encode("latin-1")))
    if headers:
        out.extend(headers)
    conn.send(status, out, body)
