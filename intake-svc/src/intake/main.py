"""intake-svc application."""

from pathlib import Path

from fastapi import FastAPI

from yiwang_shared.app import ServiceSpec, create_service_app

from .api import routers
from .config import Settings

SERVICE_DIR = Path(__file__).resolve().parents[2]


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build intake-svc."""
    return create_service_app(
        ServiceSpec(
            name="intake",
            title="intake-svc",
            description=(
                "Applications (一窗受理): receipt, completeness check, acceptance, decision, "
                "completion and delivery."
            ),
            service_dir=SERVICE_DIR,
            routers=routers,
        ),
        settings or Settings(),
    )
