"""Request and response models of hotline-svc's API (English fields, Chinese terms described).

Names follow docs/api.md: a response body is `<Thing>Read`, a page of them `<Thing>Page`, a request
body `<Thing>Create`, `<Thing>Update` or `<Thing><Action>` (`TicketDispatch`). Every closed set of
values is a `Literal`, so the document lists it and an unknown value is a 422 naming the allowed ones.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from yiwang_shared.i18n import TextError
from yiwang_shared.pagination import Page

from ..lifecycles import Action as TicketAction
from ..lifecycles import KbEntryStatus, KbVersionStatus
from ..lifecycles import Status as TicketStatus
from .open311 import Open311AttributeRead

RequestType = Literal["enquiry", "help", "complaint", "report", "suggestion", "praise"]
#: Every channel a ticket can come from; `open311` and `bad_review` are set by the service itself.
Channel = Literal["phone", "web", "mobile", "window", "open311", "bad_review"]
#: The channels a person registers a ticket on (agents: all four; citizens: web, mobile).
RegisterChannel = Literal["phone", "web", "mobile", "window"]
#: What the history records: the lifecycle's actions plus registration, a duplicate absorbed, overdue,
#: 催办 reminders and 督办 escalations.
HistoryAction = Literal[
    "create",
    "dispatch",
    "divert",
    "answer",
    "merge",
    "absorb",
    "return",
    "respond",
    "extend",
    "reply",
    "call_back",
    "reopen",
    "close",
    "overdue",
    "remind",
    "escalate",
]
CloseReason = Literal["completed", "answered", "diverted", "merged"]
Satisfaction = Literal["satisfied", "basically", "not"]
DiversionReason = Literal["emergency", "legal_channel", "repeat", "outside_duties"]
LimitUnit = Literal["hours", "working_days", "natural_days"]
DispatchRole = Literal["lead", "co"]
DispatchMode = Literal["rule", "manual", "reopen"]
RankingKind = Literal["street", "department"]
KbSource = Literal["manual", "catalog"]

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=1000)]
UnitCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9][0-9\- ]{4,19}$")]
CategoryCode = Annotated[str, StringConstraints(min_length=1, max_length=40)]
Id = Annotated[str, StringConstraints(min_length=1, max_length=36)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- tickets ----------------------------------------------------------------------------------


class AttachmentCreate(_Body):
    """An attachment's metadata (附件); the file itself is in object storage at `url`."""

    file_name: Short
    media_type: Annotated[str, StringConstraints(pattern=r"^[\w.+-]+/[\w.+-]+$", max_length=100)] = Field(
        description="The file's media type, e.g. image/jpeg."
    )
    size_bytes: int = Field(ge=1, le=50 * 1024 * 1024)
    url: Annotated[str, StringConstraints(pattern=r"^https?://", max_length=500)]
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] | None = None


class TicketCreate(_Body):
    """A new ticket (工单): what, who, where."""

    request_type: RequestType = Field(
        description="诉求类型: enquiry 咨询, help 求助, complaint 投诉, report 举报, "
        "suggestion 建议, praise 表扬."
    )
    channel: RegisterChannel = Field(
        default="phone",
        description="受理渠道: phone 12345, web, mobile, window (办不成事窗口); citizens use web or mobile.",
    )
    category_code: CategoryCode | None = Field(
        default=None, description="Request category (诉求分类), see GET /v1/categories."
    )
    title: Short = Field(description="A short summary (标题).")
    description: Text = Field(description="What the caller asks for (诉求内容).")
    urgent: bool = Field(default=False, description="Urgent (紧急): the 2-hour limit applies.")
    complex: bool = Field(default=False, description="Complex (疑难复杂): the 15-day limit applies.")
    caller_name: Short | None = Field(default=None, description="The caller's name (诉求人姓名).")
    caller_phone: Phone | None = Field(default=None, description="The caller's phone (联系电话).")
    anonymous: bool = Field(default=False, description="Anonymous (匿名): the caller wants no call-back.")
    address: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = Field(
        default=None, description="Where it happens (地址)."
    )
    lat: float | None = Field(default=None, ge=-90, le=90, description="Latitude (WGS 84); with lon.")
    lon: float | None = Field(default=None, ge=-180, le=180, description="Longitude (WGS 84); with lat.")
    street_code: UnitCode | None = Field(default=None, description="Street (街道) code.")
    community_code: UnitCode | None = Field(
        default=None, description="Community (社区) code; implies its street."
    )
    attributes: dict[str, Any] = Field(
        default_factory=dict,
        description="Extra fields the category asks for, by attribute code (the category's `attributes`).",
    )
    attachments: list[AttachmentCreate] = Field(default_factory=list, max_length=20)
    auto_dispatch: bool = Field(default=True, description="Dispatch at once by the dispatch catalogue.")

    @model_validator(mode="after")
    def _coordinates_together(self) -> TicketCreate:
        if (self.lat is None) != (self.lon is None):
            raise TextError(
                "请同时填写纬度 lat 和经度 lon，或两项都不填。", "give both lat and lon, or neither"
            )
        return self


