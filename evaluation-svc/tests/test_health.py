"""evaluation-svc starts, migrates and answers health checks."""

import httpx


async def test_healthz(client: httpx.AsyncClient) -> None:
    resp = await client.get("/healthz")
    assert resp.status_code == 200
    assert resp.json()["service"] == "evaluation"


async def test_readyz_checks_database_and_nats(client: httpx.AsyncClient) -> None:
    resp = await client.get("/readyz")
    assert resp.status_code == 200, resp.text
    assert resp.json()["checks"] == {"database": "ok", "nats": "ok"}


async def test_unknown_path_is_a_problem(client: httpx.AsyncClient) -> None:
    resp = await client.get("/v1/nothing-here")
    assert resp.status_code == 404
    assert resp.headers["content-type"] == "application/problem+json"
    assert resp.json()["request_id"] == resp.headers["x-request-id"]


async def test_openapi_documents_the_routes(client: httpx.AsyncClient) -> None:
    doc = (await client.get("/openapi.json")).json()
    ops = {op["operationId"] for path in doc["paths"].values() for op in path.values()}
    assert {
        "ratings-submit",
        "bad-reviews-call-back",
        "indicators-list",
        "reports-monthly",
        "rankings-get",
    } <= ops
