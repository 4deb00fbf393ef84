"""Running a simulator: under uvicorn as a process (`python -m simulators.<name>`)."""

from __future__ import annotations

import uvicorn
from fastapi import FastAPI

from .settings import SimulatorSettings


def serve(app: FastAPI, settings: SimulatorSettings) -> None:
    """Serve the app on the settings' host and port until stopped."""
    print(f"{settings.name}: {settings.public_url} (state in {settings.db_path})", flush=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning", access_log=False)
