"""One error envelope for every service and the gateway: RFC 9457 problem details.

Every error response is `application/problem+json` with `type`, `title`, `status`, `detail`,
a stable machine `code` and the `request_id`; validation errors add `errors`, one entry per bad
field, all at once. Exception hierarchy::

    ProblemError                  any error a client can act on (status + code)
    ├── BadRequest        400     malformed request
    ├── Unauthorized      401     no or bad credentials
    ├── Forbidden         403     authenticated, but not allowed
    ├── NotFound          404     no such resource (or not yours to see)
    ├── Conflict          409     state does not allow it / duplicate
    ├── Gone              410     existed, no longer available
    ├── UnprocessableEntity 422   well-formed but breaks a rule
    ├── TooManyRequests   429     rate limited; carries Retry-After
    └── ServiceUnavailable 503    a dependency is down
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from .context import current_request_id

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://yiwang.dev/problems/"

log = logging.getLogger("yiwang.errors")


class ProblemError(Exception):
    """An error with an HTTP status and a stable code; rendered as problem+json."""

    status: int = 400
    code: str = "bad_request"
    title: str | None = None
    #: When True the request's session commits what was written before this was raised (a
    #: failed-attempt counter, a revoked token family) instead of rolling back.
    commit_changes: bool = False

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        status: int | None = None,
        title: str | None = None,
        headers: dict[str, str] | None = None,
        commit_changes: bool | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        if commit_changes is not None:
            self.commit_changes = commit_changes
        self.detail = detail
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        if title is not None:
            self.title = title
        self.headers = headers or {}
        self.extra = extra


class BadRequest(ProblemError):
    """The request is malformed."""

    status = 400
    code = "bad_request"


class Unauthorized(ProblemError):
    """No credentials, or credentials that do not verify."""

    status = 401
    code = "unauthorized"

    def __init__(self, detail: str, **kw: Any) -> None:
        kw.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(detail, **kw)


class Forbidden(ProblemError):
    """Authenticated but not allowed to do this."""

    status = 403
    code = "forbidden"


class NotFound(ProblemError):
    """No such resource, or not one the caller may see."""

    status = 404
    code = "not_found"


class Conflict(ProblemError):
    """The resource's state does not allow this, or it already exists."""

    status = 409
    code = "conflict"


class Gone(ProblemError):
    """The resource existed and is no longer available."""

    status = 410
    code = "gone"


class UnprocessableEntity(ProblemError):
    """Well-formed, but breaks a rule."""

    status = 422
    code = "unprocessable"


class TooManyRequests(ProblemError):
    """Rate limited."""

    status = 429
    code = "rate_limited"


class ServiceUnavailable(ProblemError):
    """A dependency is down."""

    status = 503
    code = "service_unavailable"


def problem_body(
    *,
    status: int,
    code: str,
    detail: str,
    title: str | None = None,
    instance: str | None = None,
    request_id: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Build a problem-details dictionary."""
    try:
        default_title = HTTPStatus(status).phrase
    except ValueError:
        default_title = "Error"
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + code.replace(".", "/"),
        "title": title or default_title,
        "status": status,
        "detail": detail,
        "code": code,
        "request_id": request_id or current_request_id(),
    }
    if instance:
        body["instance"] = instance
    body.update(extra)
    return body


def problem_response(
    *,
    status: int,
    code: str,
    detail: str,
    headers: dict[str, str] | None = None,
    **kw: Any,
) -> Response:
    """A problem+json response."""
    body = problem_body(status=status, code=code, detail=detail, **kw)
    return Response(
        content=orjson.dumps(body),
        status_code=status,
        media_type=PROBLEM_CONTENT_TYPE,
        headers=headers,
    )


_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "rate_limited",
    500: "internal_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}


def code_for_status(status: int) -> str:
    """The generic code for an HTTP status."""
    return _STATUS_CODES.get(status, "http_" + str(status))


def _loc_to_field(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        where, rest = parts[0], parts[1:]
        return where + ("." + ".".join(rest) if rest else "")
    return ".".join(parts)


def validation_errors(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """Turn pydantic/FastAPI validation errors into a list a person can act on."""
    out = []
    for err in errors:
        msg = str(err.get("msg", "invalid"))
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        loc = tuple(err.get("loc", ()))
        if err.get("type") == "json_invalid" and len(loc) == 2 and isinstance(loc[1], int):
            # FastAPI reports a JSON syntax error as field "body.<offset>": say where and why.
            reason = str((err.get("ctx") or {}).get("error", "")).strip()
            msg = f"the body is not valid JSON at character {loc[1]}" + (f": {reason}" if reason else "")
            loc = ("body",)
        out.append(
            {
                "field": _loc_to_field(loc),
                "message": msg,
                "type": err.get("type", "value_error"),
            }
        )
    return out


async def _problem_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemError)
    return problem_response(
        status=exc.status,
        code=exc.code,
        detail=exc.detail,
        title=exc.title,
        instance=request.url.path,
        headers=exc.headers or None,
        **exc.extra,
    )


async def _validation_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = validation_errors(exc.errors())
    fields = ", ".join(e["field"] for e in errors[:10])
    return problem_response(
        status=422,
        code="validation_failed",
        detail=f"{len(errors)} field(s) are invalid: {fields}. Fix each one listed in 'errors'.",
        instance=request.url.path,
        errors=errors,
    )


async def _http_exception_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if status == 404 and detail == "Not Found":
        detail = f"No resource at {request.url.path}. Check the path against the API document."
    elif status == 405:
        detail = f"{request.method} is not allowed on {request.url.path}."
    return problem_response(
        status=status,
        code=code_for_status(status),
        detail=detail,
        instance=request.url.path,
        headers=dict(exc.headers) if exc.headers else None,
    )


async def _recursion_handler(request: Request, exc: Exception) -> Response:
    # Only pathological input (e.g. JSON nested thousands deep) recurses this far.
    log.warning("recursion limit hit on %s %s", request.method, request.url.path)
    return problem_response(
        status=400,
        code="bad_request",
        detail="The request is nested too deeply to process; send a flatter JSON document.",
        instance=request.url.path,
    )


async def _unhandled_handler(request: Request, exc: Exception) -> Response:
    # Never a traceback to the client; the log has it, tied by request id.
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem_response(
        status=500,
        code="internal_error",
        detail="An unexpected error occurred. Nothing was changed; quote the request_id when reporting it.",
        instance=request.url.path,
    )


def install_error_handlers(app: FastAPI) -> None:
    """Render every error on `app` as problem+json."""
    app.add_exception_handler(ProblemError, _problem_error_handler)
    app.add_exception_handler(RequestValidationError, _validation_handler)
    app.add_exception_handler(StarletteHTTPException, _http_exception_handler)
    app.add_exception_handler(RecursionError, _recursion_handler)
    app.add_exception_handler(Exception, _unhandled_handler)


#: OpenAPI description of the problem response, for `responses=` on routes.
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "request_id": {"type": ["string", "null"]},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "message": {"type": "string"},
                    "type": {"type": "string"},
                },
            },
        },
    },
}
