"""The catalogue read model as intake sees it: /v1/catalogue-items (public)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from yiwang_shared.db import SessionDep
from yiwang_shared.errors import NotFound

from ..catalogue import find_published_item, list_published_items

router = APIRouter(prefix="/v1/catalogue-items", tags=["catalogue"])


class CatalogueItemRead(BaseModel):
    """An item applications can be made against."""

    code: str
    name: str
    owner_unit_code: str
    version_no: int


class CatalogueVersionRead(CatalogueItemRead):
    """The version in force with its elements."""

    elements: dict[str, object]


@router.get("", response_model=list[CatalogueItemRead])
async def catalogue_items_list(session: SessionDep) -> list[CatalogueItemRead]:
    """Items in force, as intake's read model has them."""
    return [
        CatalogueItemRead(
            code=i.code,
            name=i.name,
            owner_unit_code=i.owner_unit_code,
            version_no=i.current_version_no,
        )
        for i in await list_published_items(session)
    ]


@router.get("/{code}", response_model=CatalogueVersionRead)
async def catalogue_items_get(code: str, session: SessionDep) -> CatalogueVersionRead:
    """The version in force of one item."""
    entry = await find_published_item(session, code)
    if entry is None:
        raise NotFound(f"No published item {code} in intake's catalogue.", code="intake.item_not_found")
    return CatalogueVersionRead(
        code=entry.code,
        name=entry.name,
        owner_unit_code=entry.owner_unit_code,
        version_no=entry.version_no,
        elements=entry.elements,
    )
