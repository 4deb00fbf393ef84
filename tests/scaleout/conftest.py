"""Scale-out fixtures: two processes of every service on shared PostgreSQL databases and one
real NATS JetStream, the gateway in front of the first of each.

The gateway takes one upstream URL per service (GATEWAY_<SVC>_URL), so it cannot spread load;
the tests drive the second replicas directly on their own ports. PostgreSQL only: on SQLite
every process has its own file lock and there is nothing to share, so without TEST_POSTGRES_URL
the whole suite is skipped with the reason.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from devstack import SERVICES, Platform, free_port  # noqa: E402

from yiwang_shared.testing.databases import (  # noqa: E402
    create_postgres_database,
    drop_postgres_database,
    postgres_base_url,
)
from yiwang_shared.testing.nats import NatsServer  # noqa: E402

HERE = Path(__file__).resolve().parent
REPLICAS = 2


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip this suite, with the reason, when no PostgreSQL is configured."""
    if postgres_base_url():
        return
    skip = pytest.mark.skip(
        reason="scale-out needs a shared PostgreSQL: set TEST_POSTGRES_URL "
        "(e.g. postgresql://postgres@127.0.0.1:5432/postgres)"
    )
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def scaleout_nats() -> Iterator[NatsServer]:
    """The cluster's one nats-server with JetStream."""
    server = NatsServer()
    server.start()
    yield server
    server.cleanup()


@pytest.fixture(scope="session")
async def cluster(scaleout_nats: NatsServer, request: pytest.FixtureRequest) -> AsyncIterator[Platform]:
    """Two processes of each service on one PostgreSQL database per service, and the gateway.

    The processes' logs stay in a temp dir (its path is printed) when a test failed.
    """
    var_dir = Path(tempfile.mkdtemp(prefix="yiwang-scaleout-"))
    urls = {svc.name: await create_postgres_database(f"yiwang_so_{svc.name}") for svc in SERVICES}
    plat = Platform(
        var_dir=var_dir,
        nats_url=scaleout_nats.url,
        gateway_port=free_port(),
        ports={svc.name: free_port() for svc in SERVICES},
        database_urls=urls,
        replicas={svc.name: REPLICAS for svc in SERVICES},
        extra_env={
            "IDENTITY_ARGON2_TIME_COST": "1",
            "IDENTITY_ARGON2_MEMORY_COST_KIB": "8192",
            "IDENTITY_ARGON2_PARALLELISM": "1",
            "GATEWAY_RATE_LIMIT_PER_SECOND": "100000",
            "GATEWAY_RATE_LIMIT_BURST": "100000",
            "INTAKE_STORAGE_DIR": str(var_dir / "files"),
            # A few clerks file every application: the per-clerk contact budget must not throttle.
            "IDENTITY_CONTACT_LIMIT_PER_MINUTE": "1000000",
            "IDENTITY_CONTACT_LIMIT_PER_HOUR": "1000000",
            **{f"{svc.prefix}LOG_LEVEL": "WARNING" for svc in SERVICES},
            "GATEWAY_LOG_LEVEL": "WARNING",
        },
    )
    try:
        plat.load_demo()
        plat.start()
        yield plat
    finally:
        plat.stop()
        for url in urls.values():
            await drop_postgres_database(url)
        if request.session.testsfailed:
            print(f"\nscale-out logs kept in {var_dir / 'logs'}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)
