"""hotline-svc application."""

import asyncio
from typing import Any

from fastapi import FastAPI

from yiwang_shared.app import ServiceSpec, create_service_app
from yiwang_shared.calendar_sync import calendar_consumer
from yiwang_shared.metrics import refreshed_gauges

from .api import routers
from .api.open311_doc import SECURITY_SCHEMES, document_open311
from .config import SERVICE_DIR, Settings
from .consumers import consumers
from .services import metrics
from .services.scan import scan_task
from .services.search import warm_up
from .services.topic_scan import topic_task

__all__ = ["SERVICE_DIR", "create_app"]


async def _load_segmenter(_: FastAPI) -> None:
    # jieba's dictionary takes ~0.5 s to load: pay it at start-up, not on the first search.
    await asyncio.to_thread(warm_up)


async def start_scanner(app: FastAPI) -> None:
    """Start the periodic scan and the hot-topic pass (a start-up hook)."""
    app.state.scanner = scan_task(app.state.db, app.state.settings)
    app.state.scanner.start()
    app.state.topic_task = topic_task(app.state.db, app.state.settings)
    app.state.topic_task.start()


async def stop_scanner(app: FastAPI) -> None:
    """Stop the periodic scan and the hot-topic pass (a shutdown hook)."""
    for name in ("scanner", "topic_task"):
        task = getattr(app.state, name, None)
        if task is not None:
            await task.stop()


async def _refresh_metrics(app: FastAPI) -> None:
    await metrics.refresh(app.state.db)


start_metrics, stop_metrics = refreshed_gauges("hotline_overdue", _refresh_metrics)


def _with_open311(app: FastAPI) -> None:
    # The shared document gives every 4xx the Problem schema; Open311 answers its own format.
    shared = app.openapi
    done = False

    def openapi() -> dict[str, Any]:
        nonlocal done
        doc = shared()
        if not done:
            document_open311(doc)
            done = True
        return doc

    app.openapi = openapi  # type: ignore[method-assign]


#: The API document's tags, described (front-end teams read them in the merged document).
TAGS = [
    {
        "name": "tickets",
        "description": "12345 work orders (工单): intake, dispatch, handling, call-back, merge.",
    },
    {
        "name": "rules",
        "description": "Categories, the dispatch catalogue (派单目录) and time-limit rules.",
    },
    {
        "name": "escalations",
        "description": "Reminders and escalations (催办/督办) of tickets running late, and the work lists.",
    },
    {
        "name": "indicators",
        "description": "Response and resolution rates (响应率、解决率) by unit and month.",
    },
    {
        "name": "topics",
        "description": "Hot topics (热点问题): tickets grouped by topic and place, rising-topic alerts.",
    },
    {
        "name": "knowledge base",
        "description": "The hotline's knowledge base (知识库): answers, their versions and review.",
    },
    {
        "name": "open311",
        "description": "Open311 GeoReport v2 for third-party apps: services, requests, keys.",
    },
]


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build hotline-svc."""
    settings = settings or Settings()
    app = create_service_app(
        ServiceSpec(
            name="hotline",
            tags=TAGS,
            title="hotline-svc",
            description="The citizen hotline (接诉即办): tickets, knowledge base, dispatch, Open311.",
            service_dir=SERVICE_DIR,
            routers=routers,
            consumers=[*consumers(settings), calendar_consumer("hotline")],  # identity's calendar edits
            startup=[_load_segmenter, start_scanner, start_metrics],
            shutdown=[stop_metrics, stop_scanner],
            security_schemes=SECURITY_SCHEMES,
        ),
        settings,
    )
    _with_open311(app)
    return app
