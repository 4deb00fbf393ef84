"""evaluation-svc application."""

import logging

from fastapi import FastAPI

from yiwang_shared.app import ServiceSpec, create_service_app
from yiwang_shared.calendar import local_date
from yiwang_shared.calendar_sync import calendar_consumer
from yiwang_shared.db import Database
from yiwang_shared.orm import utcnow
from yiwang_shared.periodic import PeriodicTask

from .api import routers
from .config import SERVICE_DIR, Settings
from .consumers import consumers
from .services.cases import flag_overdue
from .services.guide_views import RateLimiter, forget_old_marks
from .services.indicator_reads import ensure_default_rules

__all__ = ["SERVICE_DIR", "create_app"]

log = logging.getLogger("evaluation")


async def overdue_pass(db: Database) -> None:
    """Flag overdue bad-review cases; also forget guide-view marks of past days (only today's are
    needed to deduplicate)."""
    async with db.transaction() as session:
        flagged = await flag_overdue(session)
    if flagged:
        log.info("flagged %d overdue bad-review case(s)", flagged)
    async with db.transaction() as session:
        await forget_old_marks(session, today=local_date(utcnow()))


#: The API document's tags, described (front-end teams read them in the merged document).
TAGS = [
    {
        "name": "ratings",
        "description": "Ratings (好差评): by the person, at the window's rating pad; their flags.",
    },
    {
        "name": "rating-pads",
        "description": "The windows' rating pads (评价器): pairing and retiring devices.",
    },
    {
        "name": "bad-reviews",
        "description": "Bad reviews (差评) and their handling: call-back, rectification, appeal, closing.",
    },
    {
        "name": "indicators",
        "description": "Satisfaction indicators, rankings and monthly reports by unit, item and channel.",
    },
]


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build evaluation-svc."""
    settings = settings or Settings()

    async def start(app: FastAPI) -> None:
        async with app.state.db.transaction() as session:
            await ensure_default_rules(session)
        db = app.state.db
        app.state.overdue_task = PeriodicTask(
            "evaluation-overdue", lambda: overdue_pass(db), seconds=settings.overdue_scan_seconds, log=log
        )
        app.state.overdue_task.start()

    async def stop(app: FastAPI) -> None:
        task = getattr(app.state, "overdue_task", None)
        if task is not None:
            await task.stop()

    app = create_service_app(
        ServiceSpec(
            name="evaluation",
            tags=TAGS,
            title="evaluation-svc",
            description="Ratings (好差评), bad-review handling and performance indicators.",
            service_dir=SERVICE_DIR,
            routers=routers,
            consumers=[*consumers(settings), calendar_consumer("evaluation")],  # identity's calendar
            startup=[start],
            shutdown=[stop],
        ),
        settings,
    )
    app.state.guide_view_limiter = RateLimiter(settings.guide_view_rate_per_minute)
    return app
