"""Following identity's signing keys and revocations: loaded in the background once listening."""

from __future__ import annotations

import asyncio
import logging

from .base import GatewayBase

log = logging.getLogger("gateway")


class KeyFollowing(GatewayBase):
    """The JWKS fetched ahead of the first token; the revocation list followed."""

    async def follow_keys(self) -> None:
        """Fetch the signing keys in the background and start following revocations."""
        # Called once listening: identity may start after the gateway.
        self._prefetch = asyncio.get_running_loop().create_task(self._prefetch_keys())
        if self.tokens.revocations is not None:
            await self.tokens.revocations.start()

    async def _prefetch_keys(self) -> None:
        """Load the JWKS now rather than on the first token (best effort; retried on demand)."""
        keys = self.tokens.verifier.keys
        refresh = getattr(keys, "refresh", None)
        if refresh is None:
            return
        try:
            await refresh()
        except Exception as exc:  # identity may start after us; the first token retries
            log.warning("could not load the signing keys from %s yet: %s", self.settings.jwks_url, exc)
