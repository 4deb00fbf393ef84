"""One error envelope for every service and the gateway: RFC 9457 problem details.

Every error response is `application/problem+json` with `type`, `title`, `status`, `detail`,
a stable machine `code` and the `request_id`; validation errors add `errors`, one entry per bad
field, all at once. `title` and `detail` are Chinese; a client that prefers English
(`Accept-Language: en`) gets the English text each error carries (`en=`). Codes never change with
the language. Exception hierarchy::

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
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, ClassVar

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from .context import current_request_id
from .i18n import current_language, language_var, negotiate_language, pick
from .links import public_path
from .validation_messages import message_for

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://yiwang.dev/problems/"

log = logging.getLogger("yiwang.errors")


class ProblemError(Exception):
    """An error with an HTTP status and a stable code; rendered as problem+json.

    A service declares each of its errors as a subclass with its own `code` and a one-line
    docstring (`class ApplicationNotFound(NotFound): code = "intake.application_not_found"`); the
    subclass is registered, and the service's OpenAPI document lists every declared code
    (`x-problem-codes`), so a client knows what it may meet.
    """

    status: int = 400
    code: str = "bad_request"
    title: str | None = None
    #: When True the request's session commits what was written before this was raised (a
    #: failed-attempt counter, a revoked token family) instead of rolling back.
    commit_changes: bool = False
    #: Every declared error by code (see declared_errors).
    _declared: ClassVar[dict[str, type[ProblemError]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        code = cls.__dict__.get("code")
        if code is None:
            return
        known = ProblemError._declared.get(code)
        # The same class again (a module imported twice under test) is fine; another class is not.
        where = (cls.__module__, cls.__qualname__)
        if known is not None and (known.__module__, known.__qualname__) != where:
            twice = f"{known.__module__}.{known.__qualname__} and {'.'.join(where)}"
            raise TypeError(f"error code {code!r} declared twice: {twice}")
        ProblemError._declared[code] = cls

    def __init__(
        self,
        detail: str,
        *,
        en: str | None = None,
        code: str | None = None,
        status: int | None = None,
        title: str | None = None,
        headers: dict[str, str] | None = None,
        commit_changes: bool | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(en or detail)
        if commit_changes is not None:
            self.commit_changes = commit_changes
        #: The Chinese text (中文), shown unless the client asks for English.
        self.detail = detail
        #: The English text, for `Accept-Language: en`.
        self.detail_en = en
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        if title is not None:
            self.title = title
        self.headers = headers or {}
        self.extra = extra


class TextHTTPException(StarletteHTTPException):
    """An HTTP error raised below the routes (body guards), with its text in both languages."""

    def __init__(self, status_code: int, detail: str, en: str) -> None:
        super().__init__(status_code, detail)
        self.en = en


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


class ValidationFailed(UnprocessableEntity):
    """Fields to fix: `errors` lists every one (or `field` names the one a rule refused)."""

    code = "validation_failed"


class TooManyRequests(ProblemError):
    """Rate limited."""

    status = 429
    code = "rate_limited"


class ServiceUnavailable(ProblemError):
    """A dependency is down."""

    status = 503
    code = "service_unavailable"


#: The title of each status in Chinese (the English one is the HTTP reason phrase).
STATUS_TITLES_ZH = {
    400: "请求有误",
    401: "需要登录",
    403: "无权办理",
    404: "未找到",
    405: "不支持该请求方法",
    406: "无法提供所需格式",
    408: "请求超时",
    409: "当前状态不允许此操作",
    410: "已不再提供",
    411: "缺少请求长度",
    413: "请求内容过大",
    414: "请求地址过长",
    415: "不支持的内容类型",
    422: "输入有误",
    423: "账号已锁定",
    429: "请求过于频繁",
    431: "请求头过大",
    500: "系统内部错误",
    502: "上游服务出错",
    503: "服务暂不可用",
    504: "上游服务超时",
}


@dataclass(frozen=True)
class DeclaredError:
    """A declared error code: what a client may meet, at which status, and what it means."""

    code: str
    status: int
    meaning: str


def declared_errors(package: str) -> list[DeclaredError]:
    """The errors declared in `package`'s modules (e.g. "intake", "yiwang_shared"), sorted by code."""
    return [
        DeclaredError(code, cls.status, (cls.__doc__ or "").strip().splitlines()[0])
        for code, cls in sorted(ProblemError._declared.items())
        if cls.__module__.split(".")[0] == package
    ]


