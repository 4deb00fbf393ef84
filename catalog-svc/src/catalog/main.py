"""catalog-svc application."""

from pathlib import Path

from fastapi import FastAPI

from yiwang_shared.app import ServiceSpec, create_service_app

from .api import router
from .config import Settings

SERVICE_DIR = Path(__file__).resolve().parents[2]


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build catalog-svc."""
    return create_service_app(
        ServiceSpec(
            name="catalog",
            title="catalog-svc",
            description="The standard service-item catalogue (事项目录): items, versions, guides.",
            service_dir=SERVICE_DIR,
            routers=[router],
        ),
        settings or Settings(),
    )
