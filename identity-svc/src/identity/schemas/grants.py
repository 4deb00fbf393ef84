"""Legal-person authorisation (法人多级授权) schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, Self

from pydantic import AwareDatetime, BaseModel, Field, StringConstraints, model_validator

from yiwang_shared.validators import ResidentId

from .common import PersonRef

ItemCode = Annotated[str, StringConstraints(min_length=1, max_length=50, strip_whitespace=True)]
GrantStatus = Literal["pending", "active", "revoked", "expired"]


class GrantCreate(BaseModel):
    """Authorise an agent (经办人): whom, for what, from when until when, may they delegate."""

    grantee_id: str | None = Field(default=None, description="The agent's person id.")
    grantee_resident_id: ResidentId | None = Field(
        default=None, description="Or the agent's resident ID (居民身份证号码)."
    )
    scope: list[ItemCode] = Field(
        min_length=1,
        max_length=500,
        description='Scope (授权范围): ["*"] for every item, else item codes.',
    )
    valid_from: AwareDatetime | None = Field(default=None, description="Start; default now.")
    valid_until: AwareDatetime = Field(description="End (授权截止时间).")
    may_delegate: bool = Field(default=False, description="May the agent grant further (转授权)?")

    @model_validator(mode="after")
    def _check(self) -> Self:
        if (self.grantee_id is None) == (self.grantee_resident_id is None):
            raise ValueError("give exactly one of grantee_id or grantee_resident_id")
        if "*" in self.scope and len(self.scope) > 1:
            raise ValueError('scope is either ["*"] (every item) or a list of item codes, not both')
        if len(set(self.scope)) != len(self.scope):
            raise ValueError("scope lists an item code twice")
        if self.valid_from is not None and self.valid_until <= self.valid_from:
            raise ValueError("valid_until must be after valid_from")
        return self


class GrantRevoke(BaseModel):
    """Why a grant is revoked."""

    reason: str | None = Field(default=None, max_length=500)


class GrantRead(BaseModel):
    """A grant and its state now (expired is worked out from valid_until)."""

    id: str
    enterprise_id: str
    grantor_id: str
    parent_grant_id: str | None = Field(description="The grant it was delegated under.")
    grantee: PersonRef
    scope: list[str]
    valid_from: datetime
    valid_until: datetime
    may_delegate: bool
    status: GrantStatus
    current: bool = Field(description="True when it lets the grantee act right now.")
    created_at: datetime
    confirmed_at: datetime | None
    revoked_at: datetime | None
    revoke_reason: str | None


class GrantRevokeResult(BaseModel):
    """The revoked grant and every grant revoked with it (cascade)."""

    grant: GrantRead
    revoked_ids: list[str] = Field(description="Grants revoked by this call, the grant first.")


class GrantCheckResult(BaseModel):
    """May this person act for this enterprise (on this item) now?"""

    allowed: bool
    grant_id: str | None = Field(description="The grant that allows it; null for the legal rep.")
    reason: Literal[
        "legal_representative",
        "grant",
        "out_of_scope",
        "grant_pending",
        "grant_not_yet_valid",
        "grant_expired",
        "grant_revoked",
        "no_grant",
    ]
    scope: list[str] | None = None
    valid_until: datetime | None = None
