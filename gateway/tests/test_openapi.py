"""One merged OpenAPI 3.1 document, valid, with prefixed paths, schema names, refs and operation ids."""

from __future__ import annotations

import json
from typing import Any

from openapi_spec_validator import validate

from gateway.openapi import merge_openapi

from .conftest import Running
from .upstreams import ThreadedServer, catalog_app, intake_app


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        out = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        for value in node.values():
            out += _refs(value)
        return out
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def test_merge_two_real_fastapi_apps_with_clashing_schema_names() -> None:
    catalog = catalog_app().openapi()
    intake = intake_app().openapi()
    # Both really define ItemRead (different shapes) and Problem.
    assert "ItemRead" in catalog["components"]["schemas"] and "ItemRead" in intake["components"]["schemas"]
    assert catalog["components"]["schemas"]["ItemRead"] != intake["components"]["schemas"]["ItemRead"]
    for doc in (catalog, intake):
        doc.setdefault("components", {})["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
        doc["security"] = [{"bearer": []}]

    merged = merge_openapi({"catalog": catalog, "intake": intake}, unavailable=["hotline"])
    validate(merged)  # raises if not a valid OpenAPI 3.1 document

    assert merged["openapi"] == "3.1.0"
    assert merged["servers"] == [{"url": "/"}]
    schemas = merged["components"]["schemas"]
    assert "catalog__ItemRead" in schemas and "intake__ItemRead" in schemas
    assert "ItemRead" not in schemas
    assert "Problem" in schemas and "catalog__Problem" not in schemas and "intake__Problem" not in schemas
    assert set(schemas["intake__ItemRead"]["properties"]) == {"application_id", "status"}
    assert set(schemas["catalog__ItemRead"]["properties"]) == {"code", "name"}

    assert "/api/catalog/v1/items/{code}" in merged["paths"]
    assert "/api/intake/v1/applications" in merged["paths"]
    assert "/api/intake/v1/items/{code}" in merged["paths"]
    assert not any(p.startswith("/v1/") for p in merged["paths"])

    refs = _refs(merged)
    assert refs, "expected $refs"
    for ref in refs:
        name = ref.rsplit("/", 1)[1]
        assert name in schemas, ref
    get_catalog = merged["paths"]["/api/catalog/v1/items/{code}"]["get"]
    assert get_catalog["responses"]["200"]["content"]["application/json"]["schema"]["$ref"] == (
        "#/components/schemas/catalog__ItemRead"
    )
    assert get_catalog["responses"]["404"]["content"]["application/json"]["schema"]["$ref"] == (
        "#/components/schemas/Problem"
    )
    post = merged["paths"]["/api/intake/v1/applications"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"] == (
        "#/components/schemas/intake__ApplicationCreate"
    )

    op_ids = [
        op["operationId"]
        for item in merged["paths"].values()
        for method, op in item.items()
        if isinstance(op, dict) and "operationId" in op
    ]
    assert len(op_ids) == len(set(op_ids))
    assert "catalog-items-get" in op_ids and "intake-items-get" in op_ids
    assert "intake-applications-create" in op_ids

    assert {t["name"] for t in merged["tags"]} >= {"items", "applications"}
    assert merged["components"]["securitySchemes"] == {"bearer": {"type": "http", "scheme": "bearer"}}
    assert get_catalog["security"] == [{"bearer": []}]
    assert merged["x-unavailable-services"] == ["hotline"]
    assert {g["name"] for g in merged["x-tagGroups"]} == {"catalog", "intake"}


def test_clashing_security_schemes_are_kept_apart() -> None:
    a = {
        "openapi": "3.1.0",
        "info": {"title": "a", "version": "1"},
        "paths": {
            "/x": {
                "get": {
                    "operationId": "x",
                    "responses": {"200": {"description": "ok"}},
                    "security": [{"key": []}],
                }
            }
        },
        "components": {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-A"}}},
    }
    b = json.loads(json.dumps(a).replace("X-A", "X-B"))
    merged = merge_openapi({"identity": a, "hotline": b})
    validate(merged)
    assert set(merged["components"]["securitySchemes"]) == {"key", "hotline__key"}
    assert merged["paths"]["/api/hotline/x"]["get"]["security"] == [{"hotline__key": []}]
    assert merged["paths"]["/api/identity/x"]["get"]["security"] == [{"key": []}]


def test_open311_paths_keep_their_public_path() -> None:
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "hotline", "version": "1"},
        "paths": {
            "/open311/v2/services.json": {
                "get": {"operationId": "open311-services", "responses": {"200": {"description": "ok"}}}
            },
            "/v1/tickets": {
                "get": {"operationId": "tickets-list", "responses": {"200": {"description": "ok"}}}
            },
        },
    }
    merged = merge_openapi({"hotline": doc})
    validate(merged)
    assert set(merged["paths"]) == {"/open311/v2/services.json", "/api/hotline/v1/tickets"}


