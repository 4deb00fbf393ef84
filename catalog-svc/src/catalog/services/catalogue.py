"""Reading the catalogue: list/search published items, guides' metadata, the quality report rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from .. import errors
from ..models import Item
from ..repositories.basic_items import BasicItemRepository
from ..repositories.catalogue import CatalogueRepository
from ..schemas.basic_items import BasicItemDetailRead, BasicItemImplementationRead, BasicItemRead
from ..schemas.elements import ItemElements
from ..schemas.items import ItemHitRead
from . import search
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
        """The filters that are set, for `search.search`."""
        return {k: v for k, v in self.__dict__.items() if v is not None}


async def _hits(
    session: AsyncSession, items: list[Item], scores: dict[str, float] | None
) -> list[ItemHitRead]:
    if not items:
        return []
    repository = CatalogueRepository(session)
    basic = await repository.basic_codes({i.basic_item_id for i in items})
    latest = await repository.latest_version_nos([i.id for i in items])
    return [
        ItemHitRead(
            **item_view(i, basic[i.basic_item_id], int(latest.get(i.id, 0))).model_dump(),
            score=None if scores is None else scores.get(i.id),
        )
        for i in items
    ]


async def _ranked_hits(session: AsyncSession, ranked: list[tuple[str, float]]) -> list[ItemHitRead]:
    """The page's items in rank order with their basic codes and latest version numbers: one
    Core query, no ORM objects."""
    if not ranked:
        return []
    found = await CatalogueRepository(session).summaries([item_id for item_id, _ in ranked])
    hits = []
    for item_id, score in ranked:
        values = found.get(item_id)
        if values is None:  # gone since the index was read (a concurrent retire)
            continue
        values["latest_version_no"] = int(values["latest_version_no"] or 0)
        # model_construct: the values are the database's own, already typed (no ORM objects,
        # no ItemRead → dict → ItemHitRead round trip as before).
        hits.append(ItemHitRead.model_construct(**values, score=float(score)))
    return hits


async def list_items(
    session: AsyncSession, *, q: str | None, filters: ItemFilters, limit: int, offset: int
) -> tuple[list[ItemHitRead], int]:
    """Published items matching the filters; with `q`, ranked by `search.search`."""
    if q:
        ranked, total = await search.search(session, q, filters.as_dict(), limit, offset)
        return await _ranked_hits(session, ranked), int(total)
    items, total = await CatalogueRepository(session).published_page(filters, limit=limit, offset=offset)
    return await _hits(session, items, None), total


async def published_rows(
    session: AsyncSession, *, limit: int | None = None, offset: int = 0
) -> list[tuple[Item, ItemElements]]:
    """Published items with the elements of their version in force, by unit and code: every one,
    or the `limit` after `offset`."""
    rows = await CatalogueRepository(session).published_with_elements(limit=limit, offset=offset)
    return [(item, ItemElements.model_validate(elements)) for item, elements in rows]


async def count_published(session: AsyncSession) -> int:
    """How many items are published."""
    return await CatalogueRepository(session).count_published()


async def list_basic_items(
    session: AsyncSession, *, item_type: str | None, q: str | None, limit: int, offset: int
) -> tuple[list[BasicItemRead], int]:
    """A page of basic entries by code (of one type, whose name contains `q`), and the total."""
    rows, total = await BasicItemRepository(session).page(
        item_type=item_type, name_contains=q, limit=limit, offset=offset
    )
    return [BasicItemRead.model_validate(b) for b in rows], total


async def basic_item_detail(session: AsyncSession, basic_code: str) -> BasicItemDetailRead:
    """A basic entry with its published implementations; 404 when missing."""
    repository = BasicItemRepository(session)
    basic = await repository.find_by_code(basic_code)
    if basic is None:
        raise errors.basic_item_not_found(basic_code)
    return BasicItemDetailRead(
        **BasicItemRead.model_validate(basic).model_dump(),
        implementations=[
            BasicItemImplementationRead(
                code=i.code,
                owner_unit_code=i.owner_unit_code,
                owner_unit_name=i.owner_unit_name,
                level=i.level,  # type: ignore[arg-type]
            )
            for i in await repository.published_implementations(basic.id)
        ],
    )
