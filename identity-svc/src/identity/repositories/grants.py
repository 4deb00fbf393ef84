"""Queries on legal-person grants."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Grant


class GrantRepository:
    """Grants in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, grant_id: str, *, for_update: bool = False) -> Grant | None:
        """The grant with id `grant_id`, or None."""
        query = select(Grant).where(Grant.id == grant_id)
        if for_update:
            query = query.with_for_update().execution_options(populate_existing=True)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def search(
        self,
        *,
        enterprise_id: str | None = None,
        involving: str | None = None,
        status: str | None = None,
        now: datetime,
        limit: int,
        offset: int,
    ) -> tuple[list[Grant], int]:
        """A page of grants, newest first, and how many match: of one enterprise, where a person is
        grantor or grantee, and/or in one state as of `now` (expired is worked out from valid_until)."""
        query = select(Grant)
        if enterprise_id is not None:
            query = query.where(Grant.enterprise_id == enterprise_id)
        if involving is not None:
            query = query.where(or_(Grant.grantee_id == involving, Grant.grantor_id == involving))
        if status == "revoked":
            query = query.where(Grant.status == "revoked")
        elif status == "expired":
            query = query.where(Grant.status != "revoked", Grant.valid_until <= now)
        elif status is not None:
            query = query.where(Grant.status == status, Grant.valid_until > now)
        total = (await self.session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
        rows = await self.session.execute(
            query.order_by(Grant.created_at.desc(), Grant.id).limit(limit).offset(offset)
        )
        return list(rows.scalars()), int(total)

    async def held_by(self, grantee_id: str, enterprise_id: str) -> list[Grant]:
        """Every grant `grantee_id` holds for `enterprise_id`, in any state."""
        query = select(Grant).where(Grant.grantee_id == grantee_id, Grant.enterprise_id == enterprise_id)
        return list((await self.session.execute(query)).scalars())

    async def children(self, parent_ids: list[str]) -> list[Grant]:
        """Grants made under any of `parent_ids` (locked for update where the database can)."""
        if not parent_ids:
            return []
        query = select(Grant).where(Grant.parent_grant_id.in_(parent_ids)).with_for_update()
        return list((await self.session.execute(query)).scalars())

    def add(self, grant: Grant) -> None:
        """Stage a new grant."""
        self.session.add(grant)
