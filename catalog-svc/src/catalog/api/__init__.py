"""catalog-svc routers."""

from fastapi import APIRouter

from .catalogue import basic_router, bundles_router, export_router, reports_router
from .imports import router as imports_router
from .items import router as items_router
from .items import work_router as item_versions_router

routers: list[APIRouter] = [
    items_router,
    item_versions_router,
    imports_router,
    basic_router,
    reports_router,
    bundles_router,
    export_router,
]
