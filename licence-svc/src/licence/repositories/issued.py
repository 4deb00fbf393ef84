"""Queries on the licences a unit issued."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Licence


async def list_issued(
    session: AsyncSession, unit_codes: Sequence[str], *, number: str | None, limit: int, offset: int
) -> tuple[Sequence[Licence], int]:
    """A page of the licences issued by any of `unit_codes`, newest first (optionally one number)."""
    where = [or_(*(Licence.issuing_unit_code == code for code in unit_codes))]
    if number:
        where.append(Licence.number == number)
    total = (await session.execute(select(func.count()).select_from(Licence).where(*where))).scalar_one()
    query = (
        select(Licence)
        .where(*where)
        .order_by(Licence.issued_at.desc(), Licence.id)
        .limit(limit)
        .offset(offset)
    )
    return (await session.execute(query)).scalars().all(), int(total)