class ContactRead(BaseModel):
    """A caller kept informed of the ticket (诉求人)."""

    name: str | None
    phone: str | None = Field(description="Masked (138****5678) for handling units.")
    source_ticket_id: str = Field(
        description="The ticket this caller first called about (merged duplicates)."
    )


class AttachmentRead(BaseModel):
    """An attachment's metadata (附件)."""

    id: str
    file_name: str
    media_type: str
    size_bytes: int
    url: str


class DispatchRead(BaseModel):
    """One dispatch of the ticket (派单记录)."""

    unit_code: str
    role: DispatchRole = Field(description="lead 主办 or co 协办.")
    mode: DispatchMode = Field(description="rule (by the dispatch catalogue), manual, or reopen (重办).")
    dispatched_at: datetime
    dispute_deadline: datetime = Field(description="Until when the unit may dispute it (退单时限).")
    returned_at: datetime | None
    return_reason: str | None


class TicketRead(BaseModel):
    """A ticket (工单) as the caller may see it."""

    id: str
    number: str = Field(description="Ticket number (工单编号).")
    request_type: RequestType
    channel: Channel
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
    attributes: dict[str, Any] = Field(description="The category's extra fields, by attribute code.")
    status: TicketStatus = Field(description="Where the ticket is in its lifecycle (工单状态).")
    allowed_actions: list[TicketAction] = Field(description="What the lifecycle allows next.")
    close_reason: CloseReason | None
    close_note: str | None
    diversion_reason: DiversionReason | None
    merged_into_id: str | None
    merged_into_number: str | None
    kb_entry_id: str | None = Field(description="The knowledge-base entry an enquiry was answered with.")
    lead_unit_code: str | None = Field(description="Lead unit (主办单位).")
    co_unit_codes: list[str] = Field(description="Co-handling units (协办单位).")
    first_unit_code: str | None = Field(description="First receiving unit (首接单位): stays responsible.")
    coordination: bool = Field(description="Responsibility unclear: the district coordinates.")
    time_limit_rule: str | None = Field(description="Code of the time-limit rule applied (办理时限).")
    due_at: datetime | None
    response_due_at: datetime | None
    overdue: bool
    responded_at: datetime | None
    replied_at: datetime | None
    reply: str | None = Field(description="办理答复 (the primary ticket's, for a merged duplicate).")
    reopen_count: int
    created_at: datetime
    closed_at: datetime | None
    contacts: list[ContactRead]
    attachments: list[AttachmentRead]
    dispatches: list[DispatchRead]


class TicketPage(Page[TicketRead]):
    """A page of tickets."""


DuplicateReason = Literal["similar_text", "same_address", "same_caller", "same_category", "same_street"]


class DuplicateRead(BaseModel):
    """A likely duplicate of a ticket (疑似重复件): an unfinished ticket about the same thing."""

    id: str
    number: str = Field(description="Ticket number (工单编号).")
    title: str
    description: str
    request_type: RequestType
    category_code: str | None
    address: str | None
    street_code: str | None
    caller_name: str | None
    caller_phone: str | None
    status: TicketStatus
    lead_unit_code: str | None
    created_at: datetime
    due_at: datetime | None
    score: float = Field(ge=0, le=1, description="How alike (0–1): text overlap plus shared traits.")
    reasons: list[DuplicateReason] = Field(
        description="Why it matched: similar text, same address, caller, category or street."
    )


class DuplicatePage(Page[DuplicateRead]):
    """A page of likely duplicates, best first."""


class HistoryEntryRead(BaseModel):
    """One recorded action on a ticket (办事留痕)."""

    action: HistoryAction
    from_status: TicketStatus | None
    to_status: TicketStatus
    actor: str = Field(description="Who did it: an account, `system`, or `open311:<key holder>`.")
    actor_unit: str | None
    note: str | None
    data: dict[str, Any] = Field(
        description="The action's details, e.g. unit, co and mode of a dispatch; resolved and "
        "satisfaction of a call-back."
    )
    at: datetime


