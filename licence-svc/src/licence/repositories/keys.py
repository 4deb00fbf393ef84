"""Queries on the stored signing keys."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import SigningKey

CURRENT = "current"


async def current_key(session: AsyncSession) -> SigningKey | None:
    """The stored key that signs, or None."""
    query = select(SigningKey).where(SigningKey.slot == CURRENT)
    return (await session.execute(query)).scalar_one_or_none()


async def stored_keys(session: AsyncSession) -> Sequence[SigningKey]:
    """Every stored key, oldest first (all stay published)."""
    return (
        (await session.execute(select(SigningKey).order_by(SigningKey.created_at, SigningKey.kid)))
        .scalars()
        .all()
    )


async def claim_current(session: AsyncSession, kid: str, private_pem: str) -> None:
    """Store the key as the current one unless another got there first (then nothing)."""
    dialect = session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(SigningKey)
    values = {"kid": kid, "slot": CURRENT, "private_pem": private_pem}
    await session.execute(insert.values(values).on_conflict_do_nothing())
