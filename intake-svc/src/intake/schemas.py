"""Request and response bodies of intake-svc's API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from yiwang_shared.validators import validate_mobile

Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ApplicantIn(_In):
    """The applicant (申请人): a natural person; for an enterprise, the person acting for it."""

    id: Short | None = Field(
        default=None, description="identity-svc person id; needed when staff apply for someone."
    )
    name: Short = Field(description="Name (姓名).")
    phone: str | None = Field(default=None, description="Mobile for SMS notices (手机号).")

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return validate_mobile(value) if value else None


class MaterialIn(_In):
    """A material handed in (申请材料)."""

    name: Short = Field(description="Material name exactly as the item lists it (材料名称).")
    provided_as: Literal["paper", "upload", "e_licence", "exempt"] = Field(
        default="paper",
        description="paper 纸质, upload 上传, e_licence 电子证照库调取, exempt 免提交.",
    )
    media: list[Literal["original", "copy", "electronic"]] = Field(
        default_factory=list, description="Media handed in (原件/复印件/电子版)."
    )
    originals: int = Field(default=0, ge=0, le=100, description="Originals (原件份数).")
    copies: int = Field(default=0, ge=0, le=100, description="Copies (复印件份数).")
    file_id: str | None = Field(default=None, description="Uploaded file id when provided_as=upload.")
    licence_no: str | None = Field(
        default=None, max_length=100, description="E-licence number (证照编号) when e_licence."
    )


class ApplicationSubmit(_In):
    """A new application against the item version in force."""

    item_code: Short = Field(description="Implementation code (实施编码).")
    applicant: ApplicantIn
    enterprise_id: str | None = Field(
        default=None, max_length=64, description="Apply for this enterprise (法人); needs a grant."
    )
    form: dict[str, Any] = Field(default_factory=dict, description="Application form (申请表) fields.")
    conditions: list[Short] = Field(
        default_factory=list,
        max_length=100,
        description="Names of conditional materials whose condition applies (适用情形).",
    )
    materials: list[MaterialIn] = Field(default_factory=list, max_length=200)


class ResubmitIn(_In):
    """Materials handed in after a one-time notice (补正材料); they replace earlier ones by name."""

    conditions: list[Short] | None = Field(default=None, max_length=100)
    materials: list[MaterialIn] = Field(min_length=1, max_length=200)


class NoticeProblemIn(_In):
    """A problem the clerk found beyond the automatic check (e.g. 缺少签名)."""

    material: Short
    message: Text


class NoticeIn(_In):
    """Issue the one-time notice (一次性告知书)."""

    extra_problems: list[NoticeProblemIn] = Field(default_factory=list, max_length=100)


class AcceptIn(_In):
    """Accept (受理); with deficiencies (容缺受理) when the item allows it."""

    with_deficiencies: bool = Field(default=False, description="容缺受理.")
    correction_deadline: date | None = Field(
        default=None, description="容缺材料补齐期限; default: the configured working days."
    )
    result_name: Short | None = Field(default=None, description="即办件: the result issued now.")
    result_number: Short | None = Field(default=None, description="即办件: result number.")


class StepIn(_In):
    """A decision step (审核/审批) with opinion, start and end."""

    kind: Literal["review", "decide", "inspection_report", "other"] = "review"
    opinion: Text
    started_at: datetime | None = None
    ended_at: datetime | None = None


class PauseIn(_In):
    """Start a special procedure that pauses the clock (特别程序)."""

    procedure: Literal["hearing", "inspection", "expert_review", "assessment", "other"]
    reason: Text
    expected_end_on: date | None = None


class ExtendIn(_In):
    """Extend the time limit (延长办理期限) with reasons."""

    working_days: int = Field(ge=1, le=60)
    reason: Text


class DecisionIn(_In):
    """Approve or refuse (准予/不予) with reasons."""

    reasons: Text | None = None


class CompleteIn(_In):
    """Complete the case (办结) with its result."""

    result_name: Short = Field(description="Result (结果名称), e.g. 食品经营许可证.")
    result_number: Short | None = Field(default=None, description="Licence or document number.")
    valid_until: date | None = Field(default=None, description="Validity (有效期至).")


class DeliverIn(_In):
    """Deliver the result (送达)."""

    mode: Literal["window", "post", "locker"]
    signed_by: Short | None = Field(default=None, description="window: who signed the receipt.")
    signature_ref: Short | None = Field(
        default=None, description="window: reference of the signed receipt (签收单)."
    )
    carrier: Short | None = Field(default=None, description="post: carrier (EMS …).")
    tracking_no: Short | None = Field(default=None, description="post: tracking number (运单号).")
    address: Short | None = Field(default=None, description="post: delivery address.")
    locker: Short | None = Field(default=None, description="locker: cabinet and box (智能柜).")


class WithdrawIn(_In):
    """Withdraw before decision (撤回申请)."""

    reason: Text | None = None


class DeficiencyCorrectionIn(_In):
    """Materials that cure the deficiencies of a 容缺 acceptance."""

    materials: list[MaterialIn] = Field(min_length=1, max_length=200)


class ProblemRead(BaseModel):
    """One missing or wrong material."""

    material: str
    problem: str
    message: str


class NoticeRead(BaseModel):
    """A notice issued on the case."""

    id: str
    kind: str
    number: str
    issued_at: datetime
    issued_by: str
    html_url: str


class StepRead(BaseModel):
    """A recorded step."""

    id: str
    kind: str
    actor: str
    actor_unit_code: str | None
    opinion: str | None
    started_at: datetime
    ended_at: datetime | None


class PauseRead(BaseModel):
    """A clock pause (特别程序)."""

    id: str
    procedure: str
    reason: str
    started_on: date
    ended_on: date | None
    expected_end_on: date | None
    paused_working_days: int | None


class ApplicationRead(BaseModel):
    """An application as its viewer may see it."""

    id: str
    application_no: str = Field(description="申请编号.")
    item_code: str
    item_name: str
    version_no: int
    owner_unit_code: str = Field(description="The deciding unit (审批部门).")
    intake_unit_code: str | None
    accepting_unit_code: str | None
    entrustment_id: str | None
    channel: str
    online: bool
    applicant_id: str
    applicant_name: str
    applicant_phone: str | None = Field(description="Masked for other viewers.")
    enterprise_id: str | None
    submitted_by: str
    assisted_by: str | None = Field(description="Staff or helper who applied for the applicant.")
    status: str
    status_name: str
    allowed_actions: list[str]
    handling_type: str
    legal_limit_days: int | None
    promised_limit_days: int | None
    limit_unit: str
    received_at: datetime
    notice_due_on: date = Field(description="Last day for the one-time notice (告知期限).")
    resubmissions: int
    accepted_at: datetime | None
    acceptance_no: str | None = Field(description="受理文书编号.")
    deemed_accepted: bool
    due_on: date | None = Field(description="Promised completion date (承诺办结日期).")
    paused_working_days: int
    extension_days: int
    extension_reason: str | None
    deficiency_deadline: date | None
    deficiencies: list[dict[str, Any]]
    decided_at: datetime | None
    decision: str | None
    decision_reasons: str | None
    completed_at: datetime | None
    result: dict[str, Any] | None
    delivery_mode: str | None
    delivery: dict[str, Any] | None
    delivered_at: datetime | None
    visits: int = Field(description="Visits to the site (跑动次数).")
    closed_reason: str | None
    problems: list[ProblemRead] = Field(description="Current completeness-check problems.")
    notices: list[NoticeRead] = Field(default_factory=list)
    steps: list[StepRead] = Field(default_factory=list)
    pauses: list[PauseRead] = Field(default_factory=list)


class ApplicationSummary(BaseModel):
    """A line of an application list."""

    id: str
    application_no: str
    item_code: str
    item_name: str
    status: str
    applicant_name: str
    received_at: datetime
    due_on: date | None


class TraceEntryRead(BaseModel):
    """One entry of the case's trace."""

    seq: int
    action: str
    actor: str
    at: datetime
    data: dict[str, Any]
    prev_hash: str
    hash: str


