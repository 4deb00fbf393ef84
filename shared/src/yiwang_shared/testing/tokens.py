"""Sign test access tokens with a throwaway RSA key, and verify them like identity-svc's."""

from __future__ import annotations

import time
import uuid
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from ..auth import CallableKeySource, TokenVerifier


class TestTokens:
    """A key pair that mints access tokens for tests and a verifier that accepts them."""

    __test__ = False  # not a pytest test class

    def __init__(self, *, issuer: str = "yiwang-identity", audience: str = "yiwang") -> None:
        self.kid = "test-" + uuid.uuid4().hex[:8]
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.public_key = self.private_key.public_key()
        self.issuer = issuer
        self.audience = audience

    def verifier(self) -> TokenVerifier:
        """A verifier that knows this key."""

        async def get(kid: str) -> Any | None:
            return self.public_key if kid == self.kid else None

        return TokenVerifier(CallableKeySource(get), issuer=self.issuer, audience=self.audience)

    def token(
        self,
        subject: str | None = None,
        *,
        kind: str = "person",
        roles: list[str] | None = None,
        org_unit: str | None = None,
        org_unit_code: str | None = None,
        loa: int = 3,
        act: dict[str, Any] | None = None,
        ttl: int = 600,
        **claims: Any,
    ) -> str:
        """An access token with the given claims.

        Tests usually name a staff member's unit by its code: `org_unit_code` then defaults to
        `org_unit` (identity puts the unit's id, a UUID, in `org_unit` and its code in
        `org_unit_code`; a test that passes a UUID as `org_unit` gets no code unless it gives one).
        """
        now = int(time.time())
        payload: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": subject or str(uuid.uuid4()),
            "kind": kind,
            "roles": roles or [],
            "loa": loa,
            "iat": now,
            "nbf": now,
            "exp": now + ttl,
            "jti": uuid.uuid4().hex,
            "typ": "access",
        }
        if org_unit:
            payload["org_unit"] = org_unit
        if org_unit_code is None and org_unit and not _is_uuid(org_unit):
            org_unit_code = org_unit
        if org_unit_code:
            payload["org_unit_code"] = org_unit_code
        if act:
            payload["act"] = act
        payload.update(claims)
        return jwt.encode(payload, self.private_key, algorithm="RS256", headers={"kid": self.kid})

    def headers(self, **kw: Any) -> dict[str, str]:
        """An Authorization header with a fresh token."""
        return {"Authorization": "Bearer " + self.token(**kw)}


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
