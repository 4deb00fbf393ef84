"""catalog-svc test fixtures: the app on a fresh database and the session's real NATS."""

from collections.abc import AsyncIterator

import httpx
import pytest
from catalog_support import seed_units
from fastapi import FastAPI

from catalog.config import Settings
from catalog.main import create_app
from yiwang_shared.testing.app import running_app
from yiwang_shared.testing.nats import NatsServer
from yiwang_shared.testing.tokens import TestTokens


@pytest.fixture(scope="session")
def tokens() -> TestTokens:
    """Signs access tokens the app accepts."""
    return TestTokens()


@pytest.fixture
async def app(database_url: str, nats_server: NatsServer) -> FastAPI:
    """A catalog-svc app (not started)."""
    settings = Settings(database_url=database_url, nats_url=nats_server.url, outbox_poll_seconds=0.2)
    return create_app(settings)


@pytest.fixture
async def client(app: FastAPI, tokens: TestTokens) -> AsyncIterator[httpx.AsyncClient]:
    """catalog-svc, migrated, connected to NATS."""
    async with running_app(app, verifier=tokens.verifier()) as c:
        yield c


@pytest.fixture
async def cat(app: FastAPI, client: httpx.AsyncClient) -> httpx.AsyncClient:
    """The running service with two departments (区民政局, 区市场监督管理局) in its org read model."""
    await seed_units(app)
    return client
