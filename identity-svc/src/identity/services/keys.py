"""Token signing keys: stored in the database, published as JWKS, rotated without downtime.

Keys are ordered by `active_from`. The signing key is the newest one whose `active_from` has
passed. A rotated-in key is published in the JWKS at once but signs only after the rollover
delay, so every verifier has seen it before the first token it signs arrives. A key that has
stopped signing stays published until every token it signed has expired (its successor's
`active_from` + the access-token lifetime + a margin for clock skew), and is then deleted.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import ALGORITHM, CallableKeySource
from yiwang_shared.db import Database

from ..config import Settings
from ..errors import NoSigningKey
from ..models import SigningKey
from ..repositories.keys import SigningKeyRepository
from .clock import utcnow

log = logging.getLogger("identity.keys")

#: Beyond the token lifetime, how long a retired key stays published (verifier leeway, clock skew).
RETENTION_MARGIN = timedelta(seconds=60)


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def key_id(public_key: rsa.RSAPublicKey) -> str:
    """The RFC 7638 JWK thumbprint of `public_key`: the same key always gets the same kid."""
    numbers = public_key.public_numbers()
    canonical = json.dumps(
        {"e": _b64url_uint(numbers.e), "kty": "RSA", "n": _b64url_uint(numbers.n)},
        separators=(",", ":"),
        sort_keys=True,
    )
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def public_jwk(kid: str, public_key: rsa.RSAPublicKey) -> dict[str, str]:
    """The JWK of a public signing key."""
    numbers = public_key.public_numbers()
    return {
        "kty": "RSA",
        "kid": kid,
        "use": "sig",
        "alg": ALGORITHM,
        "n": _b64url_uint(numbers.n),
        "e": _b64url_uint(numbers.e),
    }


@dataclass(frozen=True)
class KeyState:
    """One key's place in the rotation, as seen at a moment."""

    key: SigningKey
    status: str
    """`signing`, `next` (published, signs later), `retiring` (published, no longer signs), `expired`."""
    retires_at: datetime | None
    """When the key stops signing (its successor's active_from), if it has a successor."""
    unpublish_at: datetime | None
    """When the key leaves the JWKS, if it has a successor."""

    @property
    def published(self) -> bool:
        """True while the key is in the JWKS."""
        return self.status != "expired"


def key_states(keys: Sequence[SigningKey], *, now: datetime, token_ttl: timedelta) -> list[KeyState]:
    """Classify keys at `now`, oldest first: which signs, which are published, when each retires."""
    ordered = sorted(keys, key=lambda k: (k.active_from, k.kid))
    live = [k for k in ordered if k.active_from <= now]
    signer = live[-1] if live else None
    states = []
    for i, key in enumerate(ordered):
        successor = ordered[i + 1] if i + 1 < len(ordered) else None
        retires_at = successor.active_from if successor else None
        unpublish_at = retires_at + token_ttl + RETENTION_MARGIN if retires_at else None
        if key is signer:
            status = "signing"
        elif key.active_from > now:
            status = "next"
        elif unpublish_at is not None and now >= unpublish_at:
            status = "expired"
        else:
            status = "retiring"
        states.append(KeyState(key=key, status=status, retires_at=retires_at, unpublish_at=unpublish_at))
    return states


