"""Legal-person authorisation (法人多级授权) schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, Self

from pydantic import AwareDatetime, BaseModel, Field, StringConstraints, model_validator

from yiwang_shared.i18n import TextError
from yiwang_shared.pagination import Page
from yiwang_shared.validators import ResidentId

from ..lifecycles import GrantStatus
from .common import PersonSummaryRead

ItemCode = Annotated[str, StringConstraints(min_length=1, max_length=50, strip_whitespace=True)]
STATUS_DESCRIPTION = (
    "State (授权状态): pending 待确认 (until the grantee confirms), active 有效, revoked 已撤销, "
    "expired 已过期 (worked out from valid_until)."
)
GrantCheckReason = Literal[
    "legal_representative",
    "grant",
    "out_of_scope",
    "grant_pending",
    "grant_not_yet_valid",
    "grant_expired",
    "grant_revoked",
    "no_grant",
    "enterprise_not_verified",
]


class GrantCreate(BaseModel):
    """Authorise an agent (经办人): whom, for what, from when until when, may they delegate."""

    grantee_id: str | None = Field(default=None, description="The agent's person id.")
    grantee_resident_id: ResidentId | None = Field(
        default=None,
        description="Or the agent's resident ID (居民身份证号码), together with grantee_name.",
    )
    grantee_name: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="The agent's name (姓名) as registered; required with grantee_resident_id. An ID "
        "and name that match nobody registered are refused alike (identity.grantee_not_found).",
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
            raise TextError(
                "请用 grantee_id 或 grantee_resident_id 中的一项指定被授权人（经办人），只填一项。",
                "give exactly one of grantee_id or grantee_resident_id",
            )
        if (self.grantee_resident_id is None) != (self.grantee_name is None):
            raise TextError(
                "按证件号码授权时，请同时填写被授权人的姓名 grantee_name（按 grantee_id 授权时不填）。",
                "grantee_name goes with grantee_resident_id, and only with it",
            )
        if "*" in self.scope and len(self.scope) > 1:
            raise TextError(
                '授权范围要么是 ["*"]（全部事项），要么是事项编码列表，不能同时包含两者。',
                'scope is either ["*"] (every item) or a list of item codes, not both',
            )
        if len(set(self.scope)) != len(self.scope):
            raise TextError(
                "授权范围中有重复的事项编码，请删去重复项。",
                "scope lists an item code twice",
            )
        if self.valid_from is not None and self.valid_until <= self.valid_from:
            raise TextError(
                "授权截止时间 valid_until 应晚于起始时间 valid_from，请修改。",
                "valid_until must be after valid_from",
            )
        return self


class GrantRevoke(BaseModel):
    """Why a grant is revoked."""

    reason: str | None = Field(default=None, max_length=500, description="Reason (撤销原因).")


class GrantRead(BaseModel):
    """A grant and its state now (expired is worked out from valid_until)."""

    id: str
    enterprise_id: str
    grantor_id: str = Field(description="Who granted it: the legal representative or a delegating agent.")
    parent_grant_id: str | None = Field(description="The grant it was delegated under.")
    grantee: PersonSummaryRead = Field(
        description="The agent (经办人); the name is masked (王*) for anyone but the agent and staff."
    )
    scope: list[str] = Field(description='Scope (授权范围): ["*"] for every item, else item codes.')
    valid_from: datetime
    valid_until: datetime
    may_delegate: bool = Field(description="May the agent grant further (转授权)?")
    status: GrantStatus = Field(description=STATUS_DESCRIPTION)
    current: bool = Field(description="True when it lets the grantee act right now.")
    created_at: datetime
    confirmed_at: datetime | None
    revoked_at: datetime | None
    revoke_reason: str | None


class GrantPage(Page[GrantRead]):
    """A page of grants, newest first."""


class GrantRevocationRead(BaseModel):
    """The revoked grant and every grant revoked with it (cascade)."""

    grant: GrantRead
    revoked_ids: list[str] = Field(description="Grants revoked by this call, the grant first.")


class GrantCheckRead(BaseModel):
    """May this person act for this enterprise (on this item) now? intake-svc asks this before it
    accepts an application made for an enterprise."""

    allowed: bool = Field(description="True when the person may act now.")
    grant_id: str | None = Field(description="The grant that allows it; null for the legal rep.")
    reason: GrantCheckReason = Field(
        description="Why: legal_representative or grant when allowed; otherwise the most telling "
        "refusal — out_of_scope, grant_pending, grant_not_yet_valid, grant_expired, grant_revoked, "
        "no_grant."
    )
    scope: list[str] | None = Field(
        default=None, description='The scope of the grant concerned; ["*"] for the legal rep.'
    )
    valid_until: datetime | None = Field(default=None, description="When that grant ends.")
