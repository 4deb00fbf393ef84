"""Queries on implementation entries (实施清单): items, their versions and their audit trail."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import BasicItem, Item, ItemChange, ItemVersion


class ItemRepository:
    """Items, versions and item changes in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # ---------------------------------------------------------------------------------- items

    async def find_by_code(self, code: str) -> Item | None:
        """The item with implementation code `code`, or None."""
        return (await self.session.execute(select(Item).where(Item.code == code))).scalar_one_or_none()

    async def find_by_name_and_unit(self, name: str, unit_code: str) -> Item | None:
        """The item named `name` of the implementing unit `unit_code`, or None."""
        query = select(Item).where(Item.name == name, Item.owner_unit_code == unit_code)
        return (await self.session.execute(query)).scalars().first()

    async def active_by_name_and_unit(self, name: str, unit_code: str) -> list[Item]:
        """The items named `name` of the implementing unit `unit_code` that are not retired, by code."""
        query = (
            select(Item)
            .where(Item.name == name, Item.owner_unit_code == unit_code, Item.status != "retired")
            .order_by(Item.code)
        )
        return list((await self.session.execute(query)).scalars())

    async def first_published_code(self, name: str) -> str | None:
        """The code of the first-created published item named `name`, or None."""
        query = (
            select(Item.code).where(Item.name == name, Item.status == "published").order_by(Item.created_at)
        )
        return (await self.session.execute(query)).scalars().first()

    async def count_with_basic(self, basic_item_id: str, *, other_than: str) -> int:
        """How many items other than `other_than` implement the basic entry."""
        query = (
            select(func.count())
            .select_from(Item)
            .where(Item.basic_item_id == basic_item_id, Item.id != other_than)
        )
        return int(await self.session.scalar(query) or 0)

    async def basic_code_of(self, item: Item) -> str:
        """The basic code of an item."""
        return str(
            await self.session.scalar(select(BasicItem.basic_code).where(BasicItem.id == item.basic_item_id))
        )

    async def basic_of(self, item: Item) -> BasicItem:
        """The basic entry of an item."""
        query = select(BasicItem).where(BasicItem.id == item.basic_item_id)
        return (await self.session.execute(query)).scalar_one()

    async def published_peer(
        self, *, basic_item_id: str, level: int, other_than: str | None
    ) -> tuple[dict[str, Any], str] | None:
        """(elements in force, code) of the first-published other published item of the same basic
        entry and level, or None."""
        row = (
            await self.session.execute(
                select(ItemVersion.elements, Item.code)
                .join(Item, Item.id == ItemVersion.item_id)
                .where(
                    Item.basic_item_id == basic_item_id,
                    Item.level == level,
                    Item.status == "published",
                    ItemVersion.version_no == Item.current_version_no,
                    Item.id != (other_than or ""),
                )
                .order_by(Item.published_at)
                .limit(1)
            )
        ).first()
        return None if row is None else (row[0], row[1])

    # ------------------------------------------------------------------------------- versions

    async def find_version(self, item_id: str, version_no: int) -> ItemVersion | None:
        """Version `version_no` of the item, or None."""
        query = select(ItemVersion).where(
            ItemVersion.item_id == item_id, ItemVersion.version_no == version_no
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def latest_version_no(self, item_id: str) -> int:
        """The highest version number of an item (0 when it has none)."""
        value = await self.session.scalar(
            select(func.max(ItemVersion.version_no)).where(ItemVersion.item_id == item_id)
        )
        return int(value or 0)

    async def versions_newest_first(self, item_id: str) -> list[ItemVersion]:
        """Every version of the item, the newest first."""
        query = (
            select(ItemVersion).where(ItemVersion.item_id == item_id).order_by(ItemVersion.version_no.desc())
        )
        return list((await self.session.execute(query)).scalars())

    async def versions_not_retired(self, item_id: str) -> list[ItemVersion]:
        """The item's versions that are not retired."""
        query = select(ItemVersion).where(ItemVersion.item_id == item_id, ItemVersion.status != "retired")
        return list((await self.session.execute(query)).scalars().all())

    async def published_versions(self, item_id: str) -> list[ItemVersion]:
        """The item's published versions."""
        query = select(ItemVersion).where(ItemVersion.item_id == item_id, ItemVersion.status == "published")
        return list((await self.session.execute(query)).scalars().all())

    async def open_version_no(self, item_id: str) -> int | None:
        """The number of the item's version in draft or in review, or None."""
        return await self.session.scalar(
            select(ItemVersion.version_no).where(
                ItemVersion.item_id == item_id, ItemVersion.status.in_(("draft", "in_review"))
            )
        )

    async def versions_page(
        self, item_id: str, *, include_unpublished: bool, limit: int, offset: int
    ) -> tuple[list[ItemVersion], int]:
        """A page of the item's versions, oldest first (drafts only when `include_unpublished`),
        and how many there are."""
        stmt = select(ItemVersion).where(ItemVersion.item_id == item_id)
        if not include_unpublished:
            stmt = stmt.where(
                ItemVersion.status.in_(("published", "retired")), ItemVersion.published_at.is_not(None)
            )
        total = int(await self.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
        rows = await self.session.execute(stmt.order_by(ItemVersion.version_no).limit(limit).offset(offset))
        return list(rows.scalars()), total

    async def open_versions_page(
        self, *, statuses: Sequence[str], unit_code: str | None, limit: int, offset: int
    ) -> tuple[list[tuple[ItemVersion, Item]], int]:
        """A page of (version, item) in one of `statuses` (of one owner unit, or every unit), oldest
        change first, and how many there are."""
        where: list[ColumnElement[bool]] = [ItemVersion.status.in_(tuple(statuses))]
        if unit_code is not None:
            where.append(Item.owner_unit_code == unit_code)
        base = select(ItemVersion, Item).join(Item, Item.id == ItemVersion.item_id).where(*where)
        total = int(await self.session.scalar(select(func.count()).select_from(base.subquery())) or 0)
        rows = (
            await self.session.execute(
                base.order_by(ItemVersion.updated_at, Item.code, ItemVersion.version_no)
                .limit(limit)
                .offset(offset)
            )
        ).all()
        return [(version, item) for version, item in rows], total

    # -------------------------------------------------------------------------------- changes

    async def changes_page(self, item_id: str, *, limit: int, offset: int) -> tuple[list[ItemChange], int]:
        """A page of the item's audit trail, oldest first, and how many entries there are."""
        where = ItemChange.item_id == item_id
        total = int(await self.session.scalar(select(func.count()).select_from(ItemChange).where(where)) or 0)
        rows = await self.session.execute(
            select(ItemChange).where(where).order_by(ItemChange.at, ItemChange.id).limit(limit).offset(offset)
        )
        return list(rows.scalars()), total

    async def touched_by_a_person(self, item_id: str) -> bool:
        """Whether any audit-trail entry of the item has a person (not the system) as its actor."""
        found = await self.session.scalar(
            select(ItemChange.id)
            .where(ItemChange.item_id == item_id, ItemChange.actor_id.is_not(None))
            .limit(1)
        )
        return found is not None

    async def version_actors(self, item_id: str, version_no: int, actions: Sequence[str]) -> set[str]:
        """The people recorded doing one of `actions` on the version."""
        rows = await self.session.execute(
            select(ItemChange.actor_id).where(
                ItemChange.item_id == item_id,
                ItemChange.version_no == version_no,
                ItemChange.action.in_(actions),
                ItemChange.actor_id.is_not(None),
            )
        )
        return {str(a) for a in rows.scalars()}

    async def actors_by_version(
        self, item_ids: Collection[str], actions: Sequence[str]
    ) -> dict[tuple[str, int], set[str]]:
        """(item id, version number) → the people recorded doing one of `actions`, for these items."""
        rows = await self.session.execute(
            select(ItemChange.item_id, ItemChange.version_no, ItemChange.actor_id).where(
                ItemChange.item_id.in_(item_ids),
                ItemChange.action.in_(actions),
                ItemChange.actor_id.is_not(None),
            )
        )
        out: dict[tuple[str, int], set[str]] = {}
        for item_id, version_no, actor_id in rows:
            out.setdefault((item_id, version_no), set()).add(str(actor_id))
        return out

    async def changes_of(self, item_ids: Collection[str], actions: Sequence[str]) -> list[ItemChange]:
        """The audit-trail entries of these items with one of `actions`, in the order they happened."""
        rows = await self.session.execute(
            select(ItemChange)
            .where(ItemChange.item_id.in_(item_ids), ItemChange.action.in_(actions))
            .order_by(ItemChange.at, ItemChange.id)
        )
        return list(rows.scalars())
