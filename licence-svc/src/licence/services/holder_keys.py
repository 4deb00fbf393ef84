"""Keyed hashes of resident IDs (ADR 0014): identity-svc and licence-svc share a secret, identity
publishes HMAC-SHA256(secret, resident ID) with each person it registers (never the number), and
licence-svc keeps the same key on each licence issued to a resident ID. Staff fetching a
resident's licence for their case then find it by that key although the resident never opened
the library. Without the secret nothing is keyed and nothing matches by key (as before).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.holder_keys import holder_key

from ..config import Settings
from ..repositories import licences as licence_repo

log = logging.getLogger("licence.holder_keys")

#: Licences keyed per transaction by the start-up pass.
FILL_BATCH = 500


@dataclass(frozen=True)
class HolderKeys:
    """The secret shared with identity-svc, if configured."""

    secret: str | None

    @classmethod
    def from_settings(cls, settings: Settings) -> HolderKeys:
        """The secret of `settings` (an empty value counts as none)."""
        secret = settings.holder_key_secret.get_secret_value() if settings.holder_key_secret else ""
        return cls(secret or None)

    @property
    def enabled(self) -> bool:
        """True when a secret is configured."""
        return self.secret is not None

    def of(self, holder_kind: str, identifier: str | None) -> str | None:
        """The key of a person's resident ID (None for an enterprise, no identifier, no secret)."""
        if self.secret is None or holder_kind != "person" or not identifier:
            return None
        return holder_key(self.secret, identifier)


async def fill_batch(session: AsyncSession, keys: HolderKeys) -> int:
    """Key up to FILL_BATCH person licences that have a resident ID but no key yet; how many."""
    if not keys.enabled:
        return 0
    rows = await licence_repo.unkeyed_person_licences(session, limit=FILL_BATCH)
    for licence in rows:
        licence.holder_identifier_key = keys.of(licence.holder_kind, licence.holder_identifier)
    return len(rows)
