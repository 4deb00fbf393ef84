"""Verifying a provider's callback (notify) before believing it: signature, time window, nonce.

A service's callback endpoint hands the request's method, the path the provider signed (the path
of the notify URL the service gave it, which behind a gateway is not the path the service sees),
the headers and the raw body to `CallbackVerifier.verify`, and answers 401 on `CallbackRejected`
(the provider retries a genuine callback; a forged one never gets further). A duplicate callback
(same `notify_id`, fresh nonce) passes verification: deduplicating is the service's business.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from typing import Protocol

from .errors import CallbackRejected
from .signing import parse_authorization, signature_matches

__all__ = ["CallbackVerifier", "MemoryNonceStore", "NonceStore"]


class NonceStore(Protocol):
    """Remembers nonces until they can no longer pass the time window.

    One process may use `MemoryNonceStore`; replicas behind one notify URL share
    `nonces.DatabaseNonceStore` (a table keyed on merchant and nonce, expired rows swept).
    """

    async def remember(self, merchant_id: str, nonce: str, *, expires_at: float) -> bool:
        """Record the nonce; True if it was new, False if it was seen before."""
        ...


class MemoryNonceStore:
    """A NonceStore in this process's memory (forgets on restart; old entries swept as it goes)."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], float] = {}
        self._lock = asyncio.Lock()

    async def remember(self, merchant_id: str, nonce: str, *, expires_at: float) -> bool:
        """Record the nonce; True if it was new."""
        async with self._lock:
            now = time.time()
            if len(self._seen) > 1000:
                self._seen = {k: v for k, v in self._seen.items() if v > now}
            key = (merchant_id, nonce)
            if key in self._seen and self._seen[key] > now:
                return False
            self._seen[key] = expires_at
            return True


class CallbackVerifier:
    """Checks a callback's signature (our merchant id and secret), timestamp and nonce."""

    def __init__(
        self,
        *,
        merchant_id: str,
        secret: str,
        nonce_store: NonceStore,
        window_seconds: float = 300.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._merchant_id = merchant_id
        self._secret = secret
        self._nonces = nonce_store
        self._window = window_seconds
        self._clock = clock

    async def verify(self, *, method: str, path: str, headers: Mapping[str, str], body: bytes) -> None:
        """Raise CallbackRejected unless the callback is signed by the provider for us, now, once."""
        header = parse_authorization(_header(headers, "authorization"))
        if header is None:
            raise CallbackRejected("missing_signature", "no HMAC-SHA256 Authorization header")
        if header.merchant_id != self._merchant_id:
            raise CallbackRejected("unknown_merchant", f"callback for merchant {header.merchant_id!r}")
        if not signature_matches(self._secret, header, method, path, body):
            raise CallbackRejected("bad_signature", "the signature does not match")
        now = self._clock()
        if abs(now - header.timestamp) > self._window:
            raise CallbackRejected("stale_timestamp", f"timestamp {header.timestamp} is outside the window")
        # Checked last: a forged or stale request must not use up a nonce.
        fresh = await self._nonces.remember(
            header.merchant_id, header.nonce, expires_at=header.timestamp + 2 * self._window
        )
        if not fresh:
            raise CallbackRejected("replayed_nonce", f"nonce {header.nonce} was seen before")


def _header(headers: Mapping[str, str], name: str) -> str | None:
    """A header case-insensitively from any mapping (Starlette's, aiohttp's, or a plain dict)."""
    value = headers.get(name)
    if value is None:
        value = next((v for k, v in headers.items() if k.lower() == name), None)
    return value
