"""Queries on submissions' Idempotency-Keys (per caller)."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.applications import IdempotencyKey


class IdempotencyKeyRepository:
    """Idempotency keys in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, principal: str, key: str) -> IdempotencyKey | None:
        """The key `principal` used, or None."""
        return await self.session.get(IdempotencyKey, (principal, key))

    async def claim(self, row: IdempotencyKey) -> bool:
        """Record the key now; False when a concurrent request holds it already."""
        self.session.add(row)
        try:
            await self.session.flush()
        except IntegrityError:
            return False
        return True
