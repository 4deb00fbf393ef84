"""Queries that read the published catalogue: filtered lists, the rows of a search page, exports."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Protocol

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import BasicItem, Item, ItemVersion


class ItemFilterValues(Protocol):
    """The list and search filters' values; None means "any"."""

    @property
    def item_type(self) -> str | None: ...
    @property
    def level(self) -> int | None: ...
    @property
    def unit(self) -> str | None: ...
    @property
    def service_object(self) -> str | None: ...
    @property
    def online_depth(self) -> str | None: ...
    @property
    def zero_visit(self) -> bool | None: ...
    @property
    def theme(self) -> str | None: ...
    @property
    def community_kind(self) -> str | None: ...


def _filtered(stmt: Select[Any], f: ItemFilterValues) -> Select[Any]:
    """Restrict a select over `items` by the filters."""
    if f.item_type:
        stmt = stmt.where(Item.item_type == f.item_type)
    if f.level is not None:
        stmt = stmt.where(Item.level == f.level)
    if f.unit:
        stmt = stmt.where(Item.owner_unit_code == f.unit)
    if f.service_object:
        stmt = stmt.where(Item.service_objects_tags.contains(f"|{f.service_object}|"))
    if f.online_depth:
        stmt = stmt.where(Item.online_depth == f.online_depth)
    if f.zero_visit is True:
        stmt = stmt.where(Item.visits == 0)
    elif f.zero_visit is False:
        stmt = stmt.where((Item.visits.is_(None)) | (Item.visits > 0))
    if f.theme:
        stmt = stmt.where(Item.themes_tags.contains(f"|{f.theme}|"))
    if f.community_kind:
        stmt = stmt.where(Item.community_kind == f.community_kind)
    return stmt


#: An item summary's fields and their columns: a page's rows in one Core query.
_LATEST_VERSION = (
    select(func.max(ItemVersion.version_no))
    .where(ItemVersion.item_id == Item.id)
    .correlate(Item)
    .scalar_subquery()
)
SUMMARY_COLUMNS: dict[str, Any] = {
    "id": Item.id,
    "code": Item.code,
    "basic_code": BasicItem.basic_code,
    "name": Item.name,
    "item_type": Item.item_type,
    "level": Item.level,
    "owner_unit_code": Item.owner_unit_code,
    "owner_unit_name": Item.owner_unit_name,
    "status": Item.status,
    "current_version_no": Item.current_version_no,
    "latest_version_no": _LATEST_VERSION,
    "online_depth": Item.online_depth,
    "visits": Item.visits,
    "community_kind": Item.community_kind,
    "published_at": Item.published_at,
    "created_at": Item.created_at,
    "updated_at": Item.updated_at,
}


class CatalogueRepository:
    """The published catalogue in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def published_page(
        self, filters: ItemFilterValues, *, limit: int, offset: int
    ) -> tuple[list[Item], int]:
        """A page of the published items passing the filters, by code, and how many there are."""
        base = _filtered(select(Item).where(Item.status == "published"), filters)
        total = int(await self.session.scalar(select(func.count()).select_from(base.subquery())) or 0)
        rows = await self.session.execute(base.order_by(Item.code).limit(limit).offset(offset))
        return list(rows.scalars()), total

    async def basic_codes(self, basic_item_ids: Collection[str]) -> dict[str, str]:
        """Basic entry id → its basic code."""
        rows = await self.session.execute(
            select(BasicItem.id, BasicItem.basic_code).where(BasicItem.id.in_(basic_item_ids))
        )
        return {basic_id: code for basic_id, code in rows.all()}

    async def latest_version_nos(self, item_ids: list[str]) -> dict[str, int]:
        """Item id → its highest version number (items with versions only)."""
        rows = await self.session.execute(
            select(ItemVersion.item_id, func.max(ItemVersion.version_no))
            .where(ItemVersion.item_id.in_(item_ids))
            .group_by(ItemVersion.item_id)
        )
        return {item_id: number for item_id, number in rows.all()}

    async def summaries(self, item_ids: list[str]) -> dict[str, dict[str, Any]]:
        """Item id → its summary's values (SUMMARY_COLUMNS), in one query without ORM objects."""
        rows = await self.session.execute(
            select(*SUMMARY_COLUMNS.values())
            .join(BasicItem, BasicItem.id == Item.basic_item_id)
            .where(Item.id.in_(item_ids))
        )
        return {row[0]: dict(zip(SUMMARY_COLUMNS, row, strict=True)) for row in rows.all()}

    async def published_with_elements(
        self, *, limit: int | None = None, offset: int = 0
    ) -> list[tuple[Item, dict[str, Any]]]:
        """Published items with the elements of their version in force, by unit and code: every
        one, or the `limit` after `offset`."""
        stmt = (
            select(Item, ItemVersion.elements)
            .join(
                ItemVersion,
                (ItemVersion.item_id == Item.id) & (ItemVersion.version_no == Item.current_version_no),
            )
            .where(Item.status == "published")
            .order_by(Item.owner_unit_code, Item.code)
        )
        if limit is not None:
            stmt = stmt.limit(limit).offset(offset)
        rows = await self.session.execute(stmt)
        return [(item, elements) for item, elements in rows.all()]

    async def count_published(self) -> int:
        """How many items are published."""
        return int(await self.session.scalar(select(func.count()).where(Item.status == "published")) or 0)
