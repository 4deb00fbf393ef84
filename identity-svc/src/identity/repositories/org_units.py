"""Queries on organisation units."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import OrgUnit


class OrgUnitRepository:
    """Organisation units in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, unit_id: str) -> OrgUnit | None:
        """The unit with id `unit_id`, or None."""
        return await self.session.get(OrgUnit, unit_id)

    async def find_by_code(self, code: str) -> OrgUnit | None:
        """The unit with code `code`, or None."""
        return (await self.session.execute(select(OrgUnit).where(OrgUnit.code == code))).scalar_one_or_none()

    async def find_by_uscc(self, uscc: str) -> OrgUnit | None:
        """The unit registered with USCC `uscc`, or None."""
        return (await self.session.execute(select(OrgUnit).where(OrgUnit.uscc == uscc))).scalar_one_or_none()

    async def search(self, *, kind: str | None = None, parent_id: str | None = None) -> list[OrgUnit]:
        """Units, optionally of one kind and/or under one parent, by code."""
        query = select(OrgUnit).order_by(OrgUnit.code)
        if kind is not None:
            query = query.where(OrgUnit.kind == kind)
        if parent_id is not None:
            query = query.where(OrgUnit.parent_id == parent_id)
        return list((await self.session.execute(query)).scalars())

    async def page(
        self, *, kind: str | None = None, parent_id: str | None = None, limit: int, offset: int
    ) -> tuple[list[OrgUnit], int]:
        """A page of units by code, optionally of one kind and/or under one parent, and the total."""
        query = select(OrgUnit)
        if kind is not None:
            query = query.where(OrgUnit.kind == kind)
        if parent_id is not None:
            query = query.where(OrgUnit.parent_id == parent_id)
        total = (await self.session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
        rows = await self.session.execute(query.order_by(OrgUnit.code).limit(limit).offset(offset))
        return list(rows.scalars()), int(total)

    def add(self, unit: OrgUnit) -> None:
        """Stage a new unit."""
        self.session.add(unit)
