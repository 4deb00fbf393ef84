"""The catalog read model as intake sees it: /v1/catalog-items (public).

Items arrive by catalog.item.published.v1; `schemas.catalog_items` types their elements as far as
intake relies on them, the rest passes through as catalog-svc published it.
"""

from __future__ import annotations

from fastapi import APIRouter

from yiwang_shared.db import SessionDep
from yiwang_shared.pagination import PageQuery

from .. import errors
from ..schemas.catalog_items import (
    CatalogElementsRead,
    CatalogItemPage,
    CatalogItemRead,
    CatalogItemVersionRead,
)
from ..services.catalogue import find_published_item, list_published_page

router = APIRouter(prefix="/v1/catalog-items", tags=["catalog"])


@router.get("", response_model=CatalogItemPage)
async def catalog_items_list(session: SessionDep, page: PageQuery) -> CatalogItemPage:
    """Items in force, as intake's read model has them."""
    rows, total = await list_published_page(session, limit=page.limit, offset=page.offset)
    return CatalogItemPage(
        items=[
            CatalogItemRead(
                code=i.code, name=i.name, owner_unit_code=i.owner_unit_code, version_no=i.current_version_no
            )
            for i in rows
        ],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/{code}", response_model=CatalogItemVersionRead)
async def catalog_items_get(code: str, session: SessionDep) -> CatalogItemVersionRead:
    """The version in force of one item."""
    entry = await find_published_item(session, code)
    if entry is None:
        raise errors.catalog_item_not_found(code)
    return CatalogItemVersionRead(
        code=entry.code,
        name=entry.name,
        owner_unit_code=entry.owner_unit_code,
        version_no=entry.version_no,
        elements=CatalogElementsRead.model_validate(entry.elements),
    )
