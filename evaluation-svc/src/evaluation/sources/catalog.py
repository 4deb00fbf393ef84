"""catalog-svc's `catalog.item.published.v1` → the `catalog_items` read model (item names).

Only this module knows catalog's field names (see catalog-svc/events/*.schema.json). Reports and
indicators name items from this read model; an item the catalogue has not (yet) published here
keeps the name its intake events carried (a row with version 0, replaced by any publication).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.orm import as_utc, utcnow

from ..models import CatalogItem
from . import PayloadRejected

ITEM_PUBLISHED = "catalog.item.published.v1"

#: version_no of a row named by an intake event only; any catalogue version (≥ 1) replaces it.
INTAKE_VERSION = 0


class _Unit(BaseModel):
    model_config = ConfigDict(extra="ignore")

    code: str
    name: str | None = None


class _Elements(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str
    implementing_unit: _Unit | None = None


class ItemPublished(BaseModel):
    """The fields evaluation uses."""

    model_config = ConfigDict(extra="ignore")

    item_code: str
    version_no: int
    published_at: datetime
    owner_unit: _Unit | None = None
    elements: _Elements


def parse_published(data: dict[str, Any]) -> ItemPublished:
    """Validate a `catalog.item.published.v1` payload (a department must be named somewhere)."""
    try:
        item = ItemPublished.model_validate(data)
    except ValidationError as exc:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) + f" ({e['msg']})" for e in exc.errors())
        raise PayloadRejected(f"ItemPublished: unusable fields: {fields}") from exc
    if item.owner_unit is None and item.elements.implementing_unit is None:
        raise PayloadRejected("ItemPublished: neither owner_unit nor elements.implementing_unit names a unit")
    return item


async def upsert_item(session: AsyncSession, data: dict[str, Any]) -> None:
    """Keep the newest published version's name and department; an older one never wins."""
    item = parse_published(data)
    unit = item.owner_unit or item.elements.implementing_unit
    assert unit is not None
    row = await session.get(CatalogItem, item.item_code)
    if row is None:
        session.add(
            CatalogItem(
                code=item.item_code,
                name=item.elements.name,
                department_code=unit.code,
                department_name=unit.name,
                version_no=item.version_no,
                published_at=as_utc(item.published_at),
            )
        )
        return
    if item.version_no < row.version_no:
        return
    row.name = item.elements.name
    row.department_code = unit.code
    row.department_name = unit.name
    row.version_no = item.version_no
    row.published_at = as_utc(item.published_at)


async def name_from_intake(session: AsyncSession, code: str, name: str | None, unit_code: str) -> str | None:
    """The item's name for a service: the catalogue's, else intake's (kept as the fallback, version 0)."""
    row = await session.get(CatalogItem, code)
    if row is None:
        if name:
            session.add(
                CatalogItem(
                    code=code,
                    name=name,
                    department_code=unit_code,
                    department_name=None,
                    version_no=INTAKE_VERSION,
                    published_at=utcnow(),
                )
            )
        return name
    if row.version_no == INTAKE_VERSION and name and row.name != name:
        row.name = name
    return row.name


async def item_name(session: AsyncSession, code: str) -> str | None:
    """One item's name (the catalogue's, else the one intake gave), if known."""
    row = await session.get(CatalogItem, code)
    return row.name if row is not None else None


async def item_names(session: AsyncSession, codes: list[str]) -> dict[str, str]:
    """Names of items (the catalogue's, else the one intake gave)."""
    if not codes:
        return {}
    found = await session.execute(
        select(CatalogItem.code, CatalogItem.name).where(CatalogItem.code.in_(codes))
    )
    return {code: name for code, name in found.all()}


async def items_of_department(session: AsyncSession, unit_code: str) -> list[str]:
    """Item codes a department answers for."""
    rows = await session.execute(
        select(CatalogItem.code).where(CatalogItem.department_code == unit_code).order_by(CatalogItem.code)
    )
    return list(rows.scalars())
