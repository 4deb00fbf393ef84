"""Request and response models of hotline-svc's API (English fields, Chinese terms described)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

RequestType = Literal["enquiry", "help", "complaint", "report", "suggestion", "praise"]
Channel = Literal["phone", "web", "mobile", "window", "open311", "bad_review"]
Satisfaction = Literal["satisfied", "basically", "not"]
DiversionReason = Literal["emergency", "legal_channel", "repeat", "outside_duties"]
LimitUnit = Literal["hours", "working_days", "natural_days"]

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=1000)]
UnitCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9][0-9\- ]{4,19}$")]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AttachmentIn(_In):
    """An attachment's metadata; the file itself is in object storage at `url`."""

    file_name: Short
    media_type: Annotated[str, StringConstraints(pattern=r"^[\w.+-]+/[\w.+-]+$", max_length=100)]
    size_bytes: int = Field(ge=1, le=50 * 1024 * 1024)
    url: Annotated[str, StringConstraints(pattern=r"^https?://", max_length=500)]
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] | None = None


class TicketCreate(_In):
    """A new ticket (工单): what, who, where."""

    request_type: RequestType = Field(
        description="诉求类型: enquiry 咨询, help 求助, complaint 投诉, report 举报, "
        "suggestion 建议, praise 表扬."
    )
    channel: Channel = Field(
        default="phone",
        description="受理渠道: phone 12345, web, mobile, window (办不成事窗口); citizens use web or mobile.",
    )
    category_code: Annotated[str, StringConstraints(max_length=40)] | None = Field(
        default=None, description="Request category (诉求分类), see GET /v1/categories."
    )
    title: Short
    description: Text = Field(description="诉求内容.")
    urgent: bool = Field(default=False, description="Urgent (紧急): the 2-hour limit applies.")
    complex: bool = Field(default=False, description="Complex (疑难复杂): the 15-day limit applies.")
    caller_name: Short | None = Field(default=None, description="诉求人姓名.")
    caller_phone: Phone | None = Field(default=None, description="联系电话.")
    anonymous: bool = Field(default=False, description="匿名: the caller wants no call-back.")
    address: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    street_code: UnitCode | None = Field(default=None, description="Street (街道) code.")
    community_code: UnitCode | None = Field(default=None, description="Community (社区) code.")
    attributes: dict[str, Any] = Field(
        default_factory=dict, description="Extra fields the category asks for."
    )
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=20)
    auto_dispatch: bool = Field(default=True, description="Dispatch at once by the dispatch catalogue.")

    @model_validator(mode="after")
    def _coordinates_together(self) -> TicketCreate:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        return self


class ContactView(BaseModel):
    """A caller kept informed of the ticket."""

    name: str | None
    phone: str | None = Field(description="Masked (138****5678) for handling units.")
    source_ticket_id: str


class AttachmentView(BaseModel):
    """An attachment's metadata."""

    id: str
    file_name: str
    media_type: str
    size_bytes: int
    url: str


class DispatchView(BaseModel):
    """One dispatch of the ticket."""

    unit_code: str
    role: str = Field(description="lead 主办 or co 协办.")
    mode: str
    dispatched_at: datetime
    dispute_deadline: datetime
    returned_at: datetime | None
    return_reason: str | None


class TicketView(BaseModel):
    """A ticket as the caller may see it."""

    id: str
    number: str = Field(description="工单编号.")
    request_type: str
    channel: str
    category_code: str | None
    title: str
    description: str
    urgent: bool
    complex: bool
    caller_name: str | None
    caller_phone: str | None = Field(description="Masked for handling units.")
    anonymous: bool
    address: str | None
    lat: float | None
    lon: float | None
    street_code: str | None
    community_code: str | None
    attributes: dict[str, Any]
    status: str
    allowed_actions: list[str]
    close_reason: str | None
    close_note: str | None
    diversion_reason: str | None
    merged_into_id: str | None
    merged_into_number: str | None
    kb_entry_id: str | None
    lead_unit_code: str | None = Field(description="主办单位.")
    co_unit_codes: list[str] = Field(description="协办单位.")
    first_unit_code: str | None = Field(description="首接单位: stays responsible.")
    coordination: bool = Field(description="Responsibility unclear: the district coordinates.")
    time_limit_rule: str | None
    due_at: datetime | None
    response_due_at: datetime | None
    overdue: bool
    responded_at: datetime | None
    replied_at: datetime | None
    reply: str | None = Field(description="办理答复 (the primary ticket's, for a merged duplicate).")
    reopen_count: int
    created_at: datetime
    closed_at: datetime | None
    contacts: list[ContactView]
    attachments: list[AttachmentView]
    dispatches: list[DispatchView]


class TicketPage(BaseModel):
    """A page of tickets."""

    items: list[TicketView]
    total: int
    limit: int
    offset: int


class HistoryView(BaseModel):
    """One recorded action (办事留痕)."""

    action: str
    from_status: str | None
    to_status: str
    actor: str
    actor_unit: str | None
    note: str | None
    data: dict[str, Any]
    at: datetime


class DivertBody(_In):
    """Divert (分流) a request that belongs elsewhere; closes the ticket."""

    reason: DiversionReason = Field(
        description="emergency (110/119/120/122), legal_channel (诉讼/仲裁/复议), repeat (重复诉求无新情况), "
        "outside_duties (非政府职责)."
    )
    note: Reason = Field(description="What the caller was told.")


class MergeBody(_In):
    """Merge this duplicate into another ticket; every caller is kept informed."""

    into_ticket_id: Annotated[str, StringConstraints(min_length=1, max_length=36)]
    note: Reason | None = None


