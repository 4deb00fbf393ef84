"""The revocation list: sessions and accounts whose access tokens must stop working now.

Nothing new is stored: a session is the family of its refresh tokens, and ending it (logout, a
password change, a disabled account, a reused refresh token) already stamps `revoked_at` on the
family; a disabled account has its status. The list holds what changed within one access-token
lifetime (tokens older than that have expired anyway), as the digests of
`yiwang_shared.revocation`, and is cached for a second so many replicas polling it cost one query.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.db import Database
from yiwang_shared.revocation import Revocations, revocation_digest

from ..config import Settings
from ..repositories.accounts import AccountRepository
from ..repositories.refresh_tokens import RefreshTokenRepository
from .clock import utcnow

#: Seconds a computed list is served again before the database is asked anew.
CACHE_SECONDS = 1.0


def window_seconds(settings: Settings) -> float:
    """How far back revocations matter: an access token's lifetime, the clock leeway and a minute."""
    return settings.access_token_ttl_seconds + settings.token_leeway_seconds + 60


async def current_revocations(
    session: AsyncSession, *, window: float, now: datetime | None = None
) -> Revocations:
    """Digests of the sessions ended and the accounts disabled within the last `window` seconds."""
    since = (now or utcnow()) - timedelta(seconds=window)
    families = await RefreshTokenRepository(session).families_revoked_since(since)
    accounts = await AccountRepository(session).inactive_changed_since(since)
    return Revocations(
        sessions=frozenset(revocation_digest("session", f) for f in families),
        accounts=frozenset(revocation_digest("account", a) for a in accounts),
    )


class RevocationCache:
    """The list computed at most once a second, for the endpoint and identity's own verifier."""

    def __init__(self, settings: Settings) -> None:
        self._window = window_seconds(settings)
        self._value: Revocations | None = None
        self._at = 0.0

    async def get(self, db: Database) -> Revocations:
        """The current list (from the cache when it is under a second old)."""
        if self._value is not None and time.monotonic() - self._at < CACHE_SECONDS:
            return self._value
        async with db.transaction(write=False) as session:
            value = await current_revocations(session, window=self._window)
        self._value, self._at = value, time.monotonic()
        return value
