"""End-to-end fixtures: the whole platform as real processes, reached through the gateway.

One platform per database backend (SQLite, and PostgreSQL when TEST_POSTGRES_URL is set), on free
ports, with a nats-server of its own that tests may crash and restart.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))

from devstack import SERVICES, Platform, free_port  # noqa: E402

from yiwang_shared.testing.databases import (  # noqa: E402
    create_postgres_database,
    drop_postgres_database,
)
from yiwang_shared.testing.nats import NatsServer  # noqa: E402

#: Short access tokens so the expiry test need not wait long; other tests log in right before use.
ACCESS_TTL_SECONDS = 6


@pytest.fixture(scope="session")
def e2e_nats() -> Iterator[NatsServer]:
    """The platform's own nats-server (restartable on the same port and data)."""
    server = NatsServer()
    server.start()
    yield server
    server.cleanup()


@pytest.fixture(scope="session")
async def platform(
    db_backend: str, e2e_nats: NatsServer, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Platform]:
    """Every service and the gateway, started as processes."""
    var_dir = tmp_path_factory.mktemp(f"platform-{db_backend}")
    urls: dict[str, str] = {}
    if db_backend == "postgres":
        for svc in SERVICES:
            urls[svc.name] = await create_postgres_database(f"yiwang_e2e_{svc.name}")
    plat = Platform(
        var_dir=var_dir,
        nats_url=e2e_nats.url,
        gateway_port=free_port(),
        ports={svc.name: free_port() for svc in SERVICES},
        database_urls=urls,
        # The payment and logistics providers' simulators, as `make run` has them (issue 20 §6).
        simulators=True,
        simulator_ports={"payment": free_port(), "logistics": free_port()},
        extra_env={
            "IDENTITY_ACCESS_TOKEN_TTL_SECONDS": str(ACCESS_TTL_SECONDS),
            "IDENTITY_ARGON2_TIME_COST": "1",
            "IDENTITY_ARGON2_MEMORY_COST_KIB": "8192",
            "IDENTITY_ARGON2_PARALLELISM": "1",
            "IDENTITY_LOCKOUT_BASE_DELAY_SECONDS": "30",
            "GATEWAY_RATE_LIMIT_PER_SECOND": "1000",
            "GATEWAY_RATE_LIMIT_BURST": "2000",
        },
    )
    try:
        # Demo accounts (admin, catalogue editor, citizens) and the demo catalogue, loaded the way
        # `make run` loads them, so flows can act as real staff.
        plat.load_demo()
        plat.start()
        yield plat
    finally:
        plat.stop()
        for url in urls.values():
            await drop_postgres_database(url)


@pytest.fixture
async def gw(platform: Platform) -> AsyncIterator[httpx.AsyncClient]:
    """A client for the gateway."""
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=15) as client:
        yield client