class AnswerBody(_In):
    """An enquiry answered on the spot from the knowledge base."""

    kb_entry_id: Annotated[str, StringConstraints(min_length=1, max_length=36)]
    note: Reason | None = None


class DispatchBody(_In):
    """Dispatch manually, or by the dispatch catalogue when `unit_code` is omitted."""

    unit_code: UnitCode | None = Field(default=None, description="Lead unit (主办单位).")
    co_unit_codes: list[UnitCode] = Field(default_factory=list, max_length=10, description="协办单位.")
    category_code: Annotated[str, StringConstraints(max_length=40)] | None = None
    complex: bool | None = None
    note: Reason | None = None


class ReturnBody(_In):
    """Dispute a dispatch (退单/派单异议)."""

    reason: Reason = Field(description="Why the unit is not responsible; name the right one if known.")
    suggested_unit_code: UnitCode | None = None


class RespondBody(_In):
    """First contact with the caller (响应)."""

    note: Reason | None = None


class ReplyBody(_In):
    """The unit's reply (办理答复)."""

    reply: Text


class CallbackBody(_In):
    """A call-back (回访): resolved? satisfied?"""

    resolved: bool = Field(description="解决.")
    satisfaction: Satisfaction = Field(description="满意 satisfied / 基本满意 basically / 不满意 not.")
    note: Reason | None = None


class ReopenBody(_In):
    """Reopen (重办) an unresolved or unsatisfied ticket."""

    reason: Reason


class CloseBody(_In):
    """Close after a call-back."""

    note: Reason | None = None


class ExtendBody(_In):
    """Extend the time limit (延期) with a reason."""

    amount: int = Field(ge=1, le=365)
    unit: LimitUnit
    reason: Reason


class CategoryView(BaseModel):
    """A request category."""

    code: str
    name: str
    description: str
    group_name: str
    time_limit_rule: str | None
    attributes: list[Any]


class DispatchRuleIn(_In):
    """A dispatch-catalogue rule: category × area → lead unit and co-handlers."""

    category_code: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    area_code: UnitCode = Field(description="Street or community code, or * for anywhere.")
    lead_unit_code: UnitCode
    co_unit_codes: list[UnitCode] = Field(default_factory=list, max_length=10)


class DispatchRuleView(DispatchRuleIn):
    """A stored dispatch rule."""

    id: str
    updated_at: datetime


class TimeLimitRuleIn(_In):
    """A time-limit rule's value."""

    name: Short | None = None
    amount: int = Field(ge=1, le=365)
    unit: LimitUnit


class TimeLimitRuleView(BaseModel):
    """A time-limit rule."""

    code: str
    name: str
    amount: int
    unit: str


class UnitRates(BaseModel):
    """The three rates of one unit (or street) in one month, and the composite score."""

    unit_code: str
    month: str
    responses_due: int
    responded_on_time: int
    called_back: int
    resolved: int
    satisfied: int
    basically_satisfied: int
    response_rate: float | None = Field(description="响应率, percent.")
    resolution_rate: float | None = Field(description="解决率, percent.")
    satisfaction_rate: float | None = Field(description="满意率, percent.")
    composite: float | None = Field(description="综合得分 (weights 10/45/45 by default).")
    rank: int | None = None


class Ranking(BaseModel):
    """Monthly ranking of streets or departments."""

    month: str
    kind: Literal["street", "department"]
    weights: tuple[float, float, float]
    items: list[UnitRates]


class KbDraftIn(_In):
    """A knowledge-base version's content."""

    question: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=500)]
    answer: Text
    keywords: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]] = (
        Field(default_factory=list, max_length=30)
    )
    item_codes: list[Annotated[str, StringConstraints(min_length=1, max_length=50)]] = Field(
        default_factory=list, max_length=20, description="Linked catalogue items (实施编码)."
    )
    owner_unit_code: UnitCode | None = Field(default=None, description="Unit that keeps it current.")
    review_on: date | None = Field(default=None, description="Next review date (复核日期).")
    expires_on: date | None = Field(default=None, description="Withdrawn automatically after this day.")

    @model_validator(mode="after")
    def _dates(self) -> KbDraftIn:
        if self.review_on and self.expires_on and self.review_on > self.expires_on:
            raise ValueError("review_on must not be after expires_on")
        return self


class ReviewBody(_In):
    """A reviewer's decision note."""

    note: Reason | None = None


class KbVersionView(BaseModel):
    """One version of an entry."""

    version_no: int
    status: str
    question: str
    answer: str
    keywords: list[str]
    item_codes: list[str]
    review_on: date | None
    expires_on: date | None
    author: str
    reviewer: str | None
    review_note: str | None
    created_at: datetime
    published_at: datetime | None


class KbEntryView(BaseModel):
    """A knowledge-base entry with its published and latest versions."""

    id: str
    source: str = Field(description="manual, or catalog (from a published catalogue item).")
    catalog_item_code: str | None
    owner_unit_code: str
    status: str
    published_version_no: int | None
    usage_count: int
    last_used_at: datetime | None
    published: KbVersionView | None
    latest: KbVersionView


class KbHit(BaseModel):
    """A search hit."""

    id: str
    question: str
    answer: str
    item_codes: list[str]
    owner_unit_code: str
    score: float
    usage_count: int


class KbSearchResult(BaseModel):
    """Search results, best first."""

    query: str
    items: list[KbHit]


class KbUsageStat(BaseModel):
    """How often an entry answered tickets."""

    id: str
    question: str
    usage_count: int
    used_in_period: int
    last_used_at: datetime | None
