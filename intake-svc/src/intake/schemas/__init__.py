"""Request and response bodies of intake-svc's API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from yiwang_shared.pagination import Page
from yiwang_shared.validators import validate_mobile

from ..lifecycles import ApplicationAction, ApplicationStatus

Channel = Literal["window", "online", "assisted"]
Representation = Literal["self", "assisted", "delegated"]
HandlingType = Literal["1", "2", "9"]
LimitUnit = Literal["working_day", "natural_day", "hour"]
Medium = Literal["original", "copy", "electronic"]
ProvidedAs = Literal["paper", "upload", "e_licence", "exempt"]
NoticeKind = Literal[
    "correction",
    "acceptance",
    "revocation",
    "non_acceptance",
    "approval",
    "refusal",
    "correction_expired",
    "decision_revocation",
]
StepKind = Literal["accept", "review", "decide", "inspection_report", "complete", "other"]
RecordedStepKind = Literal["review", "decide", "inspection_report", "other"]
SpecialProcedure = Literal["hearing", "inspection", "expert_review", "assessment", "other"]
Decision = Literal["approved", "refused"]
DeliveryMode = Literal["window", "post", "locker"]
SupervisionColour = Literal["green", "yellow", "red"]

#: What is wrong with a material (问题类型); `format` is a problem the clerk adds to the notice.
MaterialProblemKind = Literal[
    "missing",
    "originals",
    "copies",
    "medium",
    "file",
    "condition_unknown",
    "exempt_not_allowed",
    "licence_unverified",
    "format",
]

#: Every kind of trace entry (留痕动作); the API's `action` values.
TraceAction = Literal[
    "submitted",
    "resubmitted",
    "notice_issued",
    "accepted",
    "handed_over",
    "deficiencies_corrected",
    "acceptance_revoked",
    "step_recorded",
    "paused",
    "resumed",
    "extended",
    "decided",
    "completed",
    "delivered",
    "withdrawn",
    "overdue",
    "reminded",
    "escalated",
    "not_accepted",
    "correction_expired",
    "deadlines_recounted",
    "forwarded",
    "prereviewed",
    "post_checked",
    "decision_revoked",
    "fee_due",
    "fee_paid",
    "fee_refunded",
    "fee_closed",
    "refund_requested",
    "waybill_created",
    "auto_checked",
    "licences_fetched",
]

Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ApplicantSubmit(_In):
    """The applicant (申请人): a natural person; for an enterprise, the person acting for it.

    Name and mobile always come from identity-svc — the caller's own account online, the person's
    record (read with the clerk's token, and recorded there) when staff apply for someone — so
    nobody types them. Sent anyway, they must match that record.
    """

    id: Short | None = Field(
        default=None,
        description="identity-svc person id (统一身份账号). Required when staff apply for someone "
        "(find it with identity's `POST /v1/persons/lookup`); online it may only be the caller's own.",
    )
    name: Short | None = Field(
        default=None, description="Name (姓名); optional, checked against identity-svc's record."
    )
    phone: str | None = Field(
        default=None,
        description="Mobile (手机号); optional, checked against identity-svc's record, where SMS notices go.",
    )

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return validate_mobile(value) if value else None


class MaterialSubmit(_In):
    """A material handed in (申请材料)."""

    name: Short = Field(description="Material name exactly as the item lists it (材料名称).")
    provided_as: ProvidedAs = Field(
        default="paper",
        description="paper 纸质, upload 上传, e_licence 电子证照库调取, exempt 免提交.",
    )
    media: list[Medium] = Field(default_factory=list, description="Media handed in (原件/复印件/电子版).")
    originals: int = Field(default=0, ge=0, le=100, description="Originals (原件份数).")
    copies: int = Field(default=0, ge=0, le=100, description="Copies (复印件份数).")
    file_id: str | None = Field(default=None, description="Uploaded file id when provided_as=upload.")
    licence_no: str | None = Field(
        default=None, max_length=100, description="E-licence number (证照编号) when e_licence."
    )


class ApplicationSubmit(_In):
    """A new application against the item version in force."""

    item_code: Short = Field(description="Implementation code (实施编码).")
    applicant: ApplicantSubmit | None = Field(
        default=None,
        description="Whom the application is for. Online: omit it (the caller's own account applies). "
        "Staff: `applicant.id` of the person served.",
    )
    enterprise_id: str | None = Field(
        default=None, max_length=64, description="Apply for this enterprise (法人); needs a grant."
    )
    form: dict[str, Any] = Field(default_factory=dict, description="Application form (申请表) fields.")
    conditions: list[Short] = Field(
        default_factory=list,
        max_length=100,
        description="Names of conditional materials whose condition applies (适用情形).",
    )
    materials: list[MaterialSubmit] = Field(default_factory=list, max_length=200)
    commitment: CommitmentSubmit | None = Field(
        default=None,
        description="告知承诺: the applicant signs the item's standard commitment (GET the item's "
        "`elements.commitment`) instead of handing in the materials it replaces; the decision is then "
        "made at acceptance and checked afterwards.",
    )


class CommitmentSubmit(_In):
    """The applicant's signature under the item's standard commitment (告知承诺书)."""

    agreed: Literal[True] = Field(description="The applicant agrees to the commitment text as it stands.")
    signatory: Short = Field(
        description="Who signs (签署人): the applicant, or the enterprise's representative."
    )


class PostCheckComplete(_In):
    """What the post-check of a commitment found (核查结果)."""

    commitment_held: bool = Field(description="true: the commitment was true (核查属实); false: it was not.")
    findings: Text = Field(
        description="What was checked and found (核查情况), as the record and, when false, "
        "the revocation decision say it."
    )


class ApplicationResubmit(_In):
    """Materials handed in after a one-time notice (补正材料); they replace earlier ones by name."""

    conditions: list[Short] | None = Field(default=None, max_length=100)
    materials: list[MaterialSubmit] = Field(min_length=1, max_length=200)


class NoticeProblemCreate(_In):
    """A problem the clerk found beyond the automatic check (e.g. 缺少签名)."""

    material: Short
    message: Text


class NoticeIssue(_In):
    """Issue the one-time notice (一次性告知书)."""

    extra_problems: list[NoticeProblemCreate] = Field(default_factory=list, max_length=100)


class ApplicationAccept(_In):
    """Accept (受理); with deficiencies (容缺受理) when the item allows it."""

    with_deficiencies: bool = Field(default=False, description="容缺受理.")
    correction_deadline: date | None = Field(
        default=None, description="容缺材料补齐期限; default: the configured working days."
    )
    result_name: Short | None = Field(default=None, description="即办件: the result issued now.")
    result_number: Short | None = Field(default=None, description="即办件: result number.")


class StepCreate(_In):
    """A decision step (审核/审批) with opinion, start and end."""

    kind: RecordedStepKind = Field(
        default="review", description="review 审核, decide 审批, inspection_report 勘查报告, other 其他."
    )
    opinion: Text
    started_at: datetime | None = None
    ended_at: datetime | None = None


class ApplicationPause(_In):
    """Start a special procedure that pauses the clock (特别程序)."""

    procedure: SpecialProcedure = Field(
        description="hearing 听证, inspection 现场勘查, expert_review 专家评审, assessment 评估, other 其他."
    )
    reason: Text
    expected_end_on: date | None = None


class ApplicationExtend(_In):
    """Extend the time limit (延长办理期限) with reasons."""

    working_days: int = Field(ge=1, le=60)
    reason: Text


class ApplicationApprove(_In):
    """Approve (准予), with reasons if any."""

    reasons: Text | None = Field(default=None, description="Reasons for the decision (决定理由).")


class ApplicationRefuse(_In):
    """Refuse (不予许可) with the reasons the applicant is told."""

    reasons: Text = Field(description="Reasons for refusing (不予许可的理由).")


class ApplicationRefuseAcceptance(_In):
    """Refuse to accept (不予受理) with the reasons the 不予受理通知书 gives."""

    reasons: Text = Field(
        description="Why the application is not accepted (不予受理的理由), e.g. "
        "申请事项依法不需要取得行政许可."
    )
    legal_basis: Short | None = Field(
        default=None,
        description="The provision relied on (法律依据), e.g. 《中华人民共和国行政许可法》第三十二条.",
    )
    competent_authority: Short | None = Field(
        default=None,
        description="Where to apply instead when the matter is another body's (告知向有关行政机关申请).",
    )


class ApplicationPrereview(_In):
    """A community station's pre-review (咨询预审) of a 咨询预审类 item, handed to its street centre."""

    opinion: Text = Field(
        description="The pre-review opinion (预审意见) the centre reads before it decides acceptance, "
        "e.g. 材料齐全，户籍和收入情况已初核，建议受理."
    )


class ApplicationComplete(_In):
    """Complete the case (办结) with its result."""

    result_name: Short = Field(description="Result (结果名称), e.g. 食品经营许可证.")
    result_number: Short | None = Field(default=None, description="Licence or document number.")
    valid_until: date | None = Field(default=None, description="Validity (有效期至).")


class ApplicationDeliver(_In):
    """Deliver the result (送达)."""

    mode: DeliveryMode = Field(description="window 窗口领取, post 邮寄, locker 智能柜.")
    signed_by: Short | None = Field(default=None, description="window: who signed the receipt.")
    signature_ref: Short | None = Field(
        default=None, description="window: reference of the signed receipt (签收单)."
    )
    carrier: Short | None = Field(
        default=None, description="post: carrier (EMS …); left out, the platform's courier of the waybill."
    )
    tracking_no: Short | None = Field(default=None, description="post: tracking number (运单号).")
    address: Short | None = Field(default=None, description="post: delivery address.")
    locker: Short | None = Field(default=None, description="locker: cabinet and box (智能柜).")


class ApplicationWithdraw(_In):
    """Withdraw before decision (撤回申请)."""

    reason: Text | None = None


class DeficiencyCorrection(_In):
    """Materials that cure the deficiencies of a 容缺 acceptance."""

    materials: list[MaterialSubmit] = Field(min_length=1, max_length=200)


# --- responses --------------------------------------------------------------------------------


class CaseMaterialRead(BaseModel):
    """A material of the case as it stands (申请材料, the latest round of each): handed in, or fetched
    from the electronic licence library (电子证照库调取) instead of handed in."""

    name: str = Field(description="The material's name as the item lists it (材料名称).")
    provided_as: ProvidedAs = Field(
        description="paper 纸质, upload 上传, e_licence 电子证照库调取, exempt 免提交."
    )
    round: int = Field(description="0 at submission, then each correction round (补正轮次).")
    media: list[Medium]
    originals: int
    copies: int
    file_id: str | None = Field(description="The uploaded file (/v1/files/{id}) when upload.")
    licence_no: str | None = Field(
        description="Licence number (证照编号) when e_licence; an ID card's (a resident ID) masked."
    )
    licence_type_code: str | None = Field(
        description="Licence type (证照类型代码) the library confirmed; null for an unconfirmed claim."
    )
    licence_status: str | None = Field(
        description="The licence's state when it was fetched (valid 有效 …); null when not fetched."
    )
    licence_valid_until: date | None = Field(description="Valid until (有效期至) when fetched; null: 长期.")
    created_at: datetime


class MaterialProblemRead(BaseModel):
    """One missing or wrong material found by the completeness and format check (形式审查)."""

    material: str = Field(description="The material's name as the item lists it (材料名称).")
    problem: MaterialProblemKind = Field(
        description="missing 缺少, originals 原件份数不足, copies 复印件份数不足, medium 介质不符, "
        "file 上传文件无效, condition_unknown 情形不适用, exempt_not_allowed 该材料不属于免提交材料, "
        "licence_unverified 电子证照无法核验 (the clerk checks the original or takes the paper), "
        "format 格式问题 (found by the clerk)."
    )
    message: str = Field(description="What to hand in, in Chinese, as the one-time notice says it.")


class CommitmentRead(BaseModel):
    """The commitment a case was applied for on (告知承诺书), as signed."""

    text: str = Field(description="The standard commitment text signed.")
    replaces: list[str] = Field(description="The materials it stood in for.")
    signatory: str = Field(description="Who signed (签署人).")
    signed_at: datetime
    post_check_days: int = Field(description="Working days after the decision within which it is checked.")


class NoticeRead(BaseModel):
    """A notice issued on the case (告知书/通知书)."""

    id: str
    kind: NoticeKind = Field(
        description="correction 补正材料一次性告知书, acceptance 受理通知书, revocation 撤销受理决定书, "
        "non_acceptance 不予受理通知书, approval 准予决定书, refusal 不予决定书, correction_expired "
        "逾期未补正终止办理通知书, decision_revocation 撤销决定书（告知承诺核查不实）."
    )
    number: str = Field(description="Document number (文书编号), e.g. 朝政受字〔2026〕第000012号.")
    issued_at: datetime
    issued_by: str = Field(description="Account id of who issued it (system for the scan).")
    html_url: str = Field(
        description="Where the printable notice is (text/html), as the caller reaches it: through the "
        "gateway `/api/intake/v1/applications/{id}/notices/{notice_id}`."
    )


class StepRead(BaseModel):
    """A recorded step of the handling (审查环节)."""

    id: str
    kind: StepKind = Field(
        description="accept 受理, review 审核, decide 审批, inspection_report 勘查报告, complete 办结, "
        "other 其他."
    )
    actor: str = Field(description="Account id of the staff member.")
    actor_unit_code: str | None = Field(description="Their unit's code.")
    opinion: str | None = Field(description="The opinion recorded (审查意见).")
    started_at: datetime
    ended_at: datetime | None


class PauseRead(BaseModel):
    """A special procedure that stopped the clock (特别程序)."""

    id: str
    procedure: SpecialProcedure = Field(
        description="hearing 听证, inspection 现场勘查, expert_review 专家评审, assessment 评估, other 其他."
    )
    reason: str
    started_on: date = Field(description="First day paused (local date).")
    ended_on: date | None = Field(description="Day it ended; null while it runs.")
    expected_end_on: date | None
    paused_working_days: int | None = Field(description="Working days it took off the clock, once ended.")


class ApplicationResultRead(BaseModel):
    """The result of a completed case (办理结果)."""

    name: str = Field(description="Result name (结果名称), e.g. 食品经营许可证.")
    number: str | None = Field(default=None, description="Licence or document number (证照编号).")
    valid_until: date | None = Field(default=None, description="Valid until (有效期至).")


class DeliveryRead(BaseModel):
    """How the result was delivered (送达). A locker's pickup code goes to the applicant by SMS only."""

    by: str = Field(description="Account id of the staff member who delivered it.")
    unit: str | None = Field(default=None, description="Their unit's code.")
    signed_by: str | None = Field(default=None, description="window: who signed the receipt (签收人).")
    signature_ref: str | None = Field(default=None, description="window: the signed receipt (签收单).")
    carrier: str | None = Field(default=None, description="post: carrier (快递公司).")
    tracking_no: str | None = Field(default=None, description="post: tracking number (运单号).")
    address: str | None = Field(default=None, description="post: delivery address (送达地址).")
    locker: str | None = Field(default=None, description="locker: cabinet and box (智能柜).")
    expires_on: date | None = Field(default=None, description="locker: last day to collect it.")


class DeliveryWishRead(BaseModel):
    """How the applicant asked to receive the result (领取方式), as written in the form's `delivery`."""

    mode: DeliveryMode = Field(description="window 窗口领取, post 邮寄, locker 智能柜.")
    address: str | None = Field(default=None, description="post: where to send it (邮寄地址).")
    recipient: str | None = Field(default=None, description="post: who receives it (收件人).")
    phone: str | None = Field(default=None, description="post: the recipient's phone (收件电话).")


class ApplicationRead(BaseModel):
    """An application (办件) as its viewer may see it."""

    id: str
    application_no: str = Field(description="Application number (申请编号), SQ<year><8 digits>.")
    item_code: str = Field(description="Implementation code (实施编码) of the item applied for.")
    item_name: str
    version_no: int = Field(description="The catalog version the case was opened under.")
    owner_unit_code: str = Field(description="The deciding unit (审批部门).")
    intake_unit_code: str | None = Field(description="The receiving window's unit (接件单位); null online.")
    accepting_unit_code: str | None = Field(description="The unit that accepted it (受理单位).")
    entrustment_id: str | None = Field(
        description="The entrustment agreement it was accepted under (委托受理)."
    )
    channel: Channel = Field(description="window 窗口, online 网上, assisted 帮办代办.")
    online: bool
    representation: Representation = Field(
        description="Who filed it for whom (申请方式): self 本人申请; assisted 工作人员帮办代办 (a window "
        "clerk or helper for the person, `assisted_by`); delegated 经办人代企业申请 (under a grant)."
    )
    applicant_id: str = Field(description="Account id of the applicant (申请人).")
    applicant_name: str = Field(description="Name as identity-svc records it (姓名).")
    applicant_phone: str | None = Field(
        description="Mobile (手机号) from identity-svc, where SMS notices go; masked for viewers who do "
        "not need it."
    )
    enterprise_id: str | None = Field(description="The enterprise applied for (法人), if any.")
    submitted_by: str = Field(description="Account id of who submitted it.")
    assisted_by: str | None = Field(description="Staff or helper who applied for the applicant.")
    status: ApplicationStatus = Field(description="State (办件状态); `status_name` says it in Chinese.")
    status_name: str = Field(description="The state in Chinese, e.g. 已受理.")
    allowed_actions: list[ApplicationAction] = Field(
        description="What the caller may do next: the state's actions the caller's roles, unit and "
        "relation to the case allow (a citizen never sees accept)."
    )
    handling_type: HandlingType = Field(description="办件类型: 1 即办件, 2 承诺件, 9 其他.")
    legal_limit_days: int | None = Field(description="Legal time limit (法定时限).")
    promised_limit_days: int | None = Field(description="Promised time limit (承诺时限).")
    limit_unit: LimitUnit = Field(
        description="Unit of both limits: working_day 工作日, natural_day 自然日, hour 小时."
    )
    received_at: datetime = Field(description="When it was received (接件时间).")
    notice_due_on: date = Field(description="Last day for the one-time notice (告知期限).")
    correction_deadline: date | None = Field(
        description="Last day to hand in the corrections the last one-time notice asked for (补正期限); "
        "after it the case closes as correction_expired."
    )
    resubmissions: int = Field(description="Rounds of corrections handed in (补正次数).")
    accepted_at: datetime | None
    acceptance_no: str | None = Field(description="Acceptance notice number (受理文书编号).")
    deemed_accepted: bool = Field(description="True when accepted by law for want of a notice (视为受理).")
    due_on: date | None = Field(description="Promised completion date (承诺办结日期).")
    paused_working_days: int = Field(description="Working days taken off the clock by special procedures.")
    extension_days: int = Field(description="Working days the limit was extended by (延长期限).")
    extension_reason: str | None
    deficiency_deadline: date | None = Field(description="Deadline for materials owed under 容缺受理.")
    deficiencies: list[MaterialProblemRead] = Field(description="Materials still owed under 容缺受理.")
    decided_at: datetime | None
    decision: Decision | None = Field(description="approved 准予 or refused 不予.")
    decision_reasons: str | None
    decision_no: str | None = Field(
        description="Number of the decision document (决定书文号); printable under `notices`."
    )
    completed_at: datetime | None
    result: ApplicationResultRead | None
    delivery_mode: DeliveryMode | None = Field(description="window 窗口领取, post 邮寄, locker 智能柜.")
    delivery: DeliveryRead | None
    delivery_wish: DeliveryWishRead | None = Field(
        description="How the applicant asked to receive the result when applying (form field "
        "`delivery`: mode, and for post address, recipient, phone); null when not asked or not valid."
    )
    delivered_at: datetime | None
    visits: int = Field(description="Visits to the site (跑动次数).")
    forwarded_to_unit_code: str | None = Field(
        description="The street centre a community service station handed the case to (转交受理单位): "
        "at filing for 代收代办类 items, after its pre-review for 咨询预审类 ones."
    )
    forwarded_at: datetime | None = Field(description="When the station handed it over (转交时间).")
    prereview_opinion: str | None = Field(description="The station's pre-review opinion (预审意见).")
    provisional_deadline: bool = Field(
        description="True when a deadline of the case was counted over a year whose official holiday "
        "arrangement (国务院办公厅放假安排) is not in the calendar yet (Monday–Friday assumed): it is "
        "recomputed once the arrangement is imported."
    )
    closed_reason: str | None = Field(
        description="Why the case closed early (withdrawn, not accepted, corrections not handed in, "
        "acceptance revoked) or its decision was revoked."
    )
    commitment: CommitmentRead | None = Field(
        default=None, description="The commitment signed instead of some materials (告知承诺), if any."
    )
    bundle_application_id: str | None = Field(
        default=None,
        description="The 一件事 application this case is part of (/v1/bundle-applications/{id}).",
    )
    problems: list[MaterialProblemRead] = Field(description="Current completeness-check problems.")
    materials: list[CaseMaterialRead] | None = Field(
        default=None,
        description="The materials as they stand (the latest round of each), including those fetched "
        "from the licence library (两个免于提交). Always in `GET /v1/applications/{id}` and while they "
        "matter (before acceptance, 容缺 owed); null in the answer to a later step (GET the case).",
    )
    notices: list[NoticeRead] = Field(default_factory=list)
    steps: list[StepRead] = Field(default_factory=list)
    pauses: list[PauseRead] = Field(default_factory=list)


class ApplicationSummaryRead(BaseModel):
    """An application as a line of a list."""

    id: str
    application_no: str = Field(description="Application number (申请编号).")
    item_code: str
    item_name: str
    status: ApplicationStatus
    applicant_name: str
    received_at: datetime
    due_on: date | None = Field(description="Promised completion date (承诺办结日期).")


class ApplicationPage(Page[ApplicationSummaryRead]):
    """A page of applications, newest first."""


class TraceEntryRead(BaseModel):
    """One entry of the case's trace (办事留痕)."""

    seq: int = Field(description="Position in the chain, from 1.")
    action: TraceAction
    actor: str = Field(description="Account id of who acted (system for the scan).")
    at: datetime
    data: dict[str, Any] = Field(description="What the action recorded; its fields depend on `action`.")
    prev_hash: str = Field(description="The previous entry's hash (64 zeros for the first).")
    hash: str = Field(description="sha256 of prev_hash and this entry's canonical JSON.")


class TraceEntryPage(Page[TraceEntryRead]):
    """A page of the case's trace, in order."""


class TraceVerificationRead(BaseModel):
    """Whether the trace's hash chain holds, and where it breaks."""

    valid: bool
    entries: int = Field(description="Entries checked.")
    first_broken_seq: int | None = Field(description="The first entry that does not verify.")
    reason: str | None = Field(description="Why it breaks, in the request's language.")


class EntrustmentCreate(_In):
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
    """An entrustment agreement (委托受理协议)."""

    id: str
    entrusting_unit_code: str = Field(description="The deciding unit that entrusts (委托方).")
    entrusted_unit_code: str = Field(description="The unit that accepts for it (受托方).")
    item_codes: list[str] = Field(description='Item codes covered; ["*"] for all of the entrusting unit\'s.')
    valid_from: date
    valid_until: date
    reference: str | None = Field(description="Agreement number (协议编号).")
    created_by: str
    created_at: datetime
    revoked_at: datetime | None


class EntrustmentPage(Page[EntrustmentRead]):
    """A page of entrustment agreements, oldest first."""


class FileRead(BaseModel):
    """An uploaded material file."""

    id: str
    filename: str
    content_type: str = Field(description="The type checked against the content, e.g. application/pdf.")
    size: int = Field(description="Bytes.")
    sha256: str = Field(description="sha256 of the content, hex.")
    created_at: datetime = Field(
        description="When it was uploaded: for bytes uploaded more than once, the latest time (its reuse "
        "validity counts from here)."
    )
    reused: bool = Field(
        default=False,
        description="材料复用: true when the caller had uploaded these very bytes before — the answer is "
        "that earlier file (its id and name; 200), stored once; false for a new file (201).",
    )


class SupervisionCaseRead(BaseModel):
    """One open case on the supervision board (电子监察)."""

    id: str
    application_no: str
    item_name: str
    owner_unit_code: str = Field(description="The deciding unit (审批部门).")
    status: ApplicationStatus
    due_on: date | None = Field(description="Due date, moved by a special procedure still running.")
    remaining_working_days: int | None = Field(description="Working days left; negative when overdue.")
    colour: SupervisionColour = Field(
        description="green 绿灯, yellow 黄灯 (close to the limit), red 红灯 (overdue)."
    )
    paused: bool = Field(description="True during a special procedure (the clock stands still).")
    overdue_flagged: bool = Field(description="True once the overdue alert went out.")
    provisional_deadline: bool = Field(
        description="True when the due date was counted over a year without an official holiday "
        "arrangement (期限暂定): it may move once the arrangement is imported."
    )


class SupervisionCasePage(Page[SupervisionCaseRead]):
    """A page of the supervision board, by due date."""


class SupervisionLightsRead(BaseModel):
    """How many open cases show each light (亮灯情况)."""

    open: int = Field(ge=0, description="Open cases (在办件): green + yellow + red.")
    green: int = Field(ge=0, description="Green 绿灯: within the time limit.")
    yellow: int = Field(ge=0, description="Yellow 黄灯: close to the limit (预警).")
    red: int = Field(ge=0, description="Red 红灯: past the due date (逾期).")
    paused: int = Field(
        ge=0,
        description="Of those, cases in a special procedure (特别程序, the clock stands still), counted "
        "in the light their moved due date gives.",
    )


class SupervisionUnitLightsRead(SupervisionLightsRead):
    """One deciding unit's open cases per light."""

    unit_code: str = Field(description="The deciding unit (审批部门编码), as `owner_unit_code` on the board.")


class SupervisionSummaryRead(BaseModel):
    """The supervision board's counts (电子监察汇总): every open case the caller may see, per deciding
    unit and in all, with the lights the board lists (`/v1/supervision/cases`)."""

    as_of: date = Field(description="The day the lights are for (Beijing time).")
    units: list[SupervisionUnitLightsRead] = Field(
        description="Per deciding unit with open cases, by unit code."
    )
    totals: SupervisionLightsRead = Field(description="Every unit's together (合计).")


class SupervisionScanRead(BaseModel):
    """What a supervision scan did."""

    overdue_flagged: int = Field(description="Cases newly flagged red (逾期).")
    deficiencies_revoked: int = Field(description="容缺 acceptances revoked after their deadline.")
    deemed_accepted: int = Field(description="Applications deemed accepted for want of a notice (视为受理).")
    corrections_expired: int = Field(
        description="Cases closed because the corrections were not handed in by the deadline."
    )


class PostCheckRead(BaseModel):
    """A post-check (事后核查) a deciding unit owes of a case decided on commitment."""

    id: str
    application_id: str
    application_no: str
    item_name: str
    applicant_name: str
    unit_code: str = Field(description="The deciding unit that checks (核查单位).")
    decided_at: datetime | None = Field(description="When the case was decided on commitment.")
    due_on: date = Field(description="Check by this day (核查期限).")
    status: Literal["pending", "passed", "failed"] = Field(
        description="pending 待核查, passed 核查属实, failed 承诺不实（决定已撤销）."
    )
    checked_at: datetime | None
    checked_by: str | None
    findings: str | None
    revocation_no: str | None = Field(description="The revocation decision (撤销决定书文号), when failed.")


class PostCheckPage(Page[PostCheckRead]):
    """A page of post-checks, soonest due first."""


class FeeItemRead(BaseModel):
    """One fee item of a payment notice, or a refund of it."""

    name: str | None = Field(default=None, description="The fee item (收费项目).")
    amount_fen: int = Field(description="Amount in fen (分).")
    refund_no: str | None = Field(default=None, description="Set on a refund (退款单号).")
    refund_status: Literal["requested", "succeeded", "failed"] | None = Field(
        default=None,
        description="A refund's state: asked for (退费中), succeeded (已退费) or failed; null on a fee item.",
    )
    reason: str | None = Field(
        default=None, description="Why it was refunded (退费原因), as the applicant is told."
    )
    at: datetime | None = Field(default=None, description="When the refund succeeded.")


class FeeRead(BaseModel):
    """A case's payment notice (缴费通知): what is owed and how to pay it."""

    id: str = Field(description="Our order number at the payment provider (商户订单号).")
    application_id: str
    amount_fen: int = Field(description="The total in fen (应缴金额，分).")
    lines: list[FeeItemRead] = Field(description="The fee items, then any refunds (退费记录).")
    status: Literal["new", "awaiting", "paid", "refunded", "closed"] = Field(
        description="new 生成中, awaiting 待缴费, paid 已缴费, refunded 已退费, closed 已关闭."
    )
    payment_code: str | None = Field(description="缴款码: pay with it at any channel; null until made.")
    pay_url: str | None = Field(description="The provider's payment page.")
    paid_at: datetime | None
    channel: str | None = Field(description="How it was paid (wechat, alipay, unionpay, bank).")
    refunded_fen: int
    created_at: datetime


class FeeRefundCreate(_In):
    """A refund of a paid fee (退费)."""

    amount_fen: int = Field(ge=1, description="How much to refund, in fen; at most what was paid.")
    reason: Short = Field(description="Why (退费原因), as the applicant is told.")


class ReconciliationProblemRead(BaseModel):
    """A line of the day's statement that does not match what we recorded."""

    kind: Literal["payment", "refund"]
    merchant_order_no: str
    refund_no: str | None
    problem: Literal["only_at_provider", "only_ours", "amount_differs"] = Field(
        description="only_at_provider 对方有我方无, only_ours 我方有对方无, amount_differs 金额不符."
    )
    ours_fen: int | None
    theirs_fen: int | None


class ReconciliationRead(BaseModel):
    """The day's reconciliation against the payment provider's statement (对账)."""

    day: date
    matched: int = Field(description="Lines that match.")
    payments_fen: int = Field(description="What the provider's statement says was paid that day.")
    refunds_fen: int
    problems: list[ReconciliationProblemRead]


class ReconciliationRunRead(BaseModel):
    """A day's reconciliation as it was run and kept (对账记录): by the daily pass once the day is over,
    or again by a supervisor."""

    day: date = Field(description="The day reconciled (对账日期, Beijing).")
    status: Literal["matched", "mismatched", "failed"] = Field(
        description="matched 一致, mismatched 有差异 (see problems), failed 未取得对账单 (see error)."
    )
    matched: int = Field(description="Lines that match.")
    payments_fen: int = Field(description="What the provider's statement says was paid that day.")
    refunds_fen: int
    problems: list[ReconciliationProblemRead]
    error: str | None = Field(description="Why the statement could not be had, when failed.")
    ran_at: datetime
    ran_by: str = Field(description="The supervisor who ran it, or `system` (the daily pass).")


class ReconciliationRunPage(Page[ReconciliationRunRead]):
    """A page of the days reconciled, the latest first."""


class ReconciliationRunCreate(_In):
    """Reconcile a day again now and keep the result (重新对账)."""

    day: date = Field(description="The day (Beijing) to reconcile; before today.")


class WaybillCreate(_In):
    """Send the result by post: the courier picks it up at the window (寄递)."""

    recipient_name: Short
    recipient_phone: Short
    address: Text = Field(description="The full delivery address (收件地址).")


class WaybillRead(BaseModel):
    """A result sent by post (邮寄): the courier's waybill and its tracking events."""

    waybill_no: str = Field(description="运单号.")
    carrier: str = Field(description="The courier (寄递企业), as the applicant is told.")
    application_id: str | None = Field(description="The case whose result it carries; null for a bundle's.")
    bundle_application_id: str | None = Field(
        default=None, description="The 一件事 application whose results go in this one parcel."
    )
    status: str = Field(
        description="The courier's last event: created, picked_up, in_transit, delivered, returned …"
    )
    events: list[dict[str, Any]] = Field(description="Tracking events (物流轨迹), oldest first.")
    created_at: datetime


class CaseFeesRead(BaseModel):
    """A case's payment notices, oldest first."""

    fees: list[FeeRead]


class CaseWaybillsRead(BaseModel):
    """A case's (or a bundle application's) waybills with their tracking, oldest first."""

    waybills: list[WaybillRead]
