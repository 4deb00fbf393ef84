"""Make the sample service importable (its migrations import it by package name); the fixtures
several test files share."""

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations

from yiwang_shared.db import Database
from yiwang_shared.tables import create_infra_tables_v1
from yiwang_shared.testing.nats import NatsServer

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture
async def fresh_nats() -> AsyncIterator[NatsServer]:
    """A nats-server of this test's own: the test may stop or restart it, and its streams start
    empty."""
    server = NatsServer()
    server.start()
    yield server
    server.cleanup()


@pytest.fixture
async def infra_db(database_url: str) -> AsyncIterator[Database]:
    """A database with only the infrastructure tables (outbox, processed events, calendar)."""
    database = Database(database_url)
    async with database.engine.begin() as conn:
        await conn.run_sync(lambda c: create_infra_tables_v1(Operations(MigrationContext.configure(c))))
    try:
        yield database
    finally:
        await database.dispose()
