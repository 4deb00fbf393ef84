"""Queries on refresh tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import RefreshToken


class RefreshTokenRepository:
    """Refresh tokens (stored hashed) in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find_by_hash(self, token_hash: str) -> RefreshToken | None:
        """The token with this SHA-256, locked for update where the database can; or None."""
        query = select(RefreshToken).where(RefreshToken.token_hash == token_hash).with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def families_revoked_since(self, since: datetime) -> list[str]:
        """The families (logins) with a token revoked at or after `since`, each once."""
        query = select(RefreshToken.family_id).where(RefreshToken.revoked_at >= since).distinct()
        return list(await self.session.scalars(query))

    async def revoke_family(self, family_id: str, *, now: datetime) -> None:
        """Revoke every token of one login (family)."""
        await self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    async def revoke_account(self, account_id: str, *, now: datetime) -> None:
        """Revoke every refresh token of an account (all its logins)."""
        await self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.account_id == account_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    async def delete_expired(self, account_id: str, *, now: datetime) -> None:
        """Forget an account's expired tokens (they can no longer be used or reused)."""
        await self.session.execute(
            delete(RefreshToken).where(RefreshToken.account_id == account_id, RefreshToken.expires_at < now)
        )

    def add(self, token: RefreshToken) -> None:
        """Stage a new token."""
        self.session.add(token)
