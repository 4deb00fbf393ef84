"""Queries on the catalogue read model: items and their published versions."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.applications import CatalogueItem, CatalogueVersion


class CatalogueRepository:
    """The catalogue read model in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def database_key(self) -> str:
        """Which database the session reads (its URL), to keep versions per database."""
        return str(getattr(self.session.bind, "url", ""))

    async def find_item(self, code: str) -> CatalogueItem | None:
        """The item `code`, or None."""
        return await self.session.get(CatalogueItem, code)

    async def find_version(self, code: str, version_no: int) -> CatalogueVersion | None:
        """Version `version_no` of item `code`, or None."""
        return await self.session.get(CatalogueVersion, (code, version_no))

    async def published_page(self, *, limit: int, offset: int) -> tuple[list[CatalogueItem], int]:
        """One page of the items in force, by code, and how many there are in all."""
        published = CatalogueItem.status == "published"
        total = int(
            await self.session.scalar(select(func.count()).select_from(CatalogueItem).where(published)) or 0
        )
        rows = await self.session.execute(
            select(CatalogueItem).where(published).order_by(CatalogueItem.code).limit(limit).offset(offset)
        )
        return list(rows.scalars()), total

    def add(self, row: CatalogueItem | CatalogueVersion) -> None:
        """Stage a new item or version."""
        self.session.add(row)
