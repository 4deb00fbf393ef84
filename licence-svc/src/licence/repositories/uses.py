"""Queries on the uses of licences (用证记录)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import LicenceUse


async def list_for_licence(
    session: AsyncSession, licence_id: str, *, limit: int, offset: int
) -> tuple[Sequence[LicenceUse], int]:
    """A page of a licence's uses, newest first, and how many there are."""
    where = LicenceUse.licence_id == licence_id
    total = (await session.execute(select(func.count()).select_from(LicenceUse).where(where))).scalar_one()
    query = select(LicenceUse).where(where).order_by(LicenceUse.used_at.desc(), LicenceUse.id)
    return (await session.execute(query.limit(limit).offset(offset))).scalars().all(), int(total)
