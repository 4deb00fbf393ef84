"""catalog-svc's `catalog.item.published.v1`, which feeds the `catalog_items` read model (item names).

Only this module knows catalog's field names (see catalog-svc/events/*.schema.json); the read model
is kept by `services.read_models`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from . import PayloadRejected

ITEM_PUBLISHED = "catalog.item.published.v1"


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
