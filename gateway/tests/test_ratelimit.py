"""Per-client token buckets: 429 with Retry-After, refill, health endpoints not limited."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from gateway.ratelimit import RateLimiter

from .conftest import Running


async def test_over_the_limit_is_429_and_the_bucket_refills(start_gateway) -> None:  # type: ignore[no-untyped-def]
    running: Running = await start_gateway(rate_limit_per_second=4, rate_limit_burst=3)
    statuses = [(await running.client.get("/api/catalog/echo/x")).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    r = await running.client.get("/api/catalog/echo/x")
    assert r.status_code == 429
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "gateway.rate_limited"
    retry = int(r.headers["retry-after"])
    assert retry >= 1
    # Health endpoints are not limited.
    assert (await running.client.get("/healthz")).status_code == 200
    assert (await running.client.get("/metrics")).status_code == 200
    await asyncio.sleep(0.3)  # 4 tokens/s: one is back after 0.25 s
    assert (await running.client.get("/api/catalog/echo/x")).status_code == 200
    assert (await running.client.get("/api/catalog/echo/x")).status_code == 429
    assert running.gateway.metrics.rate_limited == 2


async def test_clients_are_limited_separately_by_subject(
    start_gateway, make_token: Callable[..., str]
) -> None:  # type: ignore[no-untyped-def]
    running: Running = await start_gateway(rate_limit_per_second=1, rate_limit_burst=2)
    alice = {"Authorization": f"Bearer {make_token('alice')}"}
    bob = {"Authorization": f"Bearer {make_token('bob')}"}
    assert [
        (await running.client.get("/api/catalog/echo/x", headers=alice)).status_code for _ in range(3)
    ] == [
        200,
        200,
        429,
    ]
    # Same address, another subject: its own bucket.
    assert (await running.client.get("/api/catalog/echo/x", headers=bob)).status_code == 200
    # Anonymous requests from the address: its own bucket too.
    assert (await running.client.get("/api/catalog/echo/x")).status_code == 200


def test_bucket_arithmetic() -> None:
    limiter = RateLimiter(rate=2, burst=2)
    assert limiter.take("k", now=0.0) == 0
    assert limiter.take("k", now=0.0) == 0
    wait = limiter.take("k", now=0.0)
    assert wait == 0.5
    assert RateLimiter.retry_after(wait) == 1
    assert RateLimiter.retry_after(2.01) == 3
    assert limiter.take("k", now=0.5) == 0  # refilled one
    assert limiter.take("k", now=10.0) == 0  # capped at burst, not 20
    assert limiter.take("k", now=10.0) == 0
    assert limiter.take("k", now=10.0) > 0


def test_disabled_and_bounded() -> None:
    assert RateLimiter(rate=0, burst=1).take("k") == 0
    limiter = RateLimiter(rate=1, burst=5, max_clients=100)
    for i in range(1000):
        limiter.take(f"k{i}", now=float(i) / 1000)
    assert len(limiter) <= 100
