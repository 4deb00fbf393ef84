"""intake-svc application."""

from collections.abc import Callable
from datetime import datetime, timedelta

import aiohttp
from fastapi import FastAPI

from yiwang_shared.app import ServiceSpec, create_service_app
from yiwang_shared.calendar_sync import calendar_consumer
from yiwang_shared.metrics import refreshed_gauges
from yiwang_shared.orm import utcnow

from .api import routers
from .clients.identity import identity_client
from .config import SERVICE_DIR, Settings
from .consumers import CONSUMERS
from .services import metrics
from .services.fee_worker import start_providers, stop_providers
from .services.forecast_worker import start_forecasts, stop_forecasts
from .services.notification_workers import start_dispatcher, stop_dispatcher
from .services.proactive_worker import start_proactive, stop_proactive
from .services.storage import LocalDiskStorage
from .services.supervision import supervision_task


async def _start_clients(app: FastAPI) -> None:
    settings: Settings = app.state.settings
    if not hasattr(app.state, "clock"):
        app.state.clock = _clock(settings.clock_offset_seconds)
    if not hasattr(app.state, "identity_client"):
        app.state.identity_client = identity_client()
    if not hasattr(app.state, "file_storage"):
        app.state.file_storage = LocalDiskStorage(settings.resolved_storage_dir())


def _clock(offset_seconds: float) -> Callable[[], datetime]:
    """The service clock: the real time, shifted when a drill asks for it."""
    if not offset_seconds:
        return utcnow
    shift = timedelta(seconds=offset_seconds)
    return lambda: utcnow() + shift


async def _start_supervision(app: FastAPI) -> None:
    app.state.supervision = supervision_task(app.state.db, app.state.settings, lambda: app.state.clock())
    app.state.supervision.start()


async def _refresh_metrics(app: FastAPI) -> None:
    """Set the case gauges as the board colours the cases now."""
    await metrics.refresh(app.state.db, app.state.settings, app.state.clock())


#: Start-up and shutdown hooks of the gauges (after the clock is set up).
start_metrics, stop_metrics = refreshed_gauges("intake_cases", _refresh_metrics)


async def _stop(app: FastAPI) -> None:
    task = getattr(app.state, "supervision", None)
    if task is not None:
        await task.stop()
    client = getattr(app.state, "identity_client", None)
    if isinstance(client, aiohttp.ClientSession):
        await client.close()


#: The API document's tags, described (front-end teams read them in the merged document).
TAGS = [
    {
        "name": "applications",
        "description": "Applications (办件): receipt, completeness, acceptance, decision, delivery, trace.",
    },
    {
        "name": "bundle-applications",
        "description": "一件事: a bundle of items applied for in one submission, split into a case per item.",
    },
    {
        "name": "post-checks",
        "description": "告知承诺 post-checks (事后核查) of cases decided on commitment, and their results.",
    },
    {
        "name": "files",
        "description": "Material files: upload and download by the uploader.",
    },
    {
        "name": "entrustments",
        "description": "Entrusted acceptance agreements (委托受理协议) between units.",
    },
    {
        "name": "supervision",
        "description": "Electronic supervision (电子监察): lights, the board, the queue-wait indicator.",
    },
    {
        "name": "escalations",
        "description": "Reminders and escalations (催办/督办) of cases running late, and the work lists.",
    },
    {
        "name": "catalog",
        "description": "The published catalogue items as intake knows them (read model).",
    },
    {
        "name": "appointments",
        "description": "Service places, their hours and slots, and bookings (预约).",
    },
    {
        "name": "queue",
        "description": "The service hall queue (排队叫号): kiosk, check-in, calling, the screen.",
    },
    {
        "name": "notifications",
        "description": "The SMS outbox (短信通知): messages sent, failed, sent again.",
    },
    {
        "name": "offers",
        "description": "免申即享 (proactive service): offers to residents who became eligible, confirmed "
        "without applying.",
    },
    {
        "name": "fees",
        "description": "Fees (缴费) through the payment provider, reconciliation, and results sent by post.",
    },
    {
        "name": "forecasts",
        "description": "需求预判: applications and hall visits forecast per hall, item and day, with the "
        "error on held-out weeks beside a naive baseline's, and a staffing hint.",
    },
    {
        "name": "fonts",
        "description": "The web font printed notices are set in (Noto Serif SC).",
    },
    {
        "name": "calendar",
        "description": "The working-day calendar (工作日历) deadlines are counted on, read-only here.",
    },
]


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build intake-svc."""
    return create_service_app(
        ServiceSpec(
            name="intake",
            tags=TAGS,
            title="intake-svc",
            description=(
                "Applications (一窗受理): receipt, completeness check, acceptance, decision, "
                "completion and delivery."
            ),
            service_dir=SERVICE_DIR,
            routers=routers,
            consumers=[*CONSUMERS, calendar_consumer("intake")],  # identity's calendar edits
            startup=[
                _start_clients,
                start_dispatcher,
                _start_supervision,
                start_metrics,
                start_providers,
                start_proactive,
                start_forecasts,
            ],
            shutdown=[stop_forecasts, stop_proactive, stop_providers, stop_metrics, _stop, stop_dispatcher],
        ),
        settings or Settings(),
    )
