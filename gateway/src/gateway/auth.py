"""Bearer-token checks at the edge, with a bounded cache of verified tokens.

Verification itself is `yiwang_shared.auth.TokenVerifier` (RS256 only, so `alg: none` and HS256
are refused; keys from identity-svc's JWKS by `kid`, cached, refetched on an unknown `kid`).
What this adds is for the hot path: a verified token's subject is remembered per token string
until the token's `exp` (LRU, bounded), so repeated requests with the same token cost a dict
lookup instead of an RSA verification. A key withdrawn from the JWKS therefore stops being
honoured for already-seen tokens only when they expire (access tokens are short-lived). A revoked
session or account (logout, a disabled account: identity's revocation list, polled every couple of
seconds) is refused at once, cached or not.
"""

from __future__ import annotations

import time
from collections import OrderedDict

from yiwang_shared.auth import HeaderMalformed, JwksKeySource, KeySource, TokenVerifier
from yiwang_shared.revocation import HttpRevocationSource, RevocationFeed, revocation_digest

__all__ = ["TokenCheck", "bearer_from_header"]


def bearer_from_header(value: bytes) -> str | None:
    """The token of an `Authorization: Bearer <token>` value; None for other schemes.

    Raises Unauthorized for a Bearer header without a token.
    """
    if value[:7].lower() != b"bearer ":
        if value.strip().lower() == b"bearer":
            raise HeaderMalformed(
                "Authorization 请求头应为 'Bearer <令牌>'。",
                en="The Authorization header must be 'Bearer <token>'.",
            )
        return None
    token = value[7:].strip()
    if not token:
        raise HeaderMalformed(
            "Authorization 请求头应为 'Bearer <令牌>'。",
            en="The Authorization header must be 'Bearer <token>'.",
        )
    return token.decode("latin-1")


class TokenCheck:
    """Verifies bearer tokens and remembers the good ones until they expire."""

    def __init__(self, verifier: TokenVerifier, *, max_entries: int = 10_000) -> None:
        self.verifier = verifier
        self.max_entries = max_entries
        # token → (subject, exp, the digests of its account and session on the revocation list,
        # worked out once so the hot path only looks them up)
        self._cache: OrderedDict[str, tuple[str, float, str, str | None]] = OrderedDict()

    @classmethod
    def from_jwks(
        cls,
        jwks_url: str,
        *,
        issuer: str,
        audience: str,
        max_entries: int = 10_000,
        revocations_url: str | None = None,
        revocation_refresh_seconds: float = 2.0,
    ) -> TokenCheck:
        """A checker whose keys come from identity-svc's JWKS URL (and revocations from its list)."""
        keys: KeySource = JwksKeySource(jwks_url)
        feed = (
            RevocationFeed(HttpRevocationSource(revocations_url), interval=revocation_refresh_seconds)
            if revocations_url
            else None
        )
        # The gateway keeps its own cache in front (subjects for the rate limiter, on the hot
        # path); a second one inside the verifier would only hold the same tokens again.
        verifier = TokenVerifier(keys, issuer=issuer, audience=audience, revocations=feed, cache_size=0)
        return cls(verifier, max_entries=max_entries)

    @property
    def revocations(self) -> RevocationFeed | None:
        """The revocation list the checks consult, if any."""
        return self.verifier.revocations

    def cached_subject(self, token: str) -> str | None:
        """The subject of a token verified before, not yet expired and not revoked, else None."""
        hit = self._cache.get(token)
        if hit is None:
            return None
        if hit[1] <= time.time():
            del self._cache[token]
            return None
        revocations = self.verifier.revocations
        if revocations is not None and revocations.covers_digests(hit[2], hit[3]):
            # Revoked since it was verified: verify() gives the answer that says so.
            del self._cache[token]
            return None
        self._cache.move_to_end(token)
        return hit[0]

    async def subject(self, token: str) -> str:
        """The token's subject; raises a ProblemError (401, or 503 if keys are unreachable)."""
        hit = self.cached_subject(token)
        if hit is not None:
            return hit
        principal = await self.verifier.verify(token)
        if self.max_entries and principal.expires_at > time.time():
            session = principal.session_id
            self._cache[token] = (
                principal.subject,
                principal.expires_at,
                revocation_digest("account", principal.subject),
                revocation_digest("session", session) if session else None,
            )
            if len(self._cache) > self.max_entries:
                self._cache.popitem(last=False)
        return principal.subject

    def __len__(self) -> int:
        return len(self._cache)
