"""What every simulator's app has: the notifier of its signed callbacks, a background loop on its
clock, the error handlers and /healthz, and its SQLite connection closed at shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

from fastapi import FastAPI

from .errors import install_error_handlers
from .notifier import Notifier
from .settings import SimulatorSettings


def notifier_for(conn: sqlite3.Connection, settings: SimulatorSettings) -> Notifier:
    """The notifier of the simulator's callbacks, with its settings' retries."""
    return Notifier(
        conn,
        settings.merchants,
        retry_base_seconds=settings.retry_base_seconds,
        retry_max_seconds=settings.retry_max_seconds,
        max_attempts=settings.max_attempts,
        poll_seconds=settings.poll_seconds,
    )


def simulator_app(
    title: str,
    conn: sqlite3.Connection,
    notifier: Notifier,
    background: Callable[[], Coroutine[Any, Any, None]],
) -> FastAPI:
    """A simulator's app: the notifier and `background` (its clock) run while it serves."""

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        tasks = [asyncio.create_task(notifier.run()), asyncio.create_task(background())]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            conn.close()

    app = FastAPI(title=title, lifespan=lifespan, docs_url="/docs")
    install_error_handlers(app)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
