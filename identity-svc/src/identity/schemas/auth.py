"""Login, token and key schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, SecretStr


class LoginRequest(BaseModel):
    """Credentials: the username is a resident ID, a mobile, a passport number or a staff login."""

    username: str = Field(min_length=1, max_length=64, description="Login (账号).")
    password: SecretStr = Field(min_length=1, max_length=128, description="Password (密码).")


class TokenResponse(BaseModel):
    """An access token (RS256 JWT) and, after a login or refresh, a new refresh token."""

    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int = Field(description="Seconds until the access token expires.")
    refresh_token: str | None = Field(
        default=None, description="Opaque; single use — each refresh returns a new one."
    )
    refresh_expires_in: int | None = None


class RefreshRequest(BaseModel):
    """A refresh token to exchange (or to revoke on logout)."""

    refresh_token: str = Field(min_length=1, max_length=200)


class ActForRequest(BaseModel):
    """Ask for a token acting for a legal person (代表法人办事)."""

    enterprise_id: str
    grant_id: str | None = Field(
        default=None, description="Act under this grant; by default the broadest current one."
    )


class ActClaim(BaseModel):
    """The `act` claim of an act-for token."""

    entity_id: str
    uscc: str
    grant_id: str = Field(description='"" when the caller is the legal representative.')
    scope: list[str]


class ActForResponse(BaseModel):
    """An access token acting for a legal person (no refresh token: ask again when it expires)."""

    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int
    act: ActClaim


class KeyRotate(BaseModel):
    """Options for a key rotation."""

    delay_seconds: int | None = Field(
        default=None,
        ge=0,
        description="Seconds until the new key signs; default IDENTITY_KEY_ROLLOVER_DELAY_SECONDS.",
    )


class KeyRead(BaseModel):
    """A signing key's place in the rotation (never the key itself)."""

    kid: str
    status: Literal["signing", "next", "retiring", "expired"]
    created_at: datetime
    active_from: datetime = Field(description="When it starts (or started) signing.")
    retires_at: datetime | None = Field(description="When it stops signing, once a successor exists.")
    unpublish_at: datetime | None = Field(description="When it leaves the JWKS.")