class KeyStore:
    """The service's signing keys: the database is the truth; parsed keys are cached by kid."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._passphrase = (
            settings.signing_key_passphrase.get_secret_value().encode()
            if settings.signing_key_passphrase
            else None
        )
        self._token_ttl = timedelta(seconds=settings.access_token_ttl_seconds)
        self._private: dict[str, rsa.RSAPrivateKey] = {}
        self._db: Database | None = None

    def key_source(self, db: Database) -> CallableKeySource:
        """Bind to the service database; the verifier's key source for the service's own tokens."""
        self._db = db
        return CallableKeySource(self.public_key)

    # --- keys as objects ---------------------------------------------------------------------

    def _serialize(self, private_key: rsa.RSAPrivateKey) -> str:
        encryption: serialization.KeySerializationEncryption = (
            serialization.BestAvailableEncryption(self._passphrase)
            if self._passphrase
            else serialization.NoEncryption()
        )
        return private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        ).decode()

    def _load_pem(self, pem: str) -> rsa.RSAPrivateKey:
        data = pem.encode()
        try:
            key: Any = serialization.load_pem_private_key(data, password=None)
        except TypeError:  # encrypted: needs the passphrase
            if not self._passphrase:
                # not user-facing: a start-up configuration check
                raise ValueError(
                    "the signing key is encrypted; set IDENTITY_SIGNING_KEY_PASSPHRASE"
                ) from None
            key = serialization.load_pem_private_key(data, password=self._passphrase)
        if not isinstance(key, rsa.RSAPrivateKey):
            # not user-facing: a start-up configuration check
            raise ValueError("the signing key must be an RSA private key")
        if key.key_size < 2048:
            # not user-facing: a start-up configuration check
            raise ValueError("the signing key must have at least 2048 bits")
        return key

    def _private_key(self, row: SigningKey) -> rsa.RSAPrivateKey:
        key = self._private.get(row.kid)
        if key is None:
            key = self._load_pem(row.private_key_pem)
            self._private[row.kid] = key
        return key

    def _new_row(self, private_key: rsa.RSAPrivateKey, active_from: datetime) -> SigningKey:
        kid = key_id(private_key.public_key())
        self._private[kid] = private_key
        return SigningKey(kid=kid, private_key_pem=self._serialize(private_key), active_from=active_from)

    def _generate(self) -> rsa.RSAPrivateKey:
        return rsa.generate_private_key(public_exponent=65537, key_size=self._settings.signing_key_bits)

    def _configured_initial_key(self) -> rsa.RSAPrivateKey | None:
        s = self._settings
        if s.signing_key_pem is not None:
            return self._load_pem(s.signing_key_pem.get_secret_value())
        if s.signing_key_pem_file is not None:
            return self._load_pem(s.signing_key_pem_file.read_text())
        return None

    # --- use ---------------------------------------------------------------------------------

    async def ensure_initial_key(self) -> None:
        """On start-up: if there is no key yet, import the configured PEM or generate one."""
        assert self._db is not None, "KeyStore.key_source(db) must be called first"
        async with self._db.transaction(write=True) as session:
            repo = SigningKeyRepository(session)
            if await repo.count():
                if self._settings.signing_key_pem or self._settings.signing_key_pem_file:
                    log.info("signing keys exist in the database; the configured initial key is not used")
                await self._encrypt_plain_keys(repo)
                return
            configured = self._configured_initial_key()
            private_key = configured or self._generate()
            row = self._new_row(private_key, utcnow())
            if not await repo.add_first(row):  # another replica imported the same PEM at the same moment
                return
            log.info("signing key %s %s", row.kid, "imported" if configured else "generated")

    async def _encrypt_plain_keys(self, repo: SigningKeyRepository) -> None:
        """With a passphrase set, keys stored before it was (in clear) are stored encrypted now:
        a copy of the database must not be enough to sign tokens."""
        if not self._passphrase:
            return
        for row in await repo.all():
            if "ENCRYPTED PRIVATE KEY" not in row.private_key_pem:
                row.private_key_pem = self._serialize(self._private_key(row))
                log.info("signing key %s is now stored encrypted", row.kid)

    async def public_key(self, kid: str) -> rsa.RSAPublicKey | None:
        """The public key for `kid` (cached), or None when no such key is stored."""
        cached = self._private.get(kid)
        if cached is not None:
            return cached.public_key()
        assert self._db is not None
        async with self._db.transaction(write=False) as session:
            row = await SigningKeyRepository(session).find(kid)
        return None if row is None else self._private_key(row).public_key()

    async def signing_key(self, session: AsyncSession) -> tuple[str, rsa.RSAPrivateKey]:
        """The kid and private key to sign with now."""
        now = utcnow()
        states = key_states(await SigningKeyRepository(session).all(), now=now, token_ttl=self._token_ttl)
        for state in states:
            if state.status == "signing":
                return state.key.kid, self._private_key(state.key)
        raise NoSigningKey()

    async def states(self, session: AsyncSession) -> list[KeyState]:
        """Every stored key with its rotation state now."""
        return key_states(await SigningKeyRepository(session).all(), now=utcnow(), token_ttl=self._token_ttl)

    async def jwks(self, session: AsyncSession) -> dict[str, Any]:
        """The JWKS document: every published key, newest first."""
        published = [s for s in await self.states(session) if s.published]
        published.sort(key=lambda s: (s.key.active_from, s.key.kid), reverse=True)
        return {"keys": [public_jwk(s.key.kid, self._private_key(s.key).public_key()) for s in published]}

    async def rotate(self, session: AsyncSession, *, delay_seconds: int | None = None) -> SigningKey:
        """Add a new key, published now and signing after the rollover delay; drop expired keys."""
        now = utcnow()
        delay = self._settings.key_rollover_delay_seconds if delay_seconds is None else delay_seconds
        repo = SigningKeyRepository(session)
        row = self._new_row(self._generate(), now + timedelta(seconds=delay))
        for state in key_states(await repo.all(), now=now, token_ttl=self._token_ttl):
            if not state.published:
                await repo.delete(state.key)
                self._private.pop(state.key.kid, None)
        repo.add(row)
        await session.flush()
        log.info("signing key %s added; signs from %s", row.kid, row.active_from.isoformat())
        return row
