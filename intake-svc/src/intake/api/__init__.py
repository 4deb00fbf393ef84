"""intake-svc routers."""

from fastapi import APIRouter

from yiwang_shared.calendar import calendar_router

from .applications import router as applications_router
from .appointments import router as appointments_router
from .bundle_applications import router as bundle_applications_router
from .catalog_items import router as catalog_items_router
from .entrustments import router as entrustments_router
from .escalations import router as escalations_router
from .fees import router as fees_router
from .files import router as files_router
from .fonts import router as fonts_router
from .forecasts import router as forecasts_router
from .notifications import router as notifications_router
from .offers import router as offers_router
from .post_checks import router as post_checks_router
from .prefill import router as prefill_router
from .queue import router as queue_router
from .supervision import router as supervision_router

routers: list[APIRouter] = [
    applications_router,
    bundle_applications_router,
    post_checks_router,
    offers_router,
    fees_router,
    files_router,
    entrustments_router,
    supervision_router,
    escalations_router,
    catalog_items_router,
    prefill_router,
    appointments_router,
    queue_router,
    forecasts_router,
    notifications_router,
    fonts_router,
    # The working-day calendar deadlines are counted on, read-only: identity-svc edits it.
    calendar_router(),
]
