"""Enterprise (法人) schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from yiwang_shared.pagination import Page
from yiwang_shared.validators import Uscc

from ..lifecycles import EnterpriseStatus
from .common import LOA_DESCRIPTION, Loa, PersonSummaryRead

EnterpriseRelation = Literal["legal_representative", "agent", "staff"]
STATUS_DESCRIPTION = (
    "Verification state (核验状态): pending 待核验 (a claim: it cannot act, grant or be acted for "
    "until verified), verified 已核验 (a clerk saw the business licence and the legal "
    "representative's ID at a window), rejected 未通过核验."
)


class EnterpriseCreate(BaseModel):
    """Claim an enterprise with the caller as its legal representative (法定代表人); it acts only
    once verified at a service window."""

    name: str = Field(min_length=1, max_length=200, description="Registered name (名称).")
    uscc: Uscc


class EnterpriseRead(BaseModel):
    """An enterprise, and how the caller relates to it."""

    id: str
    name: str = Field(description="Registered name (名称).")
    uscc: str = Field(description="Unified social credit code (统一社会信用代码).")
    legal_representative: PersonSummaryRead = Field(description="The legal representative (法定代表人).")
    loa: Loa = Field(description=LOA_DESCRIPTION)
    status: EnterpriseStatus = Field(description=STATUS_DESCRIPTION)
    reviewed_at: datetime | None = Field(description="When it was verified or rejected (核验时间).")
    review_note: str | None = Field(
        description="The reviewer's note, or why the claim was rejected (核验说明); legal representative "
        "and staff only."
    )
    relation: EnterpriseRelation = Field(
        description="Why the caller may see it: they represent it, act for it, or are staff."
    )
    created_at: datetime


class EnterprisePage(Page[EnterpriseRead]):
    """A page of enterprises, by name."""


class EnterpriseVerify(BaseModel):
    """A window clerk's verification of a claim (企业登记核验): they have seen the business licence
    (营业执照) and the legal representative's ID, and both match the claim."""

    business_licence_checked: Literal[True] = Field(
        description="The business licence was shown and its credit code, name and legal representative "
        "match the claim (已核验营业执照)."
    )
    representative_id_checked: Literal[True] = Field(
        description="The legal representative showed their ID in person and it matches the claimant's "
        "account (已核验法定代表人身份证件)."
    )
    name: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="The name as on the licence (营业执照上的名称), when the claim spelled it otherwise.",
    )
    note: str | None = Field(default=None, max_length=500, description="Note (核验说明).")


class EnterpriseReject(BaseModel):
    """Turning a claim down (驳回企业登记), with the reason the claimant is told."""

    reason: str = Field(min_length=1, max_length=500, description="Reason (驳回原因).")
