"""intake-svc test fixtures: the app on a fresh database, the session's real NATS, and a real
identity-svc (its own process) that intake asks for applicants' names and mobiles."""

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from intake_support import Clock, Directory, Env, jwk_thumbprint
from queue_support import qenv  # noqa: F401  (the queue tests' environment)

from intake.config import Settings
from intake.main import create_app
from yiwang_shared.testing.app import running_app
from yiwang_shared.testing.databases import sqlite_url
from yiwang_shared.testing.nats import NatsServer
from yiwang_shared.testing.process import running_service
from yiwang_shared.testing.tokens import TestTokens

# The daily forecast pass stays off in these tests (test_demand_forecast.py runs it by hand): a pass
# 5 s into a longer test would add its transactions to the ones a test counts.
os.environ.setdefault("INTAKE_FORECAST_PASS_SECONDS", "0")


@pytest.fixture(scope="session")
def tokens() -> TestTokens:
    """Signs access tokens the app accepts — and identity-svc too: its key id is the key's
    thumbprint, as identity names the key it signs with."""
    tokens = TestTokens()
    tokens.kid = jwk_thumbprint(tokens.public_key)
    return tokens


@pytest.fixture(scope="session")
async def identity_url(tokens: TestTokens, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """A real identity-svc (`python -m identity`) for the session, signing with the tests' key.

    It publishes no events here (NATS off): each test seeds intake's read models itself."""
    pem = tokens.private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    settings = {
        "database_url": sqlite_url(tmp_path_factory.mktemp("identity"), "identity"),
        "nats_enabled": "false",
        "signing_key_pem": pem,
        "argon2_time_cost": "1",
        "argon2_memory_cost_kib": "8",
        "argon2_parallelism": "1",
        # Tests read contacts far faster than a clerk serves people.
        "contact_limit_per_minute": "100000",
        "contact_limit_per_hour": "1000000",
        "lookup_limit_per_minute": "100000",
        "lookup_limit_per_hour": "1000000",
    }
    async with running_service("identity", settings) as base:
        jwks = httpx.get(base + "/v1/auth/jwks", timeout=10).json()
        assert [k["kid"] for k in jwks["keys"]] == [tokens.kid], jwks
        yield base


@pytest.fixture(scope="session")
def directory(identity_url: str, tokens: TestTokens) -> Iterator[Directory]:
    """Persons and staff accounts in the session's identity-svc."""
    d = Directory(identity_url, tokens)
    yield d
    d.close()


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
    database_url: str, nats_server: NatsServer, tokens: TestTokens, tmp_path: Path, directory: Directory
) -> AsyncIterator[Env]:
    """intake-svc with a settable clock (2026-09-21 10:00 Beijing), org units and one item,
    asking the session's identity-svc about applicants."""
    settings = Settings(
        database_url=database_url,
        nats_url=nats_server.url,
        outbox_poll_seconds=0.2,
        supervision_scan_seconds=0,
        storage_dir=str(tmp_path / "files"),
        identity_url=directory.base_url,
    )
    app = create_app(settings)
    clock = Clock()
    app.state.clock = clock
    async with running_app(app, verifier=tokens.verifier()) as c:
        e = Env(app, c, tokens, clock, directory)
        await e.seed()
        yield e
