"""Queries on the basic catalogue (基本目录)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import BasicItem, Item


class BasicItemRepository:
    """Basic entries in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, basic_item_id: str) -> BasicItem | None:
        """The basic entry with id `basic_item_id`, or None."""
        return await self.session.get(BasicItem, basic_item_id)

    async def find_by_code(self, basic_code: str) -> BasicItem | None:
        """The basic entry with `basic_code`, or None."""
        query = select(BasicItem).where(BasicItem.basic_code == basic_code)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def first_code_named(self, name: str, item_type: str) -> str | None:
        """The code of the first-created basic entry with this name and type, or None."""
        query = (
            select(BasicItem.basic_code)
            .where(BasicItem.name == name, BasicItem.item_type == item_type)
            .order_by(BasicItem.created_at)
        )
        return (await self.session.execute(query)).scalars().first()

    async def page(
        self, *, item_type: str | None, name_contains: str | None, limit: int, offset: int
    ) -> tuple[list[BasicItem], int]:
        """A page of basic entries by code (of one type, whose name contains a text), and the total."""
        stmt = select(BasicItem)
        if item_type:
            stmt = stmt.where(BasicItem.item_type == item_type)
        if name_contains:
            stmt = stmt.where(BasicItem.name.contains(name_contains, autoescape=True))
        total = int(await self.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
        rows = await self.session.execute(stmt.order_by(BasicItem.basic_code).limit(limit).offset(offset))
        return list(rows.scalars()), total

    async def published_implementations(self, basic_item_id: str) -> list[Item]:
        """The published items implementing the basic entry, by code."""
        query = (
            select(Item)
            .where(Item.basic_item_id == basic_item_id, Item.status == "published")
            .order_by(Item.code)
        )
        return list((await self.session.execute(query)).scalars())
