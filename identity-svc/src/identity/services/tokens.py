"""Minting tokens: RS256 access tokens (claims as in yiwang_shared.auth) and opaque refresh tokens."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import jwt
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import ALGORITHM

from ..config import Settings
from ..models import Account, Staff
from .clock import utcnow
from .keys import KeyStore


@dataclass(frozen=True)
class AccessToken:
    """A signed access token, when it was issued and when it expires (epoch seconds)."""

    token: str
    kid: str
    issued_at: int
    expires_at: int

    @property
    def expires_in(self) -> int:
        """Its lifetime in seconds (OAuth `expires_in`)."""
        return self.expires_at - self.issued_at


def account_claims(account: Account) -> dict[str, Any]:
    """The identity claims of an account: sub, kind, roles, org_unit and org_unit_code (staff), loa.

    `org_unit` is the unit's id; `org_unit_code` its code (110105-MZJ), which other services use
    in their rules (catalogue owners, entrustments, places) without a look-up.
    """
    claims: dict[str, Any] = {"sub": account.id, "kind": account.kind, "roles": [], "loa": account.loa}
    if isinstance(account, Staff):
        claims["roles"] = account.roles
        claims["org_unit"] = account.org_unit_id
        claims["org_unit_code"] = account.org_unit.code
    return claims


class TokenIssuer:
    """Signs access tokens with the current signing key."""

    def __init__(self, settings: Settings, keys: KeyStore) -> None:
        self._issuer = settings.token_issuer
        self._audience = settings.token_audience
        self._ttl = settings.access_token_ttl_seconds
        self._keys = keys

    @property
    def ttl_seconds(self) -> int:
        """The configured access-token lifetime."""
        return self._ttl

    async def access_token(
        self,
        session: AsyncSession,
        account: Account,
        *,
        act: dict[str, Any] | None = None,
        not_after: datetime | None = None,
        session_id: str | None = None,
    ) -> AccessToken:
        """A fresh access token for `account` (acting for a legal person when `act` is given) in
        the login session `session_id` (its refresh-token family), which a logout revokes."""
        kid, key = await self._keys.signing_key(session)
        now = int(utcnow().timestamp())
        exp = now + self._ttl
        if not_after is not None:
            exp = min(exp, int(not_after.timestamp()))
        payload: dict[str, Any] = {
            "iss": self._issuer,
            "aud": self._audience,
            **account_claims(account),
            "iat": now,
            "nbf": now,
            "exp": exp,
            "jti": uuid.uuid4().hex,
            "typ": "access",
        }
        if session_id is not None:
            payload["sid"] = session_id
        if act is not None:
            payload["act"] = act
        token = jwt.encode(payload, key, algorithm=ALGORITHM, headers={"kid": kid})
        return AccessToken(token=token, kid=kid, issued_at=now, expires_at=exp)


def new_refresh_token() -> str:
    """A new opaque refresh token (256 random bits)."""
    return secrets.token_urlsafe(32)


def hash_refresh_token(token: str) -> str:
    """The stored form of a refresh token: its SHA-256 (the token itself is never stored)."""
    return hashlib.sha256(token.encode()).hexdigest()
