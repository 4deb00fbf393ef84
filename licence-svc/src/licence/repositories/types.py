"""Queries on the licence-type catalogue."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import LicenceType


async def find_type(session: AsyncSession, code: str) -> LicenceType | None:
    """The licence type of `code`, or None."""
    return await session.get(LicenceType, code)


async def clash(session: AsyncSession, code: str, name: str) -> bool:
    """True when a type has this code or this name."""
    query = (
        select(func.count())
        .select_from(LicenceType)
        .where(or_(LicenceType.code == code, LicenceType.name == name))
    )
    return bool((await session.execute(query)).scalar_one())


async def name_taken(session: AsyncSession, name: str, *, besides: str) -> bool:
    """True when a type other than `besides` has this name."""
    query = (
        select(func.count())
        .select_from(LicenceType)
        .where(LicenceType.name == name, LicenceType.code != besides)
    )
    return bool((await session.execute(query)).scalar_one())


async def list_types(session: AsyncSession, *, limit: int, offset: int) -> tuple[Sequence[LicenceType], int]:
    """A page of types by code, and how many there are."""
    total = (await session.execute(select(func.count()).select_from(LicenceType))).scalar_one()
    rows = (
        await session.execute(select(LicenceType).order_by(LicenceType.code).limit(limit).offset(offset))
    ).scalars()
    return rows.all(), int(total)
