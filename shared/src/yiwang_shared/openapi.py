"""Each service's OpenAPI document, made into a contract a generated client can rely on.

FastAPI describes routes and models; this adds what it cannot know:
- **security** per operation, read from the route's dependencies: `current_principal` (and every
  role check built on it) needs a bearer token, `optional_principal` takes one if sent, anything
  else is public (`security: []`). A route may declare its own (`openapi_extra={"security": ...}`,
  e.g. Open311's api_key), and the service may add schemes (`ServiceSpec.security_schemes`);
- **problems**: every 4xx a route can answer is `application/problem+json` with the one `Problem`
  schema — 401/403 where a token is read, 404 where the path names a resource, 422 for validation,
  whatever the route lists itself (`responses=problems(409)`), and a `default` for the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from fastapi import FastAPI, routing
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from .auth import current_principal, optional_principal
from .errors import PROBLEM_SCHEMA, declared_errors

__all__ = ["BEARER", "LOCATION_HEADER", "PROBLEM_CONTENT", "created", "problems", "service_openapi"]

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
PROBLEM_CONTENT = {"application/problem+json": {"schema": PROBLEM_REF}}
_CONTENT = {"content": PROBLEM_CONTENT}

BEARER = "bearer"
BEARER_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "bearerFormat": "JWT",
    "description": "An access token from `POST /api/identity/v1/auth/login` (登录后获得的访问令牌).",
}

#: What each problem status means, for the response's description.
_DESCRIPTIONS = {
    400: "Malformed request (请求有误)",
    401: "Missing, invalid or expired access token (需要登录)",
    403: "Not allowed for the caller (无权办理)",
    404: "No such resource, or not one the caller may see (未找到)",
    409: "The resource's state does not allow this, or it already exists (状态冲突)",
    410: "No longer available (已不再提供)",
    413: "Body too large (请求内容过大)",
    415: "Unsupported content type (不支持的内容类型)",
    422: "Invalid input: every field to fix is listed (输入有误)",
    423: "Account locked (账号已锁定)",
    429: "Too many requests; retry after the Retry-After header (请求过于频繁)",
    502: "A service behind the gateway failed (上游服务出错)",
    503: "A service or dependency is unavailable (服务暂不可用)",
    504: "A service behind the gateway timed out (上游服务超时)",
}


def problem_response_spec(status: int, description: str | None = None) -> dict[str, Any]:
    """The OpenAPI response object of a problem with this status."""
    return {"description": description or _DESCRIPTIONS.get(status, "Problem"), "content": PROBLEM_CONTENT}


#: The `Location` header of a 201, as the document describes it.
LOCATION_HEADER = {
    "description": "Where the new resource is read, as the client reaches it (through the gateway: "
    "`/api/<service>/v1/...`).",
    "schema": {"type": "string"},
}


def created(description: str, *statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route answering 201 with a `Location`, plus the problems it raises."""
    return {
        201: {"description": description, "headers": {"Location": LOCATION_HEADER}},
        **problems(*statuses),
    }


def problems(*statuses: int, **described: str) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: these statuses answer a problem (`problems(404, 409)`)."""
    out: dict[int | str, dict[str, Any]] = {s: problem_response_spec(s) for s in statuses}
    for key, description in described.items():
        status = int(key.removeprefix("s"))
        out[status] = problem_response_spec(status, description)
    return out


def _calls(dependant: Dependant) -> Iterable[Callable[..., Any]]:
    for dep in dependant.dependencies:
        if dep.call is not None:
            yield dep.call
        yield from _calls(dep)


def api_routes(app: FastAPI) -> Iterable[Any]:
    """Every API route of the app, with the dependencies of the routers that include it."""
    for context in routing.iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute):
            yield context


def route_auth(route: Any) -> str:
    """'required', 'optional' or 'none': what the route does with a bearer token."""
    calls = set(_calls(route.dependant))
    if current_principal in calls:
        return "required"
    if optional_principal in calls:
        return "optional"
    return "none"


def _add_problems(op: dict[str, Any], *, auth: str, has_path_params: bool) -> None:
    responses: dict[str, Any] = op.setdefault("responses", {})
    for code, resp in list(responses.items()):
        if code.isdigit() and int(code) >= 400:
            resp.setdefault("description", _DESCRIPTIONS.get(int(code), "Problem"))
            resp["content"] = PROBLEM_CONTENT
    if auth != "none":
        responses.setdefault("401", problem_response_spec(401))
        responses.setdefault("403", problem_response_spec(403))
    if has_path_params:
        responses.setdefault("404", problem_response_spec(404))
    if "422" in responses:
        responses["422"] = problem_response_spec(422)
    responses.setdefault("default", {"description": "Problem (RFC 9457 问题详情)", **_CONTENT})


#: Codes every service answers with besides its own (the request's shape, the platform's failures).
#: The package whose declared errors every service may answer with.
SHARED = "yiwang_shared"

GENERIC_CODES = {
    "internal_error": (500, "The service failed; the request id finds the log."),
}


def problem_codes(service: str) -> list[dict[str, Any]]:
    """`x-problem-codes`: every code the service's problems may carry, with its status and meaning —
    the platform's (declared in yiwang_shared, and GENERIC_CODES), then the service's own."""
    shared = [
        {"code": e.code, "status": e.status, "meaning": e.meaning} for e in declared_errors("yiwang_shared")
    ]
    shared += [{"code": c, "status": status, "meaning": text} for c, (status, text) in GENERIC_CODES.items()]
    own = [{"code": e.code, "status": e.status, "meaning": e.meaning} for e in declared_errors(service)]
    known = {str(entry["code"]) for entry in shared}
    return sorted(shared, key=lambda entry: str(entry["code"])) + [e for e in own if e["code"] not in known]


def service_openapi(
    app: FastAPI, security_schemes: Mapping[str, Any] | None = None, *, service: str | None = None
) -> dict[str, Any]:
    """The service's OpenAPI 3.1 document with security and problem responses on every operation,
    and (given the service's name) the problem codes it declares."""
    schema = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemes = components.setdefault("securitySchemes", {})
    schemes[BEARER] = BEARER_SCHEME
    schemes.update(security_schemes or {})
    paths = schema.get("paths", {})
    for route in api_routes(app):
        if not route.include_in_schema:
            continue
        item = paths.get(route.path_format)
        if not isinstance(item, dict):
            continue
        auth = route_auth(route)
        for method in route.methods or ():
            op = item.get(method.lower())
            if not isinstance(op, dict):
                continue
            if "security" not in op:
                if auth == "required":
                    op["security"] = [{BEARER: []}]
                elif auth == "optional":
                    op["security"] = [{}, {BEARER: []}]
                else:
                    op["security"] = []
            _add_problems(op, auth=auth, has_path_params="{" in route.path_format)
    if service is not None:
        schema["x-problem-codes"] = problem_codes(service)
        schema["servers"] = [
            {
                "url": "/",
                "description": f"{service}-svc itself; clients call it through the gateway at /api/{service}",
            }
        ]
    return schema
