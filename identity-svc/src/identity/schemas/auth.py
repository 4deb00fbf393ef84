"""Login, token and key schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, SecretStr

from yiwang_shared.pagination import Page


class AuthLogin(BaseModel):
    """Credentials: the username is a resident ID, a mobile, a passport number or a staff login."""

    username: str = Field(
        min_length=1,
        max_length=64,
        description="Login (账号): resident ID, mobile, passport number or staff username.",
    )
    password: SecretStr = Field(min_length=1, max_length=128, description="Password (密码).")


class AuthRefresh(BaseModel):
    """A refresh token to exchange for a new access and refresh token."""

    refresh_token: str = Field(min_length=1, max_length=200, description="The latest refresh token.")


class AuthLogout(BaseModel):
    """A refresh token whose session (login) ends."""

    refresh_token: str = Field(
        min_length=1, max_length=200, description="Any refresh token of the session to end."
    )


class TokenRead(BaseModel):
    """An access token (RS256 JWT) and, after a login or refresh, a new refresh token."""

    access_token: str = Field(description="Send as `Authorization: Bearer <access_token>`.")
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int = Field(description="Seconds until the access token expires.")
    refresh_token: str | None = Field(
        default=None, description="Opaque; single use — each refresh returns a new one."
    )
    refresh_expires_in: int | None = Field(
        default=None, description="Seconds until the refresh token expires."
    )


class AuthActFor(BaseModel):
    """Ask for a token acting for a legal person (代表法人办事)."""

    enterprise_id: str = Field(description="The enterprise to act for.")
    grant_id: str | None = Field(
        default=None, description="Act under this grant; by default the broadest current one."
    )


class ActClaimRead(BaseModel):
    """The `act` claim of an act-for token."""

    entity_id: str = Field(description="The enterprise's id.")
    uscc: str = Field(description="Its unified social credit code (统一社会信用代码).")
    grant_id: str = Field(
        description='The grant acted under; "" when the caller is the legal representative.'
    )
    scope: list[str] = Field(description='Item codes the token may act on; ["*"] for every item.')


class ActForTokenRead(BaseModel):
    """An access token acting for a legal person (no refresh token: ask again when it expires)."""

    access_token: str = Field(description="Send as `Authorization: Bearer <access_token>`.")
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int = Field(description="Seconds until it expires (never after the grant ends).")
    act: ActClaimRead


class JwkRead(BaseModel):
    """One public signing key (RFC 7517 JSON Web Key, RSA)."""

    kty: Literal["RSA"] = Field(description="Key type.")
    use: Literal["sig"] = Field(description="Public key use: signatures.")
    alg: Literal["RS256"] = Field(description="The algorithm tokens are signed with.")
    kid: str = Field(description="Key id (RFC 7638 thumbprint); matches the `kid` of a token's header.")
    n: str = Field(description="RSA modulus, base64url without padding.")
    e: str = Field(description="RSA public exponent, base64url without padding.")


class JwkSetRead(BaseModel):
    """The JSON Web Key Set (RFC 7517) that verifies access tokens: every published key, newest first."""

    keys: list[JwkRead]


class KeyRotate(BaseModel):
    """Options for a key rotation."""

    delay_seconds: int | None = Field(
        default=None,
        ge=0,
        le=30 * 24 * 3600,
        description="Seconds until the new key signs; default IDENTITY_KEY_ROLLOVER_DELAY_SECONDS.",
    )


KeyStatus = Literal["signing", "next", "retiring", "expired"]


class KeyRead(BaseModel):
    """A signing key's place in the rotation (never the key itself)."""

    kid: str = Field(description="Key id (RFC 7638 thumbprint).")
    status: KeyStatus = Field(
        description="signing: signs tokens now; next: published, signs from `active_from`; "
        "retiring: published, no longer signs; expired: leaves the JWKS at the next rotation."
    )
    created_at: datetime
    active_from: datetime = Field(description="When it starts (or started) signing.")
    retires_at: datetime | None = Field(description="When it stops signing, once a successor exists.")
    unpublish_at: datetime | None = Field(description="When it leaves the JWKS.")


class KeyPage(Page[KeyRead]):
    """A page of signing keys, oldest first."""


class RevocationsRead(BaseModel):
    """The revocation list (吊销列表) every service and the gateway poll: access tokens of these
    sessions and accounts are refused. Entries are salted SHA-256 digests (32 hex digits) of the
    ids, so the list names nobody (see yiwang_shared.revocation)."""

    sessions: list[str] = Field(description="Digests of the login sessions (`sid`) ended recently.")
    accounts: list[str] = Field(description="Digests of the accounts disabled recently.")
    window_seconds: int = Field(
        description="How far back the list reaches: one access-token lifetime and a margin."
    )
