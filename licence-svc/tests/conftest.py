"""licence-svc test fixtures: the app on a fresh database with the demo licence types, the session's
real NATS, and — for the tests that need them — real identity-svc and intake-svc processes."""

from collections.abc import AsyncIterator

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from fastapi import FastAPI
from licence_support import jwk_thumbprint

from licence.config import Settings
from licence.demo import _types
from licence.main import create_app
from yiwang_shared.testing.app import running_app
from yiwang_shared.testing.databases import sqlite_url
from yiwang_shared.testing.nats import NatsServer
from yiwang_shared.testing.process import free_port, running_service
from yiwang_shared.testing.tokens import TestTokens


@pytest.fixture(scope="session")
def tokens() -> TestTokens:
    """Signs access tokens the app accepts — and identity-svc and intake-svc too (its kid is the
    key's thumbprint, as identity names the key it signs with)."""
    tokens = TestTokens()
    tokens.kid = jwk_thumbprint(tokens.public_key)
    return tokens


@pytest.fixture(scope="session")
async def identity_url(tokens: TestTokens, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """A real identity-svc (`python -m identity`) for the session, signing with the tests' key."""
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
    }
    async with running_service("identity", settings) as base:
        yield base


@pytest.fixture(scope="session")
async def intake_url(identity_url: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """A real intake-svc for the session (no NATS: no application reaches it here), verifying tokens
    with identity's keys."""
    settings = {
        "database_url": sqlite_url(tmp_path_factory.mktemp("intake"), "intake"),
        "nats_enabled": "false",
        "jwks_url": identity_url + "/v1/auth/jwks",
        "identity_url": identity_url,
        "storage_dir": str(tmp_path_factory.mktemp("intake-files")),
    }
    async with running_service("intake", settings) as base:
        yield base


def _settings(database_url: str, nats_server: NatsServer, **kw: str) -> Settings:
    # Nothing listens at the default URLs unless a test gives the real services'.
    urls = {
        "identity_url": f"http://127.0.0.1:{free_port()}",
        "intake_url": f"http://127.0.0.1:{free_port()}",
        **kw,
    }
    return Settings(
        database_url=database_url,
        nats_url=nats_server.url,
        outbox_poll_seconds=0.2,
        expiry_scan_seconds=3600,
        **urls,  # type: ignore[arg-type]
    )


async def _with_types(app: FastAPI) -> None:
    async with app.state.db.transaction() as session:
        await _types(session)


@pytest.fixture
async def app(database_url: str, nats_server: NatsServer) -> FastAPI:
    """A licence-svc app (not started)."""
    return create_app(_settings(database_url, nats_server))


@pytest.fixture
async def client(app: FastAPI, tokens: TestTokens) -> AsyncIterator[httpx.AsyncClient]:
    """licence-svc, migrated, with the demo licence types, connected to NATS."""
    async with running_app(app, verifier=tokens.verifier()) as c:
        await _with_types(app)
        yield c


@pytest.fixture
async def linked(
    database_url: str, nats_server: NatsServer, tokens: TestTokens, identity_url: str, intake_url: str
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """licence-svc asking the session's real identity-svc and intake-svc."""
    app = create_app(_settings(database_url, nats_server, identity_url=identity_url, intake_url=intake_url))
    async with running_app(app, verifier=tokens.verifier()) as c:
        await _with_types(app)
        yield app, c
