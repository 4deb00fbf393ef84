"""Staff finding a person (查询人员): the search, its answer, a clear contact, and the record."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, Self

from pydantic import BaseModel, Field, StringConstraints, model_validator

from yiwang_shared.i18n import TextError
from yiwang_shared.pagination import Page
from yiwang_shared.validators import MobilePhone, ResidentId

from .common import PersonSummaryRead

REASON_MAX = 200
REASON_DESCRIPTION = (
    "Why the person is looked up (查询事由), e.g. 窗口代为申请高龄津贴: recorded with the lookup and "
    "shown to supervisors."
)

#: The reason a staff member gives, 1–200 characters once trimmed.
LookupReason = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=REASON_MAX),
    Field(description=REASON_DESCRIPTION, examples=["窗口代为申请高龄津贴"]),
]

#: What a recorded lookup was for (查询类型).
LookupPurpose = Literal["search", "contact", "walk_in"]
PURPOSE_DESCRIPTION = (
    "What the lookup was for (查询类型): search — found by resident ID or mobile; contact — the phone "
    "read in clear for an SMS or a call-back; walk_in — a window registration that met an existing "
    "account."
)
#: What the person was looked up by.
LookupKeyType = Literal["resident_id", "phone", "passport", "person_id"]


class PersonLookup(BaseModel):
    """Find a person by resident ID or by mobile (exactly one of them), saying why."""

    resident_id: ResidentId | None = None
    phone: MobilePhone | None = None
    reason: LookupReason

    @model_validator(mode="after")
    def _one_key(self) -> Self:
        if (self.resident_id is None) == (self.phone is None):
            raise TextError(
                "请填写居民身份证号或手机号中的一项进行查询（不能都填，也不能都不填）。",
                "give exactly one of resident_id or phone",
            )
        return self


class PersonLookupRead(BaseModel):
    """The person found: the account id to act with, and masked numbers to check against."""

    id: str = Field(description="The person's account id (use it as the applicant's id).")
    name: str = Field(description="Real name (姓名).")
    resident_id: str | None = Field(
        description="Resident ID (居民身份证号), masked (110101********123X); null for a passport holder."
    )
    phone: str = Field(description="Mobile (手机号), masked (138****5678).")
    has_login: bool = Field(
        description="True when the person can log in; false for a walk-in registered at a window who "
        "has not yet set a password (窗口登记、尚未认领)."
    )


class PersonContactRead(BaseModel):
    """A person's mobile in clear, for a case's SMS and call-backs; every read is recorded."""

    id: str = Field(description="The person's account id.")
    name: str = Field(description="Real name (姓名).")
    phone: str = Field(description="Mobile (手机号), in clear.")


class StaffSummaryRead(BaseModel):
    """A staff member named without their unit and roles."""

    id: str = Field(description="The staff account id.")
    username: str = Field(description="Login name (用户名).")
    name: str = Field(description="Name (姓名).")


class PersonLookupRecordRead(BaseModel):
    """One recorded lookup (查询记录): who looked, whom, why, when, and whether anyone was found."""

    id: str
    staff: StaffSummaryRead = Field(description="Who looked (查询人).")
    org_unit_id: str = Field(description="The unit the staff member belonged to at the time.")
    purpose: LookupPurpose = Field(description=PURPOSE_DESCRIPTION)
    key_type: LookupKeyType = Field(description="What the person was looked up by.")
    key_masked: str = Field(
        description="The number looked up, masked (the account id for a contact read); kept also "
        "when nobody was found."
    )
    reason: str = Field(description=REASON_DESCRIPTION)
    found: bool = Field(description="Whether a person was found.")
    person: PersonSummaryRead | None = Field(description="Whom (被查询人); null when nobody was found.")
    looked_up_at: datetime = Field(description="When (查询时间).")


class PersonLookupRecordPage(Page[PersonLookupRecordRead]):
    """A page of recorded lookups, newest first."""
