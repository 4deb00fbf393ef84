"""Request and response bodies of the 催办/督办 work lists."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from yiwang_shared.pagination import Page

from ..lifecycles import ApplicationStatus

#: Each kind and its level: reminder 0 (催办 the handler), unit_supervisor 1 (督办 the deciding
#: unit's supervisor), district_office 2 (督办 the district supervision office).
EscalationKind = Literal["reminder", "unit_supervisor", "district_office"]
RecipientRole = Literal["handler", "supervisor"]


class CaseEscalationRecipientRead(BaseModel):
    """A person a reminder or escalation names (点名), and whether they acknowledged it."""

    staff_id: str = Field(description="The staff account id (identity-svc).")
    name: str | None = Field(description="姓名; null when identity has not published the account yet.")
    org_unit_code: str | None = Field(description="Their unit (所属单位编码).")
    role: RecipientRole = Field(description="handler 承办人 (催办) or supervisor 督办人 (督办).")
    acknowledged_at: datetime | None = Field(
        description="When they acknowledged it (已阅签收); null until then."
    )
    note: str | None = Field(description="What they wrote when acknowledging.")


class CaseEscalationRead(BaseModel):
    """A 催办 reminder or a 督办 escalation raised on a case, with the people it names."""

    id: str
    kind: EscalationKind = Field(
        description="reminder 催办 (the handler, before the due date), unit_supervisor 督办 (the deciding "
        "unit's supervisor, once red), district_office 督办 (the district supervision office, still red)."
    )
    level: int = Field(ge=0, le=2, description="0 催办, 1 the unit's supervisor, 2 the district office.")
    application_id: str
    application_no: str = Field(description="申请编号.")
    item_name: str
    owner_unit_code: str = Field(description="The deciding unit (审批部门).")
    case_status: ApplicationStatus = Field(description="The case's status now.")
    due_on: date = Field(description="The due date it was raised against (承诺办结日期).")
    working_days: int = Field(
        ge=0, description="Working days left before the due date (reminder) or past it (escalations)."
    )
    unit_code: str = Field(description="The unit whose people are named.")
    fallback: bool = Field(
        description="True when the deciding unit and those above it have no supervisor, so the district "
        "office was named at level 1."
    )
    message: str = Field(description="The 催办/督办 text (Chinese).")
    raised_at: datetime
    recipients: list[CaseEscalationRecipientRead] = Field(
        description="The people named, by name; empty when no active staff member could be named."
    )


class CaseEscalationPage(Page[CaseEscalationRead]):
    """A page of reminders and escalations, newest first."""


class CaseEscalationAcknowledge(BaseModel):
    """Acknowledging a reminder or an escalation (已阅签收)."""

    model_config = ConfigDict(extra="forbid")

    note: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)] | None = (
        Field(default=None, description="What is being done about it (办理情况), optional.")
    )


class CaseEscalationScanRead(BaseModel):
    """What a 催办/督办 pass raised."""

    reminded: int = Field(description="催办 reminders sent to handlers.")
    escalated_to_unit: int = Field(description="Cases escalated to their unit's supervisor (督办, level 1).")
    escalated_to_district: int = Field(
        description="Cases escalated to the district supervision office (level 2)."
    )
