"""identity-svc test fixtures: the app on a fresh database (SQLite, and PostgreSQL when
TEST_POSTGRES_URL is set) with the session's real NATS. The app verifies its own tokens: no test
verifier is installed."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from support import Actor, make_admin

from identity.config import Settings
from identity.main import create_app
from yiwang_shared.testing.app import running_app
from yiwang_shared.testing.nats import NatsServer

#: Cheap argon2 so the suite stays fast; production defaults are tested for sanity elsewhere.
FAST_HASHING = {"argon2_time_cost": 1, "argon2_memory_cost_kib": 8, "argon2_parallelism": 1}


@pytest.fixture(scope="session")
def signing_pem() -> str:
    """One RSA key for the session, given to the app as its initial key (saves a keygen per test)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


@pytest.fixture
def make_settings(database_url: str, nats_server: NatsServer, signing_pem: str) -> Callable[..., Settings]:
    """Settings for this test's database and NATS, with any field overridden."""

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "database_url": database_url,
            "nats_url": nats_server.url,
            "outbox_poll_seconds": 0.2,
            "signing_key_pem": signing_pem,
            # The birthday pass runs when a test asks (services.birthdays), not in the background.
            "birthday_pass_seconds": 0,
            **FAST_HASHING,
        }
        values.update(overrides)
        return Settings(**values)

    return make


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    """Default test settings."""
    return make_settings()


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """identity-svc, migrated, connected to NATS."""
    async with running_app(create_app(settings)) as c:
        yield c


@pytest.fixture
async def admin(client: httpx.AsyncClient, settings: Settings) -> Actor:
    """A logged-in administrator (created with the bootstrap command's function)."""
    return await make_admin(client, settings)
