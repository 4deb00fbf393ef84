"""Queries on enterprises (legal persons)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Enterprise, Grant


class EnterpriseRepository:
    """Enterprises in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, enterprise_id: str) -> Enterprise | None:
        """The enterprise with id `enterprise_id`, or None."""
        return await self.session.get(Enterprise, enterprise_id)

    async def find_by_uscc(self, uscc: str) -> Enterprise | None:
        """The enterprise with USCC `uscc`, or None."""
        return (
            await self.session.execute(select(Enterprise).where(Enterprise.uscc == uscc))
        ).scalar_one_or_none()

    async def list_for_person(self, person_id: str, *, now: datetime) -> list[Enterprise]:
        """Enterprises `person_id` represents or holds a confirmed, current grant for."""
        current_grants = select(Grant.enterprise_id).where(
            Grant.grantee_id == person_id,
            Grant.status == "active",
            Grant.valid_from <= now,
            Grant.valid_until > now,
        )
        query = (
            select(Enterprise)
            .where(or_(Enterprise.legal_rep_id == person_id, Enterprise.id.in_(current_grants)))
            .order_by(Enterprise.name)
        )
        return list((await self.session.execute(query)).scalars())

    async def list_all(
        self, *, uscc: str | None = None, limit: int = 100, offset: int = 0
    ) -> tuple[list[Enterprise], int]:
        """A page of all enterprises (by name) and the total, optionally one USCC."""
        query = select(Enterprise)
        if uscc is not None:
            query = query.where(Enterprise.uscc == uscc)
        total = (await self.session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
        rows = await self.session.execute(
            query.order_by(Enterprise.name, Enterprise.id).limit(limit).offset(offset)
        )
        return list(rows.scalars()), int(total)

    def add(self, enterprise: Enterprise) -> None:
        """Stage a new enterprise."""
        self.session.add(enterprise)
