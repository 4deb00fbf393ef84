"""Fixtures: RSA keys and tokens, real upstream services (uvicorn in threads), a real gateway."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from gateway import Gateway, GatewaySettings

from .upstreams import (
    ThreadedServer,
    catalog_app,
    echo_app,
    free_port,
    identity_app,
    intake_app,
    jwks_document,
)

ISSUER = "yiwang-identity"
AUDIENCE = "yiwang"


@pytest.fixture(scope="session")
def signing_key() -> rsa.RSAPrivateKey:
    """The key identity-svc signs with (published in the JWKS as kid k1)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def other_key() -> rsa.RSAPrivateKey:
    """A key nobody published."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def make_token(signing_key: rsa.RSAPrivateKey) -> Callable[..., str]:
    """make_token(sub=..., exp_in=..., key=..., kid=..., **claims) → a compact JWT."""

    def make(
        sub: str = "p-0001",
        *,
        exp_in: float = 600,
        key: Any = None,
        kid: str = "k1",
        algorithm: str = "RS256",
        **claims: Any,
    ) -> str:
        now = int(time.time())
        payload = {
            "sub": sub,
            "kind": "person",
            "roles": [],
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": now,
            "nbf": now,
            "exp": now + int(exp_in),
            **claims,
        }
        return jwt.encode(payload, key or signing_key, algorithm=algorithm, headers={"kid": kid})

    return make


class Upstreams:
    """The six services (evaluation can be stopped and started)."""

    def __init__(self, signing_key: rsa.RSAPrivateKey) -> None:
        self.identity = ThreadedServer(identity_app(jwks_document(("k1", signing_key.public_key()))))
        self.catalog = ThreadedServer(catalog_app())
        self.intake = ThreadedServer(intake_app())
        self.hotline = ThreadedServer(echo_app("hotline"))
        self.evaluation = ThreadedServer(echo_app("evaluation"))
        self.licence = ThreadedServer(echo_app("licence"))
        self.all = [self.identity, self.catalog, self.intake, self.hotline, self.evaluation, self.licence]

    def urls(self) -> dict[str, str]:
        """GATEWAY_*_URL settings for these servers."""
        return {
            "identity_url": self.identity.url,
            "catalog_url": self.catalog.url,
            "intake_url": self.intake.url,
            "hotline_url": self.hotline.url,
            "evaluation_url": self.evaluation.url,
            "licence_url": self.licence.url,
            "jwks_url": self.identity.url + "/v1/auth/jwks",
        }


@pytest.fixture(scope="session")
def upstreams(signing_key: rsa.RSAPrivateKey) -> Iterator[Upstreams]:
    """All six services, running for the session."""
    ups = Upstreams(signing_key)
    for server in ups.all:
        server.start()
    yield ups
    for server in ups.all:
        server.stop()


@pytest.fixture(scope="session")
def settings_for(upstreams: Upstreams) -> Callable[..., GatewaySettings]:
    """settings_for(**overrides) → gateway settings pointing at the test services, port 0."""

    def build(**overrides: Any) -> GatewaySettings:
        values: dict[str, Any] = {
            **upstreams.urls(),
            "port": 0,
            "log_json": False,
            "upstream_timeout_seconds": 5.0,
            "readiness_timeout_seconds": 1.0,
            "openapi_cache_seconds": 0,
            "web_dir": "none",  # the checkout's web/dist, if built, is not what these tests are about
        }
        values.update(overrides)
        return GatewaySettings(**values)

    return build


class Running:
    """A started gateway and an HTTP client for it."""

    def __init__(self, gateway: Gateway, client: httpx.AsyncClient) -> None:
        self.gateway = gateway
        self.client = client

    @property
    def url(self) -> str:
        """Base URL of the gateway."""
        return f"http://127.0.0.1:{self.gateway.port}"


@pytest.fixture(scope="session")
async def start_gateway(settings_for: Callable[..., GatewaySettings]) -> AsyncIterator[Callable[..., Any]]:
    """start_gateway(**overrides) → a Running gateway (stopped at session end)."""
    started: list[Running] = []

    async def start(**overrides: Any) -> Running:
        gw = Gateway(settings_for(**overrides))
        await gw.start()
        client = httpx.AsyncClient(base_url=f"http://127.0.0.1:{gw.port}", timeout=20)
        running = Running(gw, client)
        started.append(running)
        return running

    yield start
    for running in started:
        await running.client.aclose()
        await running.gateway.stop(grace=1)


@pytest.fixture(scope="session")
async def gw(start_gateway: Callable[..., Any]) -> Running:
    """The default gateway (rate limit out of the way)."""
    return await start_gateway(rate_limit_per_second=100_000, rate_limit_burst=100_000)


@pytest.fixture
def unused_port() -> int:
    """A free port with nothing listening."""
    return free_port()
