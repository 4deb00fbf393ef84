"""hotline-svc application."""

from pathlib import Path

from fastapi import FastAPI

from yiwang_shared.app import ServiceSpec, create_service_app

from .api import router
from .config import Settings

SERVICE_DIR = Path(__file__).resolve().parents[2]


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build hotline-svc."""
    return create_service_app(
        ServiceSpec(
            name="hotline",
            title="hotline-svc",
            description="The citizen hotline (接诉即办): tickets, knowledge base, dispatch, Open311.",
            service_dir=SERVICE_DIR,
            routers=[router],
        ),
        settings or Settings(),
    )
