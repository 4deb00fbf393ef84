"""Run a service app in-process for API tests, with its lifespan (migrations, NATS, relay)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from ..auth import TokenVerifier


@asynccontextmanager
async def running_app(
    app: FastAPI, *, verifier: TokenVerifier | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """Start `app`'s lifespan and yield a client talking to it over ASGI."""
    async with app.router.lifespan_context(app):
        if verifier is not None:
            app.state.token_verifier = verifier
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client