async def test_gateway_serves_the_merged_document(gw: Running) -> None:
    r = await gw.client.get("/api/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    validate(doc)
    assert "/api/catalog/v1/items/{code}" in doc["paths"]
    assert "/api/intake/v1/applications" in doc["paths"]
    assert "catalog__ItemRead" in doc["components"]["schemas"]
    assert "intake__ItemRead" in doc["components"]["schemas"]
    assert doc["x-unavailable-services"] == []
    etag = r.headers["etag"]
    r2 = await gw.client.get("/api/openapi.json", headers={"If-None-Match": etag})
    assert r2.status_code == 304


async def test_down_services_are_skipped_and_listed(start_gateway, unused_port: int) -> None:  # type: ignore[no-untyped-def]
    running: Running = await start_gateway(evaluation_url=f"http://127.0.0.1:{unused_port}")
    doc = (await running.client.get("/api/openapi.json")).json()
    validate(doc)
    assert doc["x-unavailable-services"] == ["evaluation"]
    assert "/api/catalog/v1/items/{code}" in doc["paths"]


async def test_document_is_cached_and_fetched_concurrently(start_gateway) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    running: Running = await start_gateway(openapi_cache_seconds=60)
    first, second = await asyncio.gather(
        running.client.get("/api/openapi.json"), running.client.get("/api/openapi.json")
    )
    assert first.headers["etag"] == second.headers["etag"]
    cached = running.gateway._openapi
    await running.client.get("/api/openapi.json")
    assert running.gateway._openapi is cached


async def test_swagger_ui(gw: Running) -> None:
    r = await gw.client.get("/docs")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "/api/openapi.json" in r.text
    # Framed by no one, scripts only its own: no clickjacking, no third-party code.
    assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    if gw.gateway.docs is not None and gw.gateway.docs.vendored:
        js = await gw.client.get("/docs/static/swagger-ui-bundle.js")
        assert js.status_code == 200 and len(js.content) > 100_000
        css = await gw.client.get("/docs/static/swagger-ui.css")
        assert css.status_code == 200


async def test_with_real_servers_named_alike(start_gateway) -> None:  # type: ignore[no-untyped-def]
    # Two more real services, started just for this test, behind a fresh gateway.
    a = ThreadedServer(catalog_app()).start()
    b = ThreadedServer(intake_app()).start()
    try:
        running: Running = await start_gateway(catalog_url=a.url, intake_url=b.url)
        doc = (await running.client.get("/api/openapi.json")).json()
        validate(doc)
        assert {"catalog__ItemRead", "intake__ItemRead", "Problem"} <= set(doc["components"]["schemas"])
    finally:
        a.stop()
        b.stop()


def test_an_operation_marked_internal_is_left_out_of_the_merged_document() -> None:
    doc = catalog_app().openapi()
    [path] = [p for p in doc["paths"] if p.startswith("/v1/items/")]
    doc["components"]["schemas"]["RedeemBody"] = {
        "type": "object",
        "properties": {"ticket": {"type": "string"}},
    }
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/RedeemBody"}}}}
    doc["paths"]["/v1/contact-tickets/redeem"] = {
        "post": {
            **doc["paths"][path]["get"],
            "operationId": "redeem",
            "requestBody": body,
            "x-internal": True,
        }
    }
    doc["paths"][path]["post"] = {**doc["paths"][path]["get"], "operationId": "hidden", "x-internal": True}
    merged = merge_openapi({"catalog": doc})
    validate(merged)
    assert "/api/catalog/v1/contact-tickets/redeem" not in merged["paths"]
    assert set(merged["paths"][f"/api/catalog{path}"]) == {"get"}
    # What only the left-out operation used is gone; what the others use stays.
    schemas = merged["components"]["schemas"]
    assert "catalog__RedeemBody" not in schemas and "catalog__ItemRead" in schemas
