"""licence-svc starts, migrates and answers health checks; an unknown path is a problem document."""

import httpx
from fastapi import FastAPI

from yiwang_shared.testing.health import assert_healthy, assert_unknown_path_is_a_problem


async def test_healthz_and_readyz(client: httpx.AsyncClient) -> None:
    await assert_healthy(client, "licence")


async def test_unknown_path_is_a_problem(client: httpx.AsyncClient) -> None:
    await assert_unknown_path_is_a_problem(client)


async def test_durable_consumers(app: FastAPI, client: httpx.AsyncClient) -> None:
    """Published items, registered persons, identity's units and calendar, completed and revoked
    applications."""
    names = {c.name for c in app.state.consumers.consumers}
    assert names == {
        "licence__item_published",
        "licence__user_registered",
        "licence__org_unit_changed",
        "licence__application_completed",
        "licence__application_revoked",
        "licence__calendar_changed",
    }
