"""A keyed hash of a personal identifier (a resident ID), so that two services sharing a secret can
match one person without either putting the number in clear where others read it (ADR 0014).

identity-svc publishes `resident_id_key` in `identity.user.registered.v1`; licence-svc computes the
same key for the resident ID on each licence. Without the secret the key is a 64-digit hex string
nobody can invert or recompute: a resident ID has too few possibilities to hide behind a plain hash,
which is why the hash is keyed.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata

__all__ = ["holder_key", "normalise_identifier"]


def normalise_identifier(identifier: str) -> str:
    """The identifier as both sides write it: NFKC (full-width digits), no spaces, upper case (X)."""
    return "".join(unicodedata.normalize("NFKC", identifier).split()).upper()


def holder_key(secret: str, identifier: str) -> str:
    """HMAC-SHA256(secret, normalised identifier), as 64 lower-case hex digits."""
    if not secret:  # not user-facing: callers check that the secret is set first
        raise ValueError("a holder key needs a non-empty secret")
    message = normalise_identifier(identifier).encode("utf-8")
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()
