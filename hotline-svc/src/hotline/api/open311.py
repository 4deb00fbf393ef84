"""Open311 GeoReport v2 under /open311/v2 (through the gateway as well), JSON and XML, errors in
the specification's format; plus /v1/open311/keys for administrators to issue api keys.

Open311's paths are public as they are (the gateway forwards `/open311/...` unprefixed), so the
URLs it hands out start from the `public_base_url` setting, never from a request header.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import AwareDatetime, BaseModel

from yiwang_shared.db import SessionDep
from yiwang_shared.errors import ProblemError
from yiwang_shared.i18n import pick
from yiwang_shared.links import public_path, set_location
from yiwang_shared.openapi import created

from ..schemas import Open311KeyCreate, Open311KeyRead
from ..schemas.open311 import (
    Open311DiscoveryRead,
    Open311EndpointRead,
    Open311RequestReceiptRead,
    Open311RequestUpdateRead,
    Open311ServiceDefinitionRead,
    Open311ServiceRead,
    Open311ServiceRequestRead,
    Open311TokenRead,
)
from ..services import open311 as svc
from ..services.access import require
from ..services.open311 import Open311Failure, describe_errors
from .deps import Actor
from .open311_format import FORMATS, Shape, error

V2 = "/open311/v2"
SPEC = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-22T00:00:00+08:00"

DISCOVERY = Shape(Open311DiscoveryRead, description="The discovery document (服务发现).")
SERVICES = Shape(Open311ServiceRead, "services", "The services: the hotline's request categories.")
DEFINITION = Shape(Open311ServiceDefinitionRead, description="The service's attributes.")
REQUESTS = Shape(Open311ServiceRequestRead, "service_requests", "Service requests, newest first.")
RECEIPT = Shape(Open311RequestReceiptRead, "service_requests", "Accepted: the request's id and token.")
TOKENS = Shape(Open311TokenRead, "service_requests", "The request the token became.")
UPDATES = Shape(Open311RequestUpdateRead, "service_request_updates", "Public updates, oldest first.")

#: What each Open311 operation answers, by operation id (the OpenAPI document is built from this).
SHAPES = {
    "open311-discovery": DISCOVERY,
    "open311-services": SERVICES,
    "open311-service-definition": DEFINITION,
    "open311-requests-create": RECEIPT,
    "open311-requests-list": REQUESTS,
    "open311-requests-get": REQUESTS,
    "open311-tokens-get": TOKENS,
    "open311-request-updates": UPDATES,
}


def _fmt(request: Request) -> str:
    fmt = str(request.path_params.get("fmt", ""))
    return fmt if fmt in FORMATS else "json"


def _invalid(request: Request, errors: list[Any]) -> str:
    fmt = request.path_params.get("fmt")
    if any(tuple(e.get("loc", ())) == ("path", "fmt") for e in errors):
        return pick(
            f"不支持 .{fmt} 格式，请使用 .json 或 .xml。", f"format {fmt} is not supported; use .json or .xml"
        )
    return describe_errors(errors)


class Open311Route(APIRoute):
    """A route whose invalid parameters answer 400 in GeoReport's error format, not a 422 problem."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The handler, with validation errors turned into GeoReport errors."""
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                return error(_fmt(request), 400, _invalid(request, list(exc.errors())))

        return route


router = APIRouter(tags=["open311"], route_class=Open311Route)
keys_router = APIRouter(prefix="/v1/open311/keys", tags=["open311"])

Fmt = Annotated[
    Literal["json", "xml"],
    Path(description="The answer's format: json (application/json) or xml (text/xml)."),
]
Jurisdiction = Annotated[
    str | None,
    Query(max_length=200, description="Leave out, or give the one this endpoint serves (see discovery)."),
]
Since = Annotated[
    AwareDatetime | None,
    Query(description="Earliest, a W3C date-time with its offset (default: 90 days before end_date)."),
]
Until = Annotated[AwareDatetime | None, Query(description="Latest, a W3C date-time with its offset.")]


