"""Queries on "one thing" bundles (一件事)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Bundle, BundleItem, Item, ItemVersion


class BundleRepository:
    """Bundles and their members in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find_by_code(self, code: str) -> Bundle | None:
        """The bundle with `code`, or None."""
        return (await self.session.execute(select(Bundle).where(Bundle.code == code))).scalar_one_or_none()

    async def exists_named(self, name: str) -> bool:
        """Whether a bundle is called `name`."""
        return (await self.session.execute(select(Bundle.id).where(Bundle.name == name))).first() is not None

    async def page(self, *, limit: int, offset: int) -> tuple[list[Bundle], int]:
        """A page of bundles by code, and how many there are."""
        total = int(await self.session.scalar(select(func.count()).select_from(Bundle)) or 0)
        rows = await self.session.execute(select(Bundle).order_by(Bundle.code).limit(limit).offset(offset))
        return list(rows.scalars()), total

    async def members(self, bundle_id: str) -> list[tuple[Item, int, dict[str, Any] | None]]:
        """The bundle's items in order, with their stage and the elements of their version in force
        (None if none)."""
        rows = await self.session.execute(
            select(Item, BundleItem.stage, ItemVersion.elements)
            .join(BundleItem, BundleItem.item_id == Item.id)
            .outerjoin(
                ItemVersion,
                (ItemVersion.item_id == Item.id) & (ItemVersion.version_no == Item.current_version_no),
            )
            .where(BundleItem.bundle_id == bundle_id)
            .order_by(BundleItem.position)
        )
        return [(item, stage, elements) for item, stage, elements in rows.all()]
