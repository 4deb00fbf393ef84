"""hotline-svc test fixtures: the app on a fresh database and the session's real NATS."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from hotline_support import People, seed_rules, seed_units

from hotline.config import Settings
from hotline.main import create_app
from yiwang_shared.testing.app import running_app
from yiwang_shared.testing.nats import NatsServer
from yiwang_shared.testing.tokens import TestTokens


@pytest.fixture(scope="session")
def tokens() -> TestTokens:
    """Signs access tokens the app accepts."""
    return TestTokens()


@pytest.fixture
def people(tokens: TestTokens) -> People:
    """Tokens for agents, dispatchers, handlers, supervisors and citizens."""
    return People(tokens)


@pytest.fixture
def settings(database_url: str, nats_server: NatsServer) -> Settings:
    """Settings on the fresh database and the session's NATS."""
    return Settings(
        database_url=database_url,
        nats_url=nats_server.url,
        outbox_poll_seconds=0.2,
        scan_seconds=3600,
        topic_scan_seconds=0,  # tests run the hot-topic pass themselves
    )


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    """A hotline-svc app (not started)."""
    return create_app(settings)


@pytest.fixture
async def client(app: FastAPI, tokens: TestTokens) -> AsyncIterator[httpx.AsyncClient]:
    """hotline-svc, migrated, connected to NATS."""
    async with running_app(app, verifier=tokens.verifier()) as c:
        yield c


@pytest.fixture
async def hl(app: FastAPI, client: httpx.AsyncClient) -> httpx.AsyncClient:
    """The running service with the org tree in its read model and a few dispatch rules."""
    await seed_units(app)
    await seed_rules(app)
    return client
