"""Queries on shares (核验码)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import LicenceShare


async def find_share(session: AsyncSession, share_id: str) -> LicenceShare | None:
    """The share of that id, or None."""
    return await session.get(LicenceShare, share_id)


async def find_by_code_hash(session: AsyncSession, code_hash: str) -> LicenceShare | None:
    """The share whose code hashes to `code_hash`, or None."""
    query = select(LicenceShare).where(LicenceShare.code_hash == code_hash)
    return (await session.execute(query)).scalar_one_or_none()


async def list_for_licence(
    session: AsyncSession, licence_id: str, *, limit: int, offset: int
) -> tuple[Sequence[LicenceShare], int]:
    """A page of a licence's shares, newest first, and how many there are."""
    where = LicenceShare.licence_id == licence_id
    total = (await session.execute(select(func.count()).select_from(LicenceShare).where(where))).scalar_one()
    query = select(LicenceShare).where(where).order_by(LicenceShare.created_at.desc(), LicenceShare.id)
    return (await session.execute(query.limit(limit).offset(offset))).scalars().all(), int(total)


async def count_opening(session: AsyncSession, share_id: str) -> None:
    """Add one to the share's openings (in the database: concurrent openings all count)."""
    await session.execute(
        update(LicenceShare)
        .where(LicenceShare.id == share_id)
        .values(opened_count=LicenceShare.opened_count + 1)
    )
