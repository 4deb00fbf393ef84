"""evaluation-svc test fixtures: the app on a fresh database and the session's real NATS."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from evaluation.config import Settings
from evaluation.main import create_app
from yiwang_shared.db import Database
from yiwang_shared.testing.app import running_app
from yiwang_shared.testing.nats import NatsServer
from yiwang_shared.testing.tokens import TestTokens


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """The test's migrated database, without the app (for repository and query-shape tests)."""
    database = Database(database_url)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture(scope="session")
def tokens() -> TestTokens:
    """Signs access tokens the app accepts."""
    return TestTokens()


@pytest.fixture
async def app(database_url: str, nats_server: NatsServer) -> FastAPI:
    """An evaluation-svc app (not started)."""
    settings = Settings(
        database_url=database_url,
        nats_url=nats_server.url,
        outbox_poll_seconds=0.2,
        rating_window_days=30,
        overdue_scan_seconds=3600,
    )
    return create_app(settings)


@pytest.fixture
async def client(app: FastAPI, tokens: TestTokens) -> AsyncIterator[httpx.AsyncClient]:
    """evaluation-svc, migrated, connected to NATS."""
    async with running_app(app, verifier=tokens.verifier()) as c:
        yield c