def status_title(status: int) -> str:
    """The title of a status in the request's language."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return pick(STATUS_TITLES_ZH.get(status, "请求失败"), phrase)


def problem_body(
    *,
    status: int,
    code: str,
    detail: str,
    en: str | None = None,
    title: str | None = None,
    instance: str | None = None,
    request_id: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Build a problem-details dictionary (`detail` Chinese, `en` its English for English clients)."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + code.replace(".", "/"),
        "title": (title if current_language() == "zh" else None) or status_title(status),
        "status": status,
        "detail": pick(detail, en),
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
    """Turn pydantic/FastAPI validation errors into a list a person can act on (request's language)."""
    out = []
    for err in errors:
        msg = message_for(err)
        loc = tuple(err.get("loc", ()))
        if err.get("type") == "json_invalid" and len(loc) == 2 and isinstance(loc[1], int):
            # FastAPI reports a JSON syntax error as field "body.<offset>": say where and why.
            reason = str((err.get("ctx") or {}).get("error", "")).strip()
            msg = pick(
                f"请求体不是有效的 JSON：第 {loc[1]} 个字符处有误" + (f"（{reason}）" if reason else ""),
                f"the body is not valid JSON at character {loc[1]}" + (f": {reason}" if reason else ""),
            )
            loc = ("body",)
        out.append(
            {
                "field": _loc_to_field(loc),
                "message": msg,
                "type": err.get("type", "value_error"),
            }
        )
    return out


def _speak_as_asked(request: Request) -> None:
    # The request context middleware has usually done this; an app without it still answers in
    # the language the client asked for.
    language_var.set(negotiate_language(request.headers.get("accept-language")))


async def _problem_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemError)
    _speak_as_asked(request)
    return problem_response(
        status=exc.status,
        code=exc.code,
        detail=exc.detail,
        en=exc.detail_en,
        title=exc.title,
        instance=public_path(request.url.path),
        headers=exc.headers or None,
        **exc.extra,
    )


def validation_problem(errors: list[dict[str, Any]], instance: str | None = None) -> Response:
    """The 422 problem listing every invalid field at once."""
    fields = ", ".join(e["field"] for e in errors[:10])
    return problem_response(
        status=422,
        code="validation_failed",
        detail=f"有 {len(errors)} 处输入需要修改：{fields}。请按 errors 中列出的逐项修改。",
        en=f"{len(errors)} field(s) are invalid: {fields}. Fix each one listed in 'errors'.",
        instance=instance,
        errors=errors,
    )


async def _validation_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    _speak_as_asked(request)
    return validation_problem(validation_errors(exc.errors()), public_path(request.url.path))


async def _http_exception_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    _speak_as_asked(request)
    status = exc.status_code
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    path = public_path(request.url.path)
    en: str | None = exc.en if isinstance(exc, TextHTTPException) else None
    if status == 404 and detail == "Not Found":
        detail, en = (
            f"{path} 处没有资源，请对照接口文档检查路径。",
            f"No resource at {path}. Check the path against the API document.",
        )
    elif status == 405:
        detail, en = (
            f"{path} 不支持 {request.method} 方法。",
            f"{request.method} is not allowed on {path}.",
        )
    return problem_response(
        status=status,
        code=code_for_status(status),
        detail=detail,
        en=en,
        instance=path,
        headers=dict(exc.headers) if exc.headers else None,
    )


async def _recursion_handler(request: Request, exc: Exception) -> Response:
    # Only pathological input (e.g. JSON nested thousands deep) recurses this far.
    log.warning("recursion limit hit on %s %s", request.method, request.url.path)
    return problem_response(
        status=400,
        code="bad_request",
        detail="请求内容嵌套过深，无法处理，请发送层级更少的 JSON。",
        en="The request is nested too deeply to process; send a flatter JSON document.",
        instance=public_path(request.url.path),
    )


async def _unhandled_handler(request: Request, exc: Exception) -> Response:
    # Never a traceback to the client; the log has it, tied by request id.
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem_response(
        status=500,
        code="internal_error",
        detail="系统出现意外错误，未做任何更改。反映问题时请提供 request_id。",
        en="An unexpected error occurred. Nothing was changed; quote the request_id when reporting it.",
        instance=public_path(request.url.path),
    )


def install_error_handlers(app: FastAPI) -> None:
    """Render every error on `app` as problem+json."""
    app.add_exception_handler(ProblemError, _problem_error_handler)
    app.add_exception_handler(RequestValidationError, _validation_handler)
    app.add_exception_handler(StarletteHTTPException, _http_exception_handler)
    app.add_exception_handler(RecursionError, _recursion_handler)
    app.add_exception_handler(Exception, _unhandled_handler)


#: OpenAPI description of the problem response (the `Problem` component of every document).
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Problem",
    "description": (
        "An error (RFC 9457 problem details, 问题详情). `title` and `detail` are in Chinese unless "
        "the request asked for English with `Accept-Language: en`; `code` is stable and never translated."
    ),
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string", "description": "A URI naming the kind of problem (from `code`)."},
        "title": {"type": "string", "description": "A short summary of the kind of problem."},
        "status": {"type": "integer", "description": "The HTTP status code."},
        "detail": {"type": "string", "description": "What went wrong and what to do about it (说明)."},
        "code": {
            "type": "string",
            "description": "A stable machine-readable code, e.g. `intake.materials_missing`.",
        },
        "request_id": {
            "type": ["string", "null"],
            "description": "The request id to quote when reporting the problem.",
        },
        "instance": {"type": "string", "description": "The path of the request, as the client sent it."},
        "errors": {
            "type": "array",
            "description": "Every invalid field at once (validation problems only).",
            "items": {
                "type": "object",
                "required": ["field", "message", "type"],
                "properties": {
                    "field": {
                        "type": "string",
                        "description": "Where: `body.<name>`, `query.<name>`, `path.<name>`, ...",
                    },
                    "message": {"type": "string", "description": "What to fix, in the request's language."},
                    "type": {"type": "string", "description": "The kind of error (pydantic's type)."},
                },
            },
        },
    },
    "additionalProperties": True,
}
