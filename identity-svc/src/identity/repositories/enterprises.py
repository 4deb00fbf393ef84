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

    async def find(self, enterprise_id: str, *, for_update: bool = False) -> Enterprise | None:
        """The enterprise with id `enterprise_id`, or None (row locked with `for_update`)."""
        if for_update:
            return (
                await self.session.execute(
                    select(Enterprise)
                    .where(Enterprise.id == enterprise_id)
                    .with_for_update(of=Enterprise.__table__)
                    .execution_options(populate_existing=True)
                )
            ).scalar_one_or_none()
        return await self.session.get(Enterprise, enterprise_id)

    async def find_verified_by_uscc(self, uscc: str) -> Enterprise | None:
        """The verified enterprise with USCC `uscc`, or None."""
        return (
            await self.session.execute(
                select(Enterprise).where(Enterprise.uscc == uscc, Enterprise.status == "verified")
            )
        ).scalar_one_or_none()

    async def list_claims(self, uscc: str) -> list[Enterprise]:
        """Every enterprise or claim naming USCC `uscc` that is not rejected, oldest first."""
        query = (
            select(Enterprise)
            .where(Enterprise.uscc == uscc, Enterprise.status != "rejected")
            .order_by(Enterprise.created_at, Enterprise.id)
        )
        return list((await self.session.execute(query)).scalars())

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
        self,
        *,
        uscc: str | None = None,
        name: str | None = None,
        status: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> tuple[list[Enterprise], int]:
        """A page of all enterprises (by name) and the total, optionally one USCC, a part of the
        name (any case) or a status."""
        query = select(Enterprise)
        if uscc is not None:
            query = query.where(Enterprise.uscc == uscc)
        if name is not None:
            # autoescape: a % or _ typed is looked for as itself.
            query = query.where(func.lower(Enterprise.name).contains(name.lower(), autoescape=True))
        if status is not None:
            query = query.where(Enterprise.status == status)
        total = (await self.session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
        rows = await self.session.execute(
            query.order_by(Enterprise.name, Enterprise.id).limit(limit).offset(offset)
        )
        return list(rows.scalars()), int(total)

    def add(self, enterprise: Enterprise) -> None:
        """Stage a new enterprise."""
        self.session.add(enterprise)
