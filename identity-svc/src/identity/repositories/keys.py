"""Queries on signing keys."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import SigningKey


class SigningKeyRepository:
    """Signing keys in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def count(self) -> int:
        """How many keys are stored."""
        return int((await self.session.execute(select(func.count()).select_from(SigningKey))).scalar_one())

    async def find(self, kid: str) -> SigningKey | None:
        """The key with id `kid`, or None."""
        return await self.session.get(SigningKey, kid)

    async def all(self) -> list[SigningKey]:
        """Every stored key."""
        return list((await self.session.execute(select(SigningKey))).scalars())

    def add(self, key: SigningKey) -> None:
        """Stage a new key."""
        self.session.add(key)

    async def add_first(self, key: SigningKey) -> bool:
        """Store the first key; False (the transaction rolled back) when another replica stored the
        same key at the same moment."""
        self.session.add(key)
        try:
            await self.session.flush()
        except IntegrityError:
            await self.session.rollback()
            return False
        return True

    async def delete(self, key: SigningKey) -> None:
        """Delete a key (its tokens have all expired)."""
        await self.session.delete(key)
