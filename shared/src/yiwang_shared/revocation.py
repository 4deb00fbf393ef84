"""Revoked sessions and accounts: an access token stops working within seconds of a logout.

Access tokens are verified locally (RS256 against the JWKS) and live up to 15 minutes, so a
logout, a disabled staff account or a changed password would otherwise leave the token working
until it expires (issue 15, point 9). identity-svc therefore serves the list of what was revoked
within one access-token lifetime (`GET /v1/auth/revocations`): the sessions that ended (logout,
password change, a disabled account, a reused refresh token) and the accounts that may no longer
act. Every service and the gateway keep a copy, refreshed every couple of seconds by a
`RevocationFeed`, and `TokenVerifier` refuses a token whose session (`sid` claim) or subject is on
it. Entries are salted SHA-256 digests of the ids, so the list — public like the JWKS — names no
session and no account to whoever reads it.

If identity cannot be reached the last list stays in force (and a warning is logged): the tokens
revoked meanwhile are refused as soon as a refresh succeeds, and nothing else is held up.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from .outbound import async_client

log = logging.getLogger("yiwang.revocation")

#: Domain separation, so a digest here is never the digest of the same id elsewhere.
_SALT = b"yiwang-revocation-v1:"


def revocation_digest(kind: str, value: str) -> str:
    """The listed form of a session id (`kind` "session") or an account id (`kind` "account")."""
    return hashlib.sha256(_SALT + kind.encode() + b":" + value.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Revocations:
    """One copy of the list: digests of revoked sessions and of accounts that may not act."""

    sessions: frozenset[str] = frozenset()
    accounts: frozenset[str] = frozenset()

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Revocations:
        """Parse identity's answer (`{"sessions": [...], "accounts": [...]}`)."""
        sessions = doc.get("sessions", [])
        accounts = doc.get("accounts", [])
        if not isinstance(sessions, list) or not isinstance(accounts, list):
            # not user-facing: a bad answer from identity keeps the last list (RevocationFeed.refresh)
            raise ValueError("revocations: sessions and accounts must be lists")
        return cls(frozenset(str(s) for s in sessions), frozenset(str(a) for a in accounts))

    def covers(self, subject: str, session_id: str | None) -> bool:
        """True if the account or the session a token names was revoked."""
        if self.accounts and revocation_digest("account", subject) in self.accounts:
            return True
        return bool(
            session_id and self.sessions and revocation_digest("session", session_id) in self.sessions
        )

    def covers_digests(self, account: str, session: str | None) -> bool:
        """`covers` for digests worked out before (the gateway keeps them with a cached token)."""
        return account in self.accounts or (session is not None and session in self.sessions)


class RevocationSource(Protocol):
    """Where the current list comes from."""

    async def fetch(self) -> Revocations:
        """The list as it stands now; raises when it cannot be had."""
        ...


class HttpRevocationSource:
    """The list from identity-svc over HTTP (`GET <identity>/v1/auth/revocations`)."""

    def __init__(self, url: str, *, timeout: float = 2.0, client: httpx.AsyncClient | None = None) -> None:
        self.url = url
        self._timeout = timeout
        self._client = client

    async def fetch(self) -> Revocations:
        """Fetch and parse the list."""
        client = self._client or async_client(timeout=self._timeout)
        try:
            resp = await client.get(self.url, headers={"accept": "application/json"})
            resp.raise_for_status()
            return Revocations.from_document(resp.json())
        finally:
            if self._client is None:
                await client.aclose()

    async def aclose(self) -> None:
        """Close the shared client, if one was given."""
        if self._client is not None:
            await self._client.aclose()


class CallableRevocationSource:
    """The list from a coroutine function (identity-svc reads its own database)."""

    def __init__(self, fn: Callable[[], Awaitable[Revocations]]) -> None:
        self._fn = fn

    async def fetch(self) -> Revocations:
        """The list from the wrapped function."""
        return await self._fn()


def revocations_url_for(jwks_url: str) -> str:
    """identity's revocation list beside its JWKS (`…/v1/auth/jwks` → `…/v1/auth/revocations`)."""
    base, _, last = jwks_url.rstrip("/").rpartition("/")
    return f"{base}/revocations" if last == "jwks" else jwks_url.rstrip("/") + "/revocations"


@dataclass
class RevocationFeed:
    """A copy of the revocation list, refreshed in the background every `interval` seconds."""

    source: RevocationSource
    interval: float = 2.0
    current: Revocations = field(default_factory=Revocations)
    refreshed_at: float = 0.0  # time.monotonic() of the last successful refresh; 0: never
    _task: asyncio.Task[None] | None = None
    _failing_since: float | None = None

    def covers(self, subject: str, session_id: str | None) -> bool:
        """True if the token's account or session is on the list."""
        return self.current.covers(subject, session_id)

    def covers_digests(self, account: str, session: str | None) -> bool:
        """True if the account or session with these digests is on the list."""
        return self.current.covers_digests(account, session)

    @property
    def age_seconds(self) -> float | None:
        """Seconds since the list was last refreshed; None if it never was."""
        return time.monotonic() - self.refreshed_at if self.refreshed_at else None

    async def refresh(self) -> bool:
        """Fetch the list once now; False (and the old list kept) when it could not be had."""
        try:
            self.current = await self.source.fetch()
        except (httpx.HTTPError, ValueError, OSError) as exc:
            now = time.monotonic()
            if self._failing_since is None:
                self._failing_since = now
                log.warning("revocation list: cannot refresh (%s); keeping the last one", exc)
            return False
        except Exception:  # a database error in identity's own source: keep going
            if self._failing_since is None:
                self._failing_since = time.monotonic()
                log.exception("revocation list: cannot refresh; keeping the last one")
            return False
        if self._failing_since is not None:
            log.info("revocation list: refreshed again")
            self._failing_since = None
        self.refreshed_at = time.monotonic()
        return True

    async def start(self) -> None:
        """Fetch once (without failing when identity is not up yet) and keep refreshing."""
        await self.refresh()
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="revocation-feed")

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            await self.refresh()

    async def stop(self) -> None:
        """Stop refreshing."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
