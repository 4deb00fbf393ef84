"""The key that signs renderings (Ed25519), and checking a signature against a published key.

What is signed is the 32 bytes of the rendering's SHA-256: anyone holding the PDF computes its
digest, and checks the signature with the public key published at `GET /v1/signing-keys` (kid
named beside the signature). The key comes from the settings (a mounted Secret in production);
without one it is generated once and kept in the service's database, so every replica and restart
signs with the same key. No key is ever written in the code.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy.ext.asyncio import AsyncSession

from ..config import Settings
from ..repositories.keys import claim_current, current_key, stored_keys
from .holder_keys import HolderKeys


def b64url(raw: bytes) -> str:
    """base64url without padding (RFC 7515)."""
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    """The RFC 7638 thumbprint of the key's JWK (RFC 8037): the same key, the same kid."""
    canonical = json.dumps(
        {"crv": "Ed25519", "kty": "OKP", "x": b64url(_raw_public(key))}, separators=(",", ":")
    )
    return b64url(hashlib.sha256(canonical.encode()).digest())


def public_jwk(key: Ed25519PublicKey) -> dict[str, str]:
    """The public JWK of a signing key."""
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "kid": key_id(key),
        "x": b64url(_raw_public(key)),
        "use": "sig",
        "alg": "EdDSA",
    }


def verify(jwk: dict[str, str], sha256_hex: str, signature: str) -> bool:
    """True when `signature` is the key's over the digest `sha256_hex` (what a verifier does)."""
    try:
        public = Ed25519PublicKey.from_public_bytes(_unb64url(jwk["x"]))
        public.verify(_unb64url(signature), bytes.fromhex(sha256_hex))
    except (InvalidSignature, ValueError, KeyError):
        return False
    return True


def _pem(key: Ed25519PrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _load(pem: str) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        # not user-facing: a start-up configuration check
        raise ValueError("LICENCE_SIGNING_KEY_PEM(_FILE) must be an Ed25519 private key (PKCS#8 PEM)")
    return key


@dataclass
class KeyRing:
    """The signing key of this process, and every public key renderings may carry; beside them the
    secret that keys resident IDs (`holders`, ADR 0014), which each licence gets at issue."""

    settings: Settings
    signer: Ed25519PrivateKey | None = None
    published: dict[str, dict[str, str]] = field(default_factory=dict)
    holders: HolderKeys = field(init=False)

    def __post_init__(self) -> None:
        self.holders = HolderKeys.from_settings(self.settings)

    async def ready(self, session: AsyncSession) -> None:
        """Load the key unless loaded (consumers may start before the start-up hook has run)."""
        if self.signer is None:
            await self.load(session, self.settings)

    @property
    def kid(self) -> str:
        """The id of the key that signs now."""
        return key_id(self._signer().public_key())

    def _signer(self) -> Ed25519PrivateKey:
        if self.signer is None:
            raise RuntimeError("the signing key is not loaded yet (KeyRing.load at start-up)")
        return self.signer

    def sign(self, sha256_hex: str) -> str:
        """The signature (base64url) over the digest's 32 bytes."""
        return b64url(self._signer().sign(bytes.fromhex(sha256_hex)))

    async def load(self, session: AsyncSession, settings: Settings) -> None:
        """Take the configured key, else the stored one, else make one and store it (replicas
        starting together on an empty database all end up with the first one stored)."""
        configured = None
        if settings.signing_key_pem is not None:
            configured = settings.signing_key_pem.get_secret_value()
        elif settings.signing_key_pem_file is not None:
            configured = settings.signing_key_pem_file.read_text(encoding="utf-8")
        if configured is not None:
            self.signer = _load(configured)
        else:
            stored = await current_key(session)
            if stored is None:
                made = Ed25519PrivateKey.generate()
                await claim_current(session, key_id(made.public_key()), _pem(made))
                stored = await current_key(session)
            assert stored is not None  # claimed just now, by this process or another
            self.signer = _load(stored.private_pem)
        self.published = {self.kid: public_jwk(self.signer.public_key())}
        # Renderings signed with a stored key before a key was configured stay checkable.
        for key in await stored_keys(session):
            self.published.setdefault(key.kid, public_jwk(_load(key.private_pem).public_key()))
