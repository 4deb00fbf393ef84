"""The pieces every service's API contract is built from: language, public links, pages, security."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Annotated

import httpx
import pytest
from fastapi import Depends, FastAPI, Query
from fastapi.responses import JSONResponse

from yiwang_shared.auth import CurrentPrincipal, OptionalPrincipal, require_roles
from yiwang_shared.errors import install_error_handlers
from yiwang_shared.i18n import negotiate_language
from yiwang_shared.links import clean_prefix, public_path
from yiwang_shared.middleware import RequestContextMiddleware
from yiwang_shared.openapi import problems, service_openapi
from yiwang_shared.pagination import DateRangeQuery, Page, PageQuery, paginate


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "zh"),
        ("", "zh"),
        ("zh-CN,zh;q=0.9", "zh"),
        ("en", "en"),
        ("en-US,en;q=0.9", "en"),
        ("en;q=0.5,zh;q=0.8", "zh"),
        ("zh;q=0.3,en;q=0.7", "en"),
        ("fr-FR,en;q=0.5", "en"),
        ("fr-FR", "zh"),
        ("*", "zh"),
        ("en;q=0", "zh"),
        ("en;q=abc", "zh"),
    ],
)
def test_chinese_unless_english_is_preferred(header: str | None, language: str) -> None:
    assert negotiate_language(header) == language


@pytest.mark.parametrize(
    ("raw", "prefix"),
    [
        ("/api/intake", "/api/intake"),
        ("/api/intake/", "/api/intake"),
        (None, ""),
        ("", ""),
        ("api/intake", ""),  # not a path
        ("http://evil.example/api", ""),
        ("//evil.example", ""),
        ("/api/../admin", ""),
        ("/api/./x", ""),
        ("/api@evil.example", ""),
        ("/api/%2e%2e", ""),
        ("/api?x=1", ""),
        ("/a/b/c/d/e", ""),  # deeper than any prefix we hand out
    ],
)
def test_only_plain_path_prefixes_are_taken(raw: str | None, prefix: str) -> None:
    assert clean_prefix(raw) == prefix


class NumberPage(Page[int]):
    """A page of numbers."""


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/v1/numbers", responses=problems(409))
    async def numbers_list(page: PageQuery, days: DateRangeQuery) -> NumberPage:
        return NumberPage.model_validate(paginate(list(range(1, 8)), page))

    @app.get("/v1/where")
    async def where() -> JSONResponse:
        return JSONResponse({"self": public_path("/v1/where")}, headers={"Location": public_path("/v1/x")})

    @app.get("/v1/mine")
    async def mine(principal: CurrentPrincipal) -> dict[str, str]:
        return {}

    @app.get("/v1/maybe/{thing}")
    async def maybe(thing: str, principal: OptionalPrincipal) -> dict[str, str]:
        return {}

    @app.get("/v1/admin")
    async def admin(principal: Annotated[object, Depends(require_roles("admin"))]) -> dict[str, str]:
        return {}

    @app.get("/v1/day")
    async def day(on: Annotated[date, Query()]) -> dict[str, str]:
        return {}

    app.add_middleware(RequestContextMiddleware, service="t")
    return app


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(_app()), base_url="http://t") as c:
        yield c


async def test_pages_have_one_shape_and_no_silent_cap(client: httpx.AsyncClient) -> None:
    r = await client.get("/v1/numbers", params={"limit": 3, "offset": 2})
    assert r.json() == {"items": [3, 4, 5], "total": 7, "total_exact": True, "limit": 3, "offset": 2}
    too_many = await client.get("/v1/numbers", params={"limit": 201})
    assert too_many.status_code == 422
    assert too_many.json()["errors"] == [
        {"field": "query.limit", "message": "应不大于 200", "type": "less_than_equal"}
    ]


async def test_date_ranges_are_from_and_to(client: httpx.AsyncClient) -> None:
    assert (
        await client.get("/v1/numbers", params={"from": "2026-11-01", "to": "2026-11-30"})
    ).status_code == 200
    reversed_ = await client.get("/v1/numbers", params={"from": "2026-12-01", "to": "2026-11-30"})
    assert reversed_.status_code == 422 and reversed_.json()["code"] == "date_range_reversed"
    assert "晚于截止日期" in reversed_.json()["detail"]
    bad = await client.get("/v1/numbers", params={"from": "2026-13-01"})
    assert bad.json()["errors"][0]["field"] == "query.from"


async def test_links_carry_the_prefix_the_gateway_names(client: httpx.AsyncClient) -> None:
    plain = await client.get("/v1/where")
    assert plain.json() == {"self": "/v1/where"} and plain.headers["location"] == "/v1/x"
    through = await client.get("/v1/where", headers={"X-Forwarded-Prefix": "/api/intake"})
    assert through.json() == {"self": "/api/intake/v1/where"}
    assert through.headers["location"] == "/api/intake/v1/x"
    missing = await client.get("/v1/nothing", headers={"X-Forwarded-Prefix": "/api/intake"})
    assert missing.json()["instance"] == "/api/intake/v1/nothing"
    forged = await client.get("/v1/where", headers={"X-Forwarded-Prefix": "http://evil.example"})
    assert forged.json() == {"self": "/v1/where"}


def test_every_operation_declares_its_security_and_problems() -> None:
    doc = service_openapi(_app())
    ops = {path: item["get"] for path, item in doc["paths"].items()}
    assert ops["/v1/numbers"]["security"] == []
    assert ops["/v1/mine"]["security"] == [{"bearer": []}]
    assert ops["/v1/admin"]["security"] == [{"bearer": []}]
    assert ops["/v1/maybe/{thing}"]["security"] == [{}, {"bearer": []}]
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    assert ops["/v1/numbers"]["responses"]["409"]["content"] == problem
    assert ops["/v1/numbers"]["responses"]["422"]["content"] == problem
    assert "401" not in ops["/v1/numbers"]["responses"]
    assert ops["/v1/mine"]["responses"]["401"]["content"] == problem
    assert ops["/v1/maybe/{thing}"]["responses"]["404"]["content"] == problem
    assert "404" not in ops["/v1/mine"]["responses"]
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    assert doc["components"]["schemas"]["NumberPage"]["required"] == ["items", "total", "limit", "offset"]
