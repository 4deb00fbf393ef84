"""Queries on the grants identity-svc revoked (identity.grant.revoked.v1)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ..models.applications import RevokedGrant


class RevokedGrantRepository:
    """Revoked grants in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, grant_id: str) -> RevokedGrant | None:
        """The revocation of `grant_id`, or None while it stands."""
        return await self.session.get(RevokedGrant, grant_id)

    def add(self, row: RevokedGrant) -> None:
        """Stage a revocation."""
        self.session.add(row)