class HistoryEntryPage(Page[HistoryEntryRead]):
    """A page of a ticket's history, oldest first."""


class TicketDivert(_Body):
    """Divert (分流) a request that belongs elsewhere; closes the ticket."""

    reason: DiversionReason = Field(
        description="emergency (110/119/120/122), legal_channel (诉讼/仲裁/复议), repeat (重复诉求无新情况), "
        "outside_duties (非政府职责)."
    )
    note: Reason = Field(description="What the caller was told.")


class TicketMerge(_Body):
    """Merge this duplicate into another ticket; every caller is kept informed."""

    into_ticket_id: Id = Field(description="The ticket that carries on (主工单).")
    note: Reason | None = None


class TicketAnswer(_Body):
    """An enquiry answered on the spot from the knowledge base (当场答复)."""

    kb_entry_id: Id
    note: Reason | None = None


class TicketDispatch(_Body):
    """Dispatch manually, or by the dispatch catalogue when `unit_code` is omitted."""

    unit_code: UnitCode | None = Field(default=None, description="Lead unit (主办单位).")
    co_unit_codes: list[UnitCode] = Field(
        default_factory=list, max_length=10, description="Co-handling units (协办单位)."
    )
    category_code: CategoryCode | None = Field(default=None, description="Reclassify before dispatching.")
    complex: bool | None = None
    note: Reason | None = None


class TicketReturn(_Body):
    """Dispute a dispatch (退单/派单异议)."""

    reason: Reason = Field(description="Why the unit is not responsible; name the right one if known.")
    suggested_unit_code: UnitCode | None = None


class TicketRespond(_Body):
    """First contact with the caller (响应)."""

    note: Reason | None = None


class TicketReply(_Body):
    """The unit's reply (办理答复)."""

    reply: Text


class TicketCallBack(_Body):
    """A call-back (回访): resolved? satisfied?"""

    resolved: bool = Field(description="Resolved (解决).")
    satisfaction: Satisfaction = Field(description="满意 satisfied / 基本满意 basically / 不满意 not.")
    note: Reason | None = None


class TicketReopen(_Body):
    """Reopen (重办) an unresolved or unsatisfied ticket."""

    reason: Reason


class TicketClose(_Body):
    """Close after a call-back (办结)."""

    note: Reason | None = None


class TicketExtend(_Body):
    """Extend the time limit (延期) with a reason."""

    amount: int = Field(ge=1, le=365)
    unit: LimitUnit
    reason: Reason


# --- reference data ---------------------------------------------------------------------------


class CategoryRead(BaseModel):
    """A request category (诉求分类)."""

    code: str
    name: str
    description: str
    group_name: str
    time_limit_rule: str | None = Field(description="Code of its time-limit rule, if not the general one.")
    attributes: list[Open311AttributeRead] = Field(
        description="Extra fields a ticket of this category carries, as Open311 service attributes."
    )


class CategoryPage(Page[CategoryRead]):
    """A page of request categories."""


class _DispatchRuleFields(_Body):
    category_code: CategoryCode
    area_code: UnitCode = Field(description="Street or community code, or * for anywhere.")
    lead_unit_code: UnitCode = Field(description="Lead unit (主办单位).")
    co_unit_codes: list[UnitCode] = Field(
        default_factory=list, max_length=10, description="Co-handling units (协办单位)."
    )


class DispatchRuleCreate(_DispatchRuleFields):
    """A new dispatch-catalogue rule (派单目录): category × area → lead unit and co-handlers."""


class DispatchRuleUpdate(_DispatchRuleFields):
    """A dispatch-catalogue rule's new content (replaces all of it)."""


class DispatchRuleRead(BaseModel):
    """A stored dispatch rule."""

    id: str
    category_code: str
    area_code: str = Field(description="Street or community code, or * for anywhere.")
    lead_unit_code: str
    co_unit_codes: list[str]
    updated_at: datetime


class DispatchRulePage(Page[DispatchRuleRead]):
    """A page of the dispatch catalogue, by category and area."""


class TimeLimitRuleUpdate(_Body):
    """A time-limit rule's new value (办理时限)."""

    name: Short | None = None
    amount: int = Field(ge=1, le=365)
    unit: LimitUnit


class TimeLimitRuleRead(BaseModel):
    """A time-limit rule (办理时限规则)."""

    code: str
    name: str
    amount: int
    unit: LimitUnit


class TimeLimitRulePage(Page[TimeLimitRuleRead]):
    """A page of time-limit rules, shortest first."""


# --- indicators -------------------------------------------------------------------------------