async def _answer(
    fmt: str,
    session: SessionDep | None,
    make: Callable[[], Awaitable[BaseModel | list[Any]]],
    shape: Shape,
    *,
    status_code: int = 200,
    location: Callable[[Any], str] | None = None,
) -> Response:
    try:
        data = await make()
    except Open311Failure as exc:
        if session is not None:
            await session.rollback()
        return error(fmt, exc.status, exc.description)
    except ProblemError as exc:
        if session is not None:
            await session.rollback()
        status_ = 404 if exc.status == 404 else 403 if exc.status in (401, 403) else 400
        return error(fmt, status_, pick(exc.detail, exc.detail_en))
    response = shape.render(fmt, data, status_code)
    if location is not None:
        response.headers["Location"] = location(data)
    return response


@router.get(V2 + "/discovery.{fmt}", response_class=Response)
async def open311_discovery(fmt: Fmt, request: Request) -> Response:
    """Service discovery: the endpoint's public URL, formats, and how to get an api_key."""
    base = request.app.state.settings.public_base_url.rstrip("/")

    async def make() -> Open311DiscoveryRead:
        return Open311DiscoveryRead(
            changeset=CHANGESET,
            contact="北京市朝阳区12345市民服务热线",
            key_service="api_key 由区12345市民服务热线管理部门签发，请联系热线管理部门申请。",
            endpoints=[
                Open311EndpointRead(
                    specification=SPEC,
                    url=base + V2,
                    changeset=CHANGESET,
                    type="production",
                    formats=["application/json", "text/xml"],
                )
            ],
        )

    return await _answer(fmt, None, make, DISCOVERY)


@router.get(V2 + "/services.{fmt}", response_class=Response)
async def open311_services(
    fmt: Fmt, request: Request, session: SessionDep, jurisdiction_id: Jurisdiction = None
) -> Response:
    """The service list (the hotline's request categories); `metadata` is true when one has attributes."""

    async def make() -> list[Open311ServiceRead]:
        svc.check_jurisdiction(request.app.state.settings, jurisdiction_id)
        return await svc.services(session)

    return await _answer(fmt, session, make, SERVICES)


@router.get(V2 + "/services/{service_code}.{fmt}", response_class=Response)
async def open311_service_definition(
    service_code: Annotated[str, Path(max_length=40, description="A service_code from the service list.")],
    fmt: Fmt,
    request: Request,
    session: SessionDep,
    jurisdiction_id: Jurisdiction = None,
) -> Response:
    """A service definition: the attributes a request for the category carries."""

    async def make() -> Open311ServiceDefinitionRead:
        svc.check_jurisdiction(request.app.state.settings, jurisdiction_id)
        return await svc.service_definition(session, service_code)

    return await _answer(fmt, session, make, DEFINITION)


@router.post(
    V2 + "/requests.{fmt}",
    response_class=Response,
    status_code=status.HTTP_201_CREATED,
    openapi_extra={"security": [{"open311_api_key": []}]},
)
async def open311_requests_create(
    fmt: Fmt,
    request: Request,
    session: SessionDep,
    api_key: Annotated[str | None, Query(include_in_schema=False)] = None,
) -> Response:
    """Post a service request (form fields; an api_key): it becomes a ticket at once, dispatched
    by the dispatch catalogue. Answers its service_request_id, a token and the ticket number."""

    async def make() -> list[Open311RequestReceiptRead]:
        ctype = request.headers.get("content-type", "")
        if not ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            raise Open311Failure(
                400,
                "请以表单（application/x-www-form-urlencoded）提交诉求。",
                "send the request as application/x-www-form-urlencoded form fields",
            )
        form = await request.form()
        fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
        return await svc.post_request(
            session, fields, key=fields.get("api_key") or api_key, settings=request.app.state.settings
        )

    def location(receipts: list[Open311RequestReceiptRead]) -> str:
        return public_path(f"{V2}/requests/{receipts[0].service_request_id}.{fmt}")

    return await _answer(fmt, session, make, RECEIPT, status_code=status.HTTP_201_CREATED, location=location)


