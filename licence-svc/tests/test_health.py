"""licence-svc starts, migrates and answers health checks; an unknown path is a problem document."""

import httpx

from yiwang_shared.testing.health import assert_healthy, assert_unknown_path_is_a_problem


async def test_healthz_and_readyz(client: httpx.AsyncClient) -> None:
    await assert_healthy(client, "licence")


async def test_unknown_path_is_a_problem(client: httpx.AsyncClient) -> None:
    await assert_unknown_path_is_a_problem(client)
