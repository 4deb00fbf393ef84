"""The checks every service's `tests/test_health.py` makes: it starts, migrates, answers health
checks and answers an unknown path with a problem document."""

from __future__ import annotations

import httpx


async def assert_healthy(client: httpx.AsyncClient, service: str) -> None:
    """/healthz names the service; /readyz has checked the database and NATS."""
    resp = await client.get("/healthz")
    assert resp.status_code == 200
    assert resp.json()["service"] == service
    resp = await client.get("/readyz")
    assert resp.status_code == 200, resp.text
    assert resp.json()["checks"] == {"database": "ok", "nats": "ok"}


async def assert_unknown_path_is_a_problem(client: httpx.AsyncClient) -> None:
    """An unknown path is a 404 problem document carrying the request id."""
    resp = await client.get("/v1/nothing-here")
    assert resp.status_code == 404
    assert resp.headers["content-type"] == "application/problem+json"
    assert resp.json()["request_id"] == resp.headers["x-request-id"]
