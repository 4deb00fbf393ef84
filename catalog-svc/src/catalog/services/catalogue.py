"""Reading the catalogue: list/search published items, guides' metadata, the quality report rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from .. import search
from ..elements import ItemElements
from ..models import BasicItem, Item, ItemVersion
from ..schemas.items import ItemHitRead
from .items import item_view


@dataclass(frozen=True)
class ItemFilters:
    """The list filters (all optional); `unit` is the owner unit code."""

    item_type: str | None = None
    level: int | None = None
    unit: str | None = None
    service_object: str | None = None
    online_depth: str | None = None
    zero_visit: bool | None = None
    theme: str | None = None
    community_kind: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The filters that are set, for catalog.search.search."""
        return {k: v for k, v in self.__dict__.items() if v is not None}


def apply_filters(stmt: Select[Any], f: ItemFilters) -> Select[Any]:
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


async def _hits(
    session: AsyncSession, items: list[Item], scores: dict[str, float] | None
) -> list[ItemHitRead]:
    if not items:
        return []
    basic = dict(
        (
            await session.execute(
                select(BasicItem.id, BasicItem.basic_code).where(
                    BasicItem.id.in_({i.basic_item_id for i in items})
                )
            )
        ).all()
    )
    latest = dict(
        (
            await session.execute(
                select(ItemVersion.item_id, func.max(ItemVersion.version_no))
                .where(ItemVersion.item_id.in_([i.id for i in items]))
                .group_by(ItemVersion.item_id)
            )
        ).all()
    )
    return [
        ItemHitRead(
            **item_view(i, basic[i.basic_item_id], int(latest.get(i.id, 0))).model_dump(),
            score=None if scores is None else scores.get(i.id),
        )
        for i in items
    ]


#: An item summary's (ItemHitRead's) fields and their columns: the page's rows in one Core query.
_LATEST_VERSION = (
    select(func.max(ItemVersion.version_no))
    .where(ItemVersion.item_id == Item.id)
    .correlate(Item)
    .scalar_subquery()
)
_HIT_COLUMNS: dict[str, Any] = {
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


async def _ranked_hits(session: AsyncSession, ranked: list[tuple[str, float]]) -> list[ItemHitRead]:
    """The page's items in rank order with their basic codes and latest version numbers: one
    Core query, no ORM objects."""
    if not ranked:
        return []
    rows = await session.execute(
        select(*_HIT_COLUMNS.values())
        .join(BasicItem, BasicItem.id == Item.basic_item_id)
        .where(Item.id.in_([item_id for item_id, _ in ranked]))
    )
    found = {row[0]: row for row in rows.all()}
    hits = []
    for item_id, score in ranked:
        row = found.get(item_id)
        if row is None:  # gone since the index was read (a concurrent retire)
            continue
        values = dict(zip(_HIT_COLUMNS, row, strict=True))
        values["latest_version_no"] = int(values["latest_version_no"] or 0)
        # model_construct: the values are the database's own, already typed (no ORM objects,
        # no ItemRead → dict → ItemHitRead round trip as before).
        hits.append(ItemHitRead.model_construct(**values, score=float(score)))
    return hits


async def list_items(
    session: AsyncSession, *, q: str | None, filters: ItemFilters, limit: int, offset: int
) -> tuple[list[ItemHitRead], int]:
    """Published items matching the filters; with `q`, ranked by catalog.search."""
    if q:
        ranked, total = await search.search(session, q, filters.as_dict(), limit, offset)
        return await _ranked_hits(session, ranked), int(total)
    base = apply_filters(select(Item).where(Item.status == "published"), filters)
    total = int(await session.scalar(select(func.count()).select_from(base.subquery())) or 0)
    items = list((await session.execute(base.order_by(Item.code).limit(limit).offset(offset))).scalars())
    return await _hits(session, items, None), total


async def published_rows(
    session: AsyncSession, *, limit: int | None = None, offset: int = 0
) -> list[tuple[Item, ItemElements]]:
    """Published items with the elements of their version in force, by unit and code: every one,
    or the `limit` after `offset`."""
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
    rows = await session.execute(stmt)
    return [(item, ItemElements.model_validate(elements)) for item, elements in rows.all()]


async def count_published(session: AsyncSession) -> int:
    """How many items are published."""
    return int(await session.scalar(select(func.count()).where(Item.status == "published")) or 0)
