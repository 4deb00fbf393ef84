"""Open311 GeoReport v2 under /open311/v2 (through the gateway as well), JSON and XML, errors in
the specification's format; plus /v1/open311/keys for administrators to issue api keys."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request, status
from fastapi.responses import Response
from pydantic import BaseModel, Field

from yiwang_shared.db import SessionDep
from yiwang_shared.errors import ProblemError

from ..access import require
from ..open311_format import FORMATS, error, render
from ..services import open311 as svc
from ..services.open311 import Open311Error
from .deps import Actor

router = APIRouter(tags=["open311"])
V2 = "/open311/v2"
SPEC = "http://wiki.open311.org/GeoReport_v2"


async def _answer(
    fmt: str,
    session: SessionDep,
    make: Callable[[], Awaitable[Any]],
    *,
    root: str,
    item: str | None,
    status_code: int = 200,
) -> Response:
    if fmt not in FORMATS:
        return error("json", 400, f"format {fmt} is not supported; use .json or .xml")
    try:
        data = await make()
    except Open311Error as exc:
        await session.rollback()
        return error(fmt, exc.status, exc.description)
    except ProblemError as exc:
        await session.rollback()
        status_ = 404 if exc.status == 404 else 403 if exc.status in (401, 403) else 400
        return error(fmt, status_, exc.detail)
    return render(fmt, data, root=root, item=item, status=status_code)


@router.get(V2 + "/discovery.{fmt}", response_class=Response)
async def open311_discovery(fmt: str, request: Request, session: SessionDep) -> Response:
    """Service discovery."""
    base = str(request.base_url).rstrip("/")
    forwarded = request.headers.get("x-forwarded-prefix", "")

    async def make() -> dict[str, Any]:
        return {
            "changeset": "2026-11-22T00:00:00+08:00",
            "contact": "北京市朝阳区12345市民服务热线",
            "key_service": "api_key is issued by the district's hotline administrators",
            "endpoints": [
                {
                    "specification": SPEC,
                    "url": f"{base}{forwarded}{V2}",
                    "changeset": "2026-11-22T00:00:00+08:00",
                    "type": "production",
                    "formats": ["application/json", "text/xml"],
                }
            ],
        }

    return await _answer(fmt, session, make, root="discovery", item=None)


@router.get(V2 + "/services.{fmt}", response_class=Response)
async def open311_services(
    fmt: str, request: Request, session: SessionDep, jurisdiction_id: str | None = None
) -> Response:
    """The service list (request categories)."""

    async def make() -> list[dict[str, Any]]:
        svc.check_jurisdiction(request.app.state.settings, jurisdiction_id)
        return await svc.services(session)

    return await _answer(fmt, session, make, root="services", item="service")


@router.get(V2 + "/services/{service_code}.{fmt}", response_class=Response)
async def open311_service_definition(
    service_code: str, fmt: str, request: Request, session: SessionDep, jurisdiction_id: str | None = None
) -> Response:
    """A service definition: the attributes a category asks for."""

    async def make() -> dict[str, Any]:
        svc.check_jurisdiction(request.app.state.settings, jurisdiction_id)
        return await svc.service_definition(session, service_code)

    return await _answer(fmt, session, make, root="service_definition", item=None)


@router.post(V2 + "/requests.{fmt}", response_class=Response)
async def open311_requests_create(fmt: str, request: Request, session: SessionDep) -> Response:
    """Post a service request (form-encoded, api_key required)."""

    async def make() -> list[dict[str, Any]]:
        ctype = request.headers.get("content-type", "")
        if not ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            raise Open311Error(400, "send the request as application/x-www-form-urlencoded form fields")
        form = await request.form()
        fields = {k: str(v) for k, v in form.multi_items() if isinstance(v, str)}
        return await svc.post_request(session, fields, request.app.state.settings)

    return await _answer(fmt, session, make, root="service_requests", item="request", status_code=201)


@router.get(V2 + "/requests.{fmt}", response_class=Response)
async def open311_requests_list(
    fmt: str,
    request: Request,
    session: SessionDep,
    service_request_id: str | None = None,
    service_code: str | None = None,
    start_date: str | None = None,
    end_date: str | None = None,
    status: str | None = None,
    jurisdiction_id: str | None = None,
) -> Response:
    """Service requests, filtered as the specification says (default: the last 90 days)."""

    async def make() -> list[dict[str, Any]]:
        svc.check_jurisdiction(request.app.state.settings, jurisdiction_id)
        return await svc.list_requests(
            session,
            ids=service_request_id,
            service_code=service_code,
            start_date=start_date,
            end_date=end_date,
            status=status,
        )

    return await _answer(fmt, session, make, root="service_requests", item="request")


@router.get(V2 + "/requests/{request_id}.{fmt}", response_class=Response)
async def open311_requests_get(
    request_id: str, fmt: str, request: Request, session: SessionDep, jurisdiction_id: str | None = None
) -> Response:
    """One service request (a one-element list)."""

    async def make() -> list[dict[str, Any]]:
        svc.check_jurisdiction(request.app.state.settings, jurisdiction_id)
        return await svc.get_request(session, request_id)

    return await _answer(fmt, session, make, root="service_requests", item="request")


@router.get(V2 + "/tokens/{token}.{fmt}", response_class=Response)
async def open311_tokens_get(
    token: str, fmt: str, request: Request, session: SessionDep, jurisdiction_id: str | None = None
) -> Response:
    """The service request id a token became."""

    async def make() -> list[dict[str, Any]]:
        svc.check_jurisdiction(request.app.state.settings, jurisdiction_id)
        return await svc.token_lookup(session, token)

    return await _answer(fmt, session, make, root="service_requests", item="request")


@router.get(V2 + "/servicerequestupdates.{fmt}", response_class=Response)
async def open311_request_updates(
    fmt: str,
    request: Request,
    session: SessionDep,
    service_request_id: str | None = None,
    start_date: str | None = None,
    end_date: str | None = None,
    jurisdiction_id: str | None = None,
) -> Response:
    """The servicerequestupdates extension: what happened to requests."""

    async def make() -> list[dict[str, Any]]:
        svc.check_jurisdiction(request.app.state.settings, jurisdiction_id)
        return await svc.request_updates(
            session, request_id=service_request_id, start_date=start_date, end_date=end_date
        )

    return await _answer(fmt, session, make, root="service_request_updates", item="request_update")


class KeyIn(BaseModel):
    """A new Open311 api key's holder."""

    name: str = Field(min_length=1, max_length=100, description="Who the key is for (integrator).")


class KeyOut(BaseModel):
    """The key, shown once."""

    name: str
    api_key: str


@router.post("/v1/open311/keys", response_model=KeyOut, status_code=status.HTTP_201_CREATED, tags=["open311"])
async def open311_keys_create(body: KeyIn, principal: Actor, session: SessionDep) -> KeyOut:
    """Issue an Open311 api key (administrators); only its hash is stored."""
    require(principal, {"admin"}, "Issuing Open311 api keys")
    return KeyOut(name=body.name, api_key=await svc.create_key(session, body.name))