@router.get(V2 + "/requests.{fmt}", response_class=Response)
async def open311_requests_list(
    fmt: Fmt,
    request: Request,
    session: SessionDep,
    service_request_id: Annotated[
        str | None,
        Query(max_length=4000, description="Comma-separated ids; when given, the other filters are ignored."),
    ] = None,
    service_code: Annotated[
        str | None, Query(max_length=1000, description="Comma-separated service codes.")
    ] = None,
    start_date: Since = None,
    end_date: Until = None,
    status: Annotated[
        str | None, Query(max_length=20, description="open, closed, or both (open,closed).")
    ] = None,
    jurisdiction_id: Jurisdiction = None,
) -> Response:
    """Service requests posted through Open311, newest first, at most 1000 (default: the last 90 days)."""

    async def make() -> list[Open311ServiceRequestRead]:
        svc.check_jurisdiction(request.app.state.settings, jurisdiction_id)
        return await svc.list_requests(
            session,
            ids=service_request_id,
            service_code=service_code,
            start_date=start_date,
            end_date=end_date,
            status=status,
        )

    return await _answer(fmt, session, make, REQUESTS)


@router.get(V2 + "/requests/{request_id}.{fmt}", response_class=Response)
async def open311_requests_get(
    request_id: Annotated[str, Path(max_length=36, description="A service_request_id.")],
    fmt: Fmt,
    request: Request,
    session: SessionDep,
    jurisdiction_id: Jurisdiction = None,
) -> Response:
    """One service request (a one-element list, as the specification has it)."""

    async def make() -> list[Open311ServiceRequestRead]:
        svc.check_jurisdiction(request.app.state.settings, jurisdiction_id)
        return await svc.get_request(session, request_id)

    return await _answer(fmt, session, make, REQUESTS)


@router.get(V2 + "/tokens/{token}.{fmt}", response_class=Response)
async def open311_tokens_get(
    token: Annotated[str, Path(max_length=36, description="The token a POST answered.")],
    fmt: Fmt,
    request: Request,
    session: SessionDep,
    jurisdiction_id: Jurisdiction = None,
) -> Response:
    """The service request id a token became."""

    async def make() -> list[Open311TokenRead]:
        svc.check_jurisdiction(request.app.state.settings, jurisdiction_id)
        return await svc.token_lookup(session, token)

    return await _answer(fmt, session, make, TOKENS)


@router.get(V2 + "/servicerequestupdates.{fmt}", response_class=Response)
async def open311_request_updates(
    fmt: Fmt,
    request: Request,
    session: SessionDep,
    service_request_id: Annotated[
        str | None, Query(max_length=36, description="One request's updates.")
    ] = None,
    start_date: Since = None,
    end_date: Until = None,
    jurisdiction_id: Jurisdiction = None,
) -> Response:
    """The servicerequestupdates extension: what happened to requests, oldest first, at most 1000."""

    async def make() -> list[Open311RequestUpdateRead]:
        svc.check_jurisdiction(request.app.state.settings, jurisdiction_id)
        return await svc.request_updates(
            session, request_id=service_request_id, start_date=start_date, end_date=end_date
        )

    return await _answer(fmt, session, make, UPDATES)


def _key_read(row: Any, key: str | None = None) -> Open311KeyRead:
    return Open311KeyRead(id=row.id, name=row.name, active=row.active, created_at=row.created_at, api_key=key)


@keys_router.post(
    "",
    response_model=Open311KeyRead,
    status_code=status.HTTP_201_CREATED,
    responses=created("Issued: the key is in `api_key`, shown this once."),
)
async def open311_keys_create(
    body: Open311KeyCreate, principal: Actor, session: SessionDep, response: Response
) -> Open311KeyRead:
    """Issue an Open311 api key (administrators); only its hash is stored."""
    require(principal, {"admin"}, "签发 Open311 api_key", "Issuing Open311 api keys")
    row, key = await svc.create_key(session, body.name)
    set_location(response, f"/v1/open311/keys/{row.id}")
    return _key_read(row, key)


@keys_router.get("/{key_id}", response_model=Open311KeyRead)
async def open311_keys_get(key_id: str, principal: Actor, session: SessionDep) -> Open311KeyRead:
    """An issued api key's holder and state (administrators); the key itself is not kept."""
    require(principal, {"admin"}, "查阅 Open311 api_key", "Reading Open311 api keys")
    return _key_read(await svc.get_key(session, key_id))
