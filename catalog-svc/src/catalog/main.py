"""catalog-svc application."""

import asyncio

from fastapi import FastAPI

from yiwang_shared.app import ServiceSpec, create_service_app
from yiwang_shared.calendar_sync import calendar_consumer

from .api import routers
from .config import SERVICE_DIR, Settings
from .consumers import CONSUMERS
from .services.search_index import load_index
from .services.search_text import warm_up

__all__ = ["SERVICE_DIR", "create_app"]

#: The document's sections, in the order a reader meets them.
TAGS = [
    {
        "name": "items",
        "description": "Implementation entries (实施清单): search, versions and review, guides (办事指南).",
    },
    {
        "name": "imports",
        "description": "Bulk import (批量导入) of entries from CSV or XLSX: check, then import; all or none.",
    },
    {"name": "basic-items", "description": "The basic catalogue (基本目录) and its implementations."},
    {"name": "bundles", "description": '"One thing" bundles (一件事): merged materials and one form.'},
    {"name": "reports", "description": "Guide quality (指南质量) and reduction (减材料、减时限) reports."},
    {"name": "export", "description": "The published catalogue for other systems: JSON and CPSV-AP JSON-LD."},
]


async def _load_segmenter(_: FastAPI) -> None:
    # jieba's dictionary takes ~0.5 s to load: pay it at start-up, not on the first search.
    await asyncio.to_thread(warm_up)


async def _load_search_index(app: FastAPI) -> None:
    # Each process ranks from its own in-memory copy of the index (services/search_index): load
    # it now so the first search does not pay for it (a few seconds for 10,000 items).
    await load_index(app.state.db)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build catalog-svc."""
    return create_service_app(
        ServiceSpec(
            name="catalog",
            title="catalog-svc",
            description="The standard service-item catalogue (事项目录): items, versions, guides.",
            service_dir=SERVICE_DIR,
            routers=routers,
            consumers=[*CONSUMERS, calendar_consumer("catalog")],  # identity's calendar edits
            startup=[_load_segmenter, _load_search_index],
            tags=TAGS,
        ),
        settings or Settings(),
    )
