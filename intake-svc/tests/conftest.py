"""intake-svc test fixtures: the app on a fresh database and the session's real NATS."""

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from intake_support import Clock, Env

from intake.config import Settings
from intake.main import create_app
from yiwang_shared.testing.app import running_app
from yiwang_shared.testing.nats import NatsServer
from yiwang_shared.testing.tokens import TestTokens


@pytest.fixture(scope="session")
def tokens() -> TestTokens:
    """Signs access tokens the app accepts."""
    return TestTokens()


@pytest.fixture
async def client(
    database_url: str, nats_server: NatsServer, tokens: TestTokens
) -> AsyncIterator[httpx.AsyncClient]:
    """intake-svc, migrated, connected to NATS."""
    settings = Settings(database_url=database_url, nats_url=nats_server.url, outbox_poll_seconds=0.2)
    async with running_app(create_app(settings), verifier=tokens.verifier()) as c:
        yield c


@pytest.fixture
async def env(
    database_url: str, nats_server: NatsServer, tokens: TestTokens, tmp_path: Path
) -> AsyncIterator[Env]:
    """intake-svc with a settable clock (2026-09-21 10:00 Beijing), org units and one item."""
    settings = Settings(
        database_url=database_url,
        nats_url=nats_server.url,
        outbox_poll_seconds=0.2,
        supervision_scan_seconds=0,
        storage_dir=str(tmp_path / "files"),
    )
    app = create_app(settings)
    clock = Clock()
    app.state.clock = clock
    async with running_app(app, verifier=tokens.verifier()) as c:
        e = Env(app, c, tokens, clock)
        await e.seed()
        yield e
