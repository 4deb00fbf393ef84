"""Queries on the stored signing key."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import SigningKey


async def oldest_key(session: AsyncSession) -> SigningKey | None:
    """The first key stored (the one in use), or None."""
    query = select(SigningKey).order_by(SigningKey.created_at, SigningKey.kid).limit(1)
    return (await session.execute(query)).scalar_one_or_none()
