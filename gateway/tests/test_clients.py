"""What a front end needs from the gateway: CORS, links with the public prefix, texts in Chinese,
and a merged document whose references resolve."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.openapi import merge_openapi

from .conftest import Running

ORIGIN = "https://portal.example.gov.cn"


@pytest.fixture(scope="module")
async def cors(start_gateway: Any) -> Running:
    return await start_gateway(
        cors_origins=f"{ORIGIN}, http://127.0.0.1:5173",
        rate_limit_per_second=100_000,
        rate_limit_burst=100_000,
    )


async def test_a_preflight_from_an_allowed_origin_succeeds(cors: Running) -> None:
    r = await cors.client.options(
        "/api/intake/echo/applications",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
        },
    )
    assert r.status_code == 204, r.text
    assert r.headers["access-control-allow-origin"] == ORIGIN
    assert "POST" in r.headers["access-control-allow-methods"]
    allowed = {h.strip() for h in r.headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "content-type", "idempotency-key", "accept-language"} <= allowed
    assert r.headers["access-control-max-age"] == "600"


async def test_a_preflight_from_another_origin_is_refused_in_chinese(cors: Running) -> None:
    r = await cors.client.options(
        "/api/intake/echo/applications",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert r.status_code == 403 and r.json()["code"] == "gateway.cors_origin_not_allowed"
    assert "access-control-allow-origin" not in r.headers
    assert "不允许" in r.json()["detail"]
    odd = await cors.client.options(
        "/api/intake/echo/x",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "x-evil",
        },
    )
    assert odd.status_code == 403 and odd.json()["code"] == "gateway.cors_request_not_allowed"


async def test_responses_to_an_allowed_origin_say_so_problems_included(cors: Running) -> None:
    ok = await cors.client.get("/api/hotline/echo/x", headers={"Origin": ORIGIN})
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == ORIGIN
    assert "Location" in ok.headers["access-control-expose-headers"]
    assert ok.headers["vary"] == "Origin"
    refused = await cors.client.get(
        "/api/hotline/echo/x", headers={"Origin": ORIGIN, "Authorization": "Bearer not-a-token"}
    )
    assert refused.status_code == 401 and refused.headers["access-control-allow-origin"] == ORIGIN
    other = await cors.client.get("/api/hotline/echo/x", headers={"Origin": "https://evil.example"})
    assert other.status_code == 200 and "access-control-allow-origin" not in other.headers
    # The next request on the same connection, without an Origin, carries nothing of the last.
    plain = await cors.client.get("/api/hotline/echo/x")
    assert "access-control-allow-origin" not in plain.headers


async def test_no_origin_is_allowed_by_default(gw: Running) -> None:
    r = await gw.client.options(
        "/api/hotline/echo/x", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"}
    )
    assert r.status_code == 403 and "access-control-allow-origin" not in r.headers


def test_bad_cors_origins_are_refused_at_start(settings_for: Any) -> None:
    with pytest.raises(ValueError, match="must look like"):
        settings_for(cors_origins="portal.example.gov.cn/path")


async def test_services_learn_their_public_prefix_and_clients_cannot_forge_it(gw: Running) -> None:
    seen = (await gw.client.get("/api/hotline/echo/x", headers={"X-Forwarded-Prefix": "http://evil"})).json()
    prefixes = [v for k, v in seen["header_list"] if k == "x-forwarded-prefix"]
    assert prefixes == ["/api/hotline"]
    open311 = (await gw.client.get("/open311/v2/services.json", headers={"X-Forwarded-Prefix": "/x"})).json()
    assert not [v for k, v in open311["header_list"] if k == "x-forwarded-prefix"]


async def test_gateway_problems_speak_chinese_unless_asked_otherwise(gw: Running) -> None:
    zh = (await gw.client.get("/api/nosuch/v1/x")).json()
    assert (
        zh["code"] == "gateway.unknown_service" and "网关后没有" in zh["detail"] and zh["title"] == "未找到"
    )
    en = (await gw.client.get("/api/nosuch/v1/x", headers={"Accept-Language": "en-US,en;q=0.9"})).json()
    assert en["code"] == "gateway.unknown_service" and en["detail"].startswith("There is no service")


def _doc(schemas: dict[str, Any], paths: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "x", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def test_merged_discriminator_mappings_follow_the_renamed_schemas() -> None:
    account = {
        "oneOf": [{"$ref": "#/components/schemas/PersonRead"}, {"$ref": "#/components/schemas/StaffRead"}],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {
                "person": "#/components/schemas/PersonRead",
                "staff": "#/components/schemas/StaffRead",
            },
        },
    }
    doc = _doc(
        {"PersonRead": {"type": "object"}, "StaffRead": {"type": "object"}, "MeRead": account},
        {"/v1/me": {"get": {"responses": {"200": {"description": "ok"}}}}},
    )
    merged = merge_openapi({"identity": doc})
    mapping = merged["components"]["schemas"]["identity__MeRead"]["discriminator"]["mapping"]
    assert mapping == {
        "person": "#/components/schemas/identity__PersonRead",
        "staff": "#/components/schemas/identity__StaffRead",
    }
    for ref in mapping.values():
        assert ref.rsplit("/", 1)[1] in merged["components"]["schemas"]


def test_every_merged_operation_lists_what_the_gateway_may_answer() -> None:
    doc = _doc({}, {"/v1/x": {"get": {"responses": {"200": {"description": "ok"}}}}})
    op = merge_openapi({"catalog": doc})["paths"]["/api/catalog/v1/x"]["get"]
    assert set(op["responses"]) == {"200", "429", "502", "503", "504"}
    too_many = op["responses"]["429"]
    assert too_many["content"]["application/problem+json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"
    }
    assert "Retry-After" in too_many["headers"]


def test_schemas_whose_titles_clash_across_services_get_distinct_titles() -> None:
    day = {"title": "CalendarDayRead", "type": "object", "properties": {"day": {"type": "string"}}}
    path = {"/v1/calendar/days": {"get": {"responses": {"200": {"description": "ok"}}}}}
    merged = merge_openapi(
        {"identity": _doc({"CalendarDayRead": day}, path), "intake": _doc({"CalendarDayRead": day}, path)}
    )
    schemas = merged["components"]["schemas"]
    assert schemas["identity__CalendarDayRead"]["title"] == "identity__CalendarDayRead"
    assert schemas["intake__CalendarDayRead"]["title"] == "intake__CalendarDayRead"
    alone = merge_openapi({"identity": _doc({"CalendarDayRead": day}, path)})
    assert alone["components"]["schemas"]["identity__CalendarDayRead"]["title"] == "CalendarDayRead"