class UnitRatesRead(BaseModel):
    """The three rates (三率) of one unit (or street) in one month, and the composite score."""

    unit_code: str
    month: str = Field(description="YYYY-MM, Beijing time.")
    responses_due: int
    responded_on_time: int
    called_back: int
    resolved: int
    satisfied: int
    basically_satisfied: int
    response_rate: float | None = Field(description="响应率, percent; null with nothing due.")
    resolution_rate: float | None = Field(description="解决率, percent; null without call-backs.")
    satisfaction_rate: float | None = Field(description="满意率, percent; null without call-backs.")
    composite: float | None = Field(description="综合得分 (weights 10/45/45 by default).")
    rank: int | None = Field(default=None, description="Place in a ranking (排名); null in /rates.")


class UnitRatesPage(Page[UnitRatesRead]):
    """A page of units' rates, by unit code."""


class RateWeightsRead(BaseModel):
    """The weights of the composite score (综合得分权重)."""

    response: float
    resolution: float
    satisfaction: float


class RankingPage(Page[UnitRatesRead]):
    """A page of a monthly ranking (排名) of streets or departments, best composite first."""

    month: str = Field(description="YYYY-MM, Beijing time.")
    kind: RankingKind
    weights: RateWeightsRead


# --- knowledge base ---------------------------------------------------------------------------


class _KbDraftFields(_Body):
    question: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=500)]
    answer: Text
    keywords: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]] = (
        Field(default_factory=list, max_length=30)
    )
    item_codes: list[Annotated[str, StringConstraints(min_length=1, max_length=50)]] = Field(
        default_factory=list, max_length=20, description="Linked catalog items (实施编码)."
    )
    owner_unit_code: UnitCode | None = Field(default=None, description="Unit that keeps it current.")
    review_on: date | None = Field(default=None, description="Next review date (复核日期).")
    expires_on: date | None = Field(default=None, description="Withdrawn automatically after this day.")

    @model_validator(mode="after")
    def _dates(self) -> _KbDraftFields:
        if self.review_on and self.expires_on and self.review_on > self.expires_on:
            raise TextError(
                "复核日期 review_on 不能晚于失效日期 expires_on，请修改其中一项。",
                "review_on must not be after expires_on",
            )
        return self


class KbEntryCreate(_KbDraftFields):
    """A new knowledge-base entry (知识库条目): its first draft."""


class KbDraftUpdate(_KbDraftFields):
    """The content of an entry's open draft, or of a new version after the published one."""


class KbEntryReview(_Body):
    """A reviewer's decision note (审核意见)."""

    note: Reason | None = None


class KbEntryWithdraw(_Body):
    """Why a published entry is withdrawn (撤下)."""

    note: Reason | None = None


class KbVersionRead(BaseModel):
    """One version of a knowledge-base entry."""

    version_no: int
    status: KbVersionStatus
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


class KbEntryRead(BaseModel):
    """A knowledge-base entry (知识库条目) with its published and latest versions."""

    id: str
    source: KbSource = Field(description="manual, or catalog (from a published catalog item).")
    catalog_item_code: str | None
    owner_unit_code: str
    status: KbEntryStatus
    published_version_no: int | None
    usage_count: int
    last_used_at: datetime | None
    published: KbVersionRead | None
    latest: KbVersionRead


class KbHitRead(BaseModel):
    """A search hit: a published entry and how well it matches."""

    id: str
    question: str
    answer: str
    item_codes: list[str]
    owner_unit_code: str
    score: float
    usage_count: int


class KbHitPage(Page[KbHitRead]):
    """Search results (检索结果), best first."""

    query: str = Field(description="The question searched for, as sent.")


class KbUsageRead(BaseModel):
    """How often an entry answered enquiries (使用统计)."""

    id: str
    question: str
    usage_count: int = Field(description="Uses since the entry was created.")
    used_in_period: int = Field(description="Uses in the days asked for (from/to).")
    last_used_at: datetime | None


class KbUsagePage(Page[KbUsageRead]):
    """A page of entries used in the period, most used first."""


# --- Open311 api keys -------------------------------------------------------------------------


class Open311KeyCreate(_Body):
    """A new Open311 api key's holder."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] = Field(
        description="Who the key is for (the integrator)."
    )


class Open311KeyRead(BaseModel):
    """An Open311 api key issued to an integrator."""

    id: str
    name: str
    active: bool
    created_at: datetime
    api_key: str | None = Field(
        default=None,
        description="The key itself: only in the answer that issued it (only its hash is stored).",
    )
