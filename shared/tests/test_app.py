"""The service factory: start-up work, health, and the API document it publishes."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi import APIRouter, Depends, FastAPI, Request
from sample_service.app import SERVICE_DIR, create_app

from yiwang_shared.app import ServiceSpec, create_service_app, sync_handlers
from yiwang_shared.settings import ServiceSettings
from yiwang_shared.tables import calendar_days
from yiwang_shared.testing.app import running_app
from yiwang_shared.testing.nats import NatsServer


async def test_startup_migrates_and_seeds_the_working_day_calendar(
    database_url: str, nats_server: NatsServer
) -> None:
    settings = ServiceSettings(service_name="sample", database_url=database_url, nats_url=nats_server.url)
    app = create_app(settings)
    async with running_app(app) as client:
        assert (await client.get("/readyz")).status_code == 200
        async with app.state.db.transaction(write=False) as session:
            row = (
                await session.execute(
                    sa.select(calendar_days).where(calendar_days.c.day == date(2024, 10, 1))
                )
            ).one()
        assert row.is_working_day is False or row.is_working_day == 0
        # A second start changes nothing and fails on nothing.
    async with running_app(create_app(settings)) as client:
        assert (await client.get("/healthz")).status_code == 200


async def test_openapi_uses_problem_responses_and_readable_operation_ids(
    database_url: str, nats_server: NatsServer
) -> None:
    settings = ServiceSettings(service_name="sample", database_url=database_url, nats_url=nats_server.url)
    async with running_app(create_app(settings)) as client:
        doc = (await client.get("/openapi.json")).json()
    op = doc["paths"]["/v1/notes"]["post"]
    assert op["operationId"] == "notes-create"
    assert op["responses"]["422"]["content"]["application/problem+json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"
    }
    assert "HTTPValidationError" not in doc["components"]["schemas"]


async def test_docs_come_from_no_cdn_and_every_answer_carries_the_security_headers(
    database_url: str, nats_server: NatsServer
) -> None:
    """Issue 15, point 16: the services' own /docs loaded Swagger UI from a CDN; HTML pages had no
    CSP or X-Frame-Options; downloads could be sniffed."""
    settings = ServiceSettings(service_name="sample", database_url=database_url, nats_url=nats_server.url)
    async with running_app(create_app(settings)) as client:
        for page in ("/docs", "/redoc"):
            resp = await client.get(page)
            assert resp.status_code == 200 and "cdn" not in resp.text.lower(), resp.text[:500]
            assert "/docs/static/" in resp.text
            assert resp.headers["x-frame-options"] == "DENY"
            csp = resp.headers["content-security-policy"]
            assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
        bundle = await client.get("/docs/static/swagger-ui-bundle.js")
        assert bundle.status_code == 200 and bundle.headers["x-content-type-options"] == "nosniff"
        health = await client.get("/healthz")
        assert health.headers["x-content-type-options"] == "nosniff"
        assert "content-security-policy" not in health.headers  # JSON is no page


def _plain_setting(request: Request) -> str:
    return "x"


async def _async_setting(request: Request) -> str:
    return "x"


def _app_with(dependency: Any, database_url: str) -> FastAPI:
    nested = APIRouter(prefix="/v1/nested")

    @nested.get("/thing", dependencies=[Depends(dependency)])
    async def thing() -> dict[str, str]:
        return {}

    outer = APIRouter()
    outer.include_router(nested)
    spec = ServiceSpec(
        name="sample", title="sample", description="test", service_dir=SERVICE_DIR, routers=[outer]
    )
    return create_service_app(spec, ServiceSettings(service_name="sample", database_url=database_url))


def test_a_plain_function_as_a_dependency_is_refused_when_the_app_is_built(database_url: str) -> None:
    """FastAPI runs a plain dependency in a worker thread on every request (issue 19: it cost a
    tenth of intake's step CPU); the factory names it, even inside a nested router."""
    with pytest.raises(TypeError, match="_plain_setting"):
        _app_with(_plain_setting, database_url)
    assert sync_handlers(_app_with(_async_setting, database_url).router.routes) == []