class TraceVerification(BaseModel):
    """Whether the chain holds, and where it breaks."""

    valid: bool
    entries: int
    first_broken_seq: int | None
    reason: str | None


class EntrustmentIn(_In):
    """A new entrustment agreement (委托受理协议)."""

    entrusting_unit_code: Short = Field(description="The deciding unit that entrusts (委托方).")
    entrusted_unit_code: Short = Field(description="The unit that accepts for it (受托方).")
    item_codes: list[Short] = Field(
        min_length=1,
        max_length=500,
        description='Item codes covered, or ["*"] for every item of the entrusting unit.',
    )
    valid_from: date
    valid_until: date
    reference: Short | None = Field(default=None, description="Agreement number (协议编号).")


class EntrustmentRead(BaseModel):
    """An entrustment agreement."""

    id: str
    entrusting_unit_code: str
    entrusted_unit_code: str
    item_codes: list[str]
    valid_from: date
    valid_until: date
    reference: str | None
    created_by: str
    created_at: datetime
    revoked_at: datetime | None


class FileRead(BaseModel):
    """An uploaded material file."""

    id: str
    filename: str
    content_type: str
    size: int
    sha256: str
    created_at: datetime


class SupervisionLine(BaseModel):
    """One open case on the supervision board (电子监察)."""

    id: str
    application_no: str
    item_name: str
    owner_unit_code: str
    status: str
    due_on: date | None
    remaining_working_days: int | None
    colour: Literal["green", "yellow", "red"]
    paused: bool
    overdue_flagged: bool


class ScanResult(BaseModel):
    """What a supervision scan did."""

    overdue_flagged: int
    deficiencies_revoked: int
    deemed_accepted: int
