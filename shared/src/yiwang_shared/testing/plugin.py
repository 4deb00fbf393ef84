"""pytest plugin (registered by yiwang-shared): real NATS and databases for every service's tests.

Fixtures:
- `nats_server` (session): a real nats-server with JetStream on a free port; `.restart()`, `.kill()`.
- `db_backend` (session, parametrised): "sqlite", and "postgres" when TEST_POSTGRES_URL is set.
- `database_url` (function): a fresh, empty database URL on that backend; dropped afterwards.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from .databases import (
    create_postgres_database,
    drop_postgres_database,
    postgres_base_url,
    sqlite_url,
)
from .nats import NatsServer


def _backends() -> list[str]:
    return ["sqlite", "postgres"] if postgres_base_url() else ["sqlite"]


@pytest.fixture(scope="session")
def nats_server() -> Iterator[NatsServer]:
    """A real nats-server with JetStream for this test session."""
    server = NatsServer()
    server.start()
    yield server
    server.cleanup()


@pytest.fixture(scope="session", params=_backends())
def db_backend(request: pytest.FixtureRequest) -> str:
    """Each database backend under test."""
    return str(request.param)


@pytest.fixture
async def database_url(db_backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh empty database on the backend under test."""
    if db_backend == "sqlite":
        yield sqlite_url(tmp_path)
        return
    url = await create_postgres_database()
    try:
        yield url
    finally:
        await drop_postgres_database(url)
