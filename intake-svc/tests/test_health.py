"""intake-svc starts, migrates and answers health checks."""

import httpx


async def test_healthz(client: httpx.AsyncClient) -> None:
    resp = await client.get("/healthz")
    assert resp.status_code == 200
    assert resp.json()["service"] == "intake"


async def test_readyz_checks_database_and_nats(client: httpx.AsyncClient) -> None:
    resp = await client.get("/readyz")
    assert resp.status_code == 200, resp.text
    assert resp.json()["checks"] == {"database": "ok", "nats": "ok"}


async def test_unknown_path_is_a_problem(client: httpx.AsyncClient) -> None:
    resp = await client.get("/v1/nothing-here")
    assert resp.status_code == 404
    assert resp.headers["content-type"] == "application/problem+json"
    assert resp.json()["request_id"] == resp.headers["x-request-id"]


async def test_openapi_lists_the_intake_routes(client: httpx.AsyncClient) -> None:
    resp = await client.get("/openapi.json")
    assert resp.status_code == 200
    paths = resp.json()["paths"]
    for path in (
        "/v1/applications",
        "/v1/applications/{application_id}/accept",
        "/v1/supervision/cases",
        "/v1/entrustments",
        "/v1/files",
    ):
        assert path in paths, path
    ops = {op["operationId"] for p in paths.values() for op in p.values()}
    assert "applications-submit" in ops
