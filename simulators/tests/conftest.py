"""The simulators in this process, served by uvicorn on free ports over real HTTP, and a client
that signs its requests with the simulators' own implementation of the wire format."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from simulators.common import signing
from simulators.logistics.app import create_app as logistics_app
from simulators.logistics.settings import LogisticsSettings
from simulators.payment.app import create_app as payment_app
from simulators.payment.settings import PaymentSettings

MERCHANTS = {"m1": "secret-one", "m2": "secret-two"}


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.asynccontextmanager
async def serving(app: FastAPI, port: int) -> AsyncIterator[str]:
    """Serve the app on 127.0.0.1:port (its lifespan run) until the block ends; its base URL."""
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("uvicorn stopped before it started")
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


def payment_settings(db: Path, port: int, **overrides: Any) -> PaymentSettings:
    """Settings for a payment simulator on a port and file of the test's own, quick retries."""
    values: dict[str, Any] = {
        "name": "payment-simulator",
        "port": port,
        "db_path": db,
        "public_url": f"http://127.0.0.1:{port}",
        "merchants": dict(MERCHANTS),
        "retry_base_seconds": 0.1,
        "retry_max_seconds": 0.5,
        "poll_seconds": 0.05,
    }
    return PaymentSettings(**{**values, **overrides})


def logistics_settings(db: Path, port: int, **overrides: Any) -> LogisticsSettings:
    """Settings for a logistics simulator; events only when a test advances them, unless it says."""
    values: dict[str, Any] = {
        "name": "logistics-simulator",
        "port": port,
        "db_path": db,
        "public_url": f"http://127.0.0.1:{port}",
        "merchants": dict(MERCHANTS),
        "retry_base_seconds": 0.1,
        "retry_max_seconds": 0.5,
        "poll_seconds": 0.05,
        "step_seconds": 3600.0,
    }
    return LogisticsSettings(**{**values, **overrides})


class Signed:
    """An HTTP client that signs each request as one merchant (README.md, "Signatures")."""

    def __init__(self, http: httpx.AsyncClient, base_url: str, merchant_id: str = "m1") -> None:
        self.http, self.base_url, self.merchant_id = http, base_url, merchant_id
        self.secret = MERCHANTS.get(merchant_id, "unknown")

    async def request(self, method: str, target: str, body: bytes = b"", **headers: str) -> httpx.Response:
        """Send `target` (path and query, encoded) with a fresh signature unless headers give one."""
        auth = signing.authorization(self.merchant_id, self.secret, method, target, body)
        sent = {"Authorization": auth, "Content-Type": "application/json", **headers}
        return await self.http.request(method, self.base_url + target, content=body, headers=sent)

    async def post(self, target: str, data: dict[str, Any]) -> httpx.Response:
        """POST a JSON body."""
        return await self.request("POST", target, json.dumps(data, ensure_ascii=False).encode())

    async def get(self, target: str) -> httpx.Response:
        """GET."""
        return await self.request("GET", target)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as client:
        yield client


@pytest.fixture
async def payment(tmp_path: Path) -> AsyncIterator[str]:
    """A payment simulator's base URL."""
    port = free_port()
    async with serving(payment_app(payment_settings(tmp_path / "payment.db", port)), port) as url:
        yield url


@pytest.fixture
async def logistics(tmp_path: Path) -> AsyncIterator[str]:
    """A logistics simulator's base URL (its clock too slow to move during a test)."""
    port = free_port()
    async with serving(logistics_app(logistics_settings(tmp_path / "logistics.db", port)), port) as url:
        yield url
