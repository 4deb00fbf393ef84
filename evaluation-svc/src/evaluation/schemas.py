"""Request and response models of evaluation-svc's API.

Names follow docs/api.md: a response body is `<Thing>Read`, a page of them `<Thing>Page`, a request
body `<Thing>Create`, `<Thing>Update` or `<Thing><Action>`. Every closed set of values is an enum,
so generated clients get it as a type and an unknown value is a 422 listing the allowed ones.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import IntEnum, StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from yiwang_shared.i18n import TextError
from yiwang_shared.pagination import Page

#: A ranking rule's name as it appears in its path: lower-case letters, digits and underscores.
RULE_NAME_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"


class Dimension(StrEnum):
    """What indicators are kept per (指标维度): an organisation unit, a window, a staff member, an item."""

    UNIT = "unit"
    WINDOW = "window"
    STAFF = "staff"
    ITEM = "item"


class IndicatorName(StrEnum):
    """The published indicators (指标), in report order; `INDICATORS` says how each is computed."""

    RATINGS = "ratings"
    RATED_SHARE = "rated_share"
    GOOD_RATE = "good_rate"
    BAD_REVIEWS = "bad_reviews"
    RECTIFICATION_RATE = "rectification_rate"
    CALLBACK_RATE = "callback_rate"
    RECTIFICATION_SATISFACTION = "rectification_satisfaction"
    HOTLINE_RESPONSE_RATE = "hotline_response_rate"
    HOTLINE_RESOLUTION_RATE = "hotline_resolution_rate"
    HOTLINE_SATISFACTION_RATE = "hotline_satisfaction_rate"
    ON_THE_SPOT_SHARE = "on_the_spot_share"
    LIMIT_COMPRESSION = "limit_compression"
    AVG_VISITS = "avg_visits"
    ONLINE_INTAKE_SHARE = "online_intake_share"
    AVG_COMPLETION_DAYS = "avg_completion_days"
    ZERO_VISIT_SHARE = "zero_visit_share"
    CONVERSION = "conversion"


class Channel(StrEnum):
    """Where a rating was given (评价渠道)."""

    PC = "pc"
    MOBILE = "mobile"
    QR = "qr"
    DEVICE = "device"
    PHONE = "phone"
    SMS = "sms"


class RatingLevel(IntEnum):
    """A rating level (评价等级): 1 非常满意, 2 满意, 3 基本满意, 4 不满意, 5 非常不满意 (4–5: 差评)."""

    VERY_SATISFIED = 1
    SATISFIED = 2
    BASICALLY_SATISFIED = 3
    DISSATISFIED = 4
    VERY_DISSATISFIED = 5


class ServiceKind(StrEnum):
    """What was served (服务类型): an application 办件, a hotline ticket 工单, a window visit 窗口服务."""

    APPLICATION = "application"
    TICKET = "ticket"
    VISIT = "visit"


class BadReviewStatus(StrEnum):
    """Where a bad-review case stands (差评办理状态); `superseded`: closed because the person served
    rated the service themselves (本人评价取代); `withdrawn`: closed because the evaluation office
    found its rating forged (刷评)."""

    OPEN = "open"
    CALLED_BACK = "called_back"
    RECTIFYING = "rectifying"
    RECTIFIED = "rectified"
    EXPLAINED = "explained"
    APPEALED = "appealed"
    APPEAL_UPHELD = "appeal_upheld"
    ANSWERED = "answered"
    CLOSED = "closed"
    SUPERSEDED = "superseded"
    WITHDRAWN = "withdrawn"


class BadReviewResolution(StrEnum):
    """How the unit resolves a bad review (处理方式): rectify 整改, explain 解释说明, appeal 申诉."""

    RECTIFY = "rectify"
    EXPLAIN = "explain"
    APPEAL = "appeal"


class AppealOutcome(StrEnum):
    """A reviewer's decision on an appeal (申诉复核结果)."""

    UPHELD = "upheld"
    REJECTED = "rejected"


class BadReviewAction(StrEnum):
    """A recorded step of a bad-review case (办理留痕)."""

    OPENED = "opened"
    CALL_BACK_REQUESTED = "call_back_requested"
    CALL_BACK = "call_back"
    CALL_BACK_FAILED = "call_back_failed"
    RECTIFY = "rectify"
    RECTIFY_PLANNED = "rectify_planned"
    RECTIFICATION_DONE = "rectification_done"
    EXPLAIN = "explain"
    APPEAL = "appeal"
    APPEAL_UPHELD = "appeal_upheld"
    APPEAL_REJECTED = "appeal_rejected"
    FEEDBACK = "feedback"
    CLOSED = "closed"
    TRANSFERRED = "transferred"
    OVERDUE = "overdue"
    RESPONSE_RATED = "response_rated"
    SUPERSEDED = "superseded"
    WITHDRAWN = "withdrawn"


class MonthlyReportFormat(StrEnum):
    """The form of a monthly report: JSON, CSV (UTF-8 with BOM) or an XLSX workbook."""

    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


class ReportBy(StrEnum):
    """What a report's rows are: `unit` the unit and its windows (or every unit), `item` per item."""

    UNIT = "unit"
    ITEM = "item"


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# --- service events, rating codes, ratings, guide views ---


class ServiceEventRead(BaseModel):
    """A rateable service event (服务事件): what a person was served with, rated once."""

    id: str
    kind: ServiceKind = Field(description="What was served: application 办件, ticket 工单, visit 窗口服务.")
    source_id: str = Field(description="The application, ticket or visit id.")
    reference_no: str | None = Field(description="The application or ticket number people read.")
    item_code: str | None = Field(description="The item served (事项编码), if any.")
    item_name: str | None = Field(description="The item's name (事项名称).")
    unit_code: str = Field(description="The unit that did the work (责任单位).")
    window_code: str | None = Field(description="The window that served (窗口), if any.")
    staff_id: str | None = Field(description="The staff member who served (工作人员), if known.")
    served_at: datetime
    rateable_until: datetime = Field(description="The end of the rating period (评价期限).")
    month: str = Field(description="The reporting month (统计月份), YYYY-MM, of the service.")
    rated: bool | None = Field(
        description="Already rated (已评价), for the person served and the evaluation office; null for the "
        "staff of the unit that served (which of its services were rated would point at the rater)."
    )
    rating_id: str | None = Field(
        default=None, description="The rating's id, when the caller gave it (own ratings only)."
    )
    rating_level: RatingLevel | None = Field(
        default=None, description="The level the caller gave (评价等级), when the caller gave the rating."
    )


class ServiceEventPage(Page[ServiceEventRead]):
    """A page of service events."""


class WindowVisitCreate(_In):
    """A window visit (窗口服务) to be rated at the counter's rating pad (评价器), which fetches its code."""

    item_code: str | None = Field(default=None, max_length=50, description="The item served (事项编码).")
    item_name: str | None = Field(default=None, max_length=200, description="The item's name.")
    unit_code: str | None = Field(
        default=None,
        max_length=64,
        description="The unit answering for the visit (责任单位): the clerk's window or the unit it belongs "
        "to (the default); any other is a 403.",
    )
    served_subject: str | None = Field(
        default=None,
        max_length=64,
        description="The visitor's account, if known: they may then rate by login, which supersedes "
        "a rating given at the pad.",
    )


class RatingDeviceCreate(_In):
    """A rating pad (评价器) the evaluation office installs at a window."""

    window_code: str = Field(
        min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$", description="Its window (窗口)."
    )
    label: str | None = Field(default=None, max_length=100, description="Where it is, e.g. 3号窗口台面.")


class RatingDeviceRead(BaseModel):
    """A registered rating pad (评价器); its secret is never shown again."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    window_code: str = Field(description="The window (窗口) whose visits it rates.")
    label: str | None
    registered_by: str = Field(description="The evaluator who registered it.")
    registered_at: datetime
    retired_at: datetime | None = Field(description="When it was retired (停用); a retired pad gets no code.")
    last_used_at: datetime | None = Field(description="When it last fetched a rating code.")


class RatingDeviceSecretRead(BaseModel):
    """A new rating pad with its secret (设备密钥), shown only this once: enter it into the pad."""

    device: RatingDeviceRead
    secret: str = Field(description="The pad's secret; only its hash is kept, so it cannot be shown again.")


class RatingDevicePage(Page[RatingDeviceRead]):
    """A page of rating pads."""


class RatingCodeCreate(_In):
    """A rating pad asks for the code of its window's latest visit, with its secret."""

    secret: str = Field(min_length=1, max_length=100, description="The pad's secret (设备密钥).")
    service_event_id: str | None = Field(
        default=None,
        max_length=36,
        description="The visit to rate, when the window's terminal tells the pad (a visit of the pad's "
        "window, recent and not yet rated); omitted: the window's latest such visit.",
    )


class RatingCodeRead(BaseModel):
    """The one-time rating code (评价码) of the window's latest visit, for the person at the counter."""

    service_event_id: str = Field(description="The visit (窗口服务) to rate.")
    window_code: str
    item_name: str | None = Field(description="The item served (事项名称), shown on the pad.")
    served_at: datetime
    rateable_until: datetime = Field(description="The end of the rating period (评价期限).")
    rating_code: str = Field(description="10 characters, used once; only its hash is kept.")
    rating_path: str = Field(
        description="The portal's page for this code, `/rate/<code>`: what the pad shows as a QR code "
        "(after the portal's origin), where the visitor rates without logging in."
    )


class RatingCodeServiceRead(BaseModel):
    """What a one-time rating code rates (评价码对应的服务), for whoever holds the code: shown before
    rating with it (no login). Nothing about the person served or the staff member."""

    service_event_id: str = Field(description="The service to rate with the code.")
    kind: ServiceKind
    item_name: str | None = Field(description="The item served (事项名称).")
    unit_code: str = Field(description="The unit that did the work (责任单位).")
    window_code: str | None = Field(description="The window that served (窗口), if any.")
    served_at: datetime
    rateable_until: datetime = Field(description="The end of the rating period (评价期限).")


class RatingFlagStatus(StrEnum):
    """Where a burst flag stands (疑似刷评核定): open 待核定, cleared 确认真实, rejected 核定为刷评."""

    OPEN = "open"
    CLEARED = "cleared"
    REJECTED = "rejected"


class RatingFlagRead(BaseModel):
    """A burst of ratings on the window visits one clerk registered (疑似刷评), for the evaluation office.

    While open, its ratings are held out of every ranking (红旗窗口, 服务之星); the indicators still
    count them until the office finds them forged.
    """

    id: str
    staff_id: str = Field(description="The clerk who registered the visits (登记人).")
    staff_name: str | None = Field(description="The clerk's name, where evaluation knows it.")
    unit_code: str
    status: RatingFlagStatus
    first_at: datetime = Field(description="The first rating of the burst.")
    last_at: datetime = Field(description="The latest rating added to it.")
    ratings: int = Field(description="How many ratings it holds.")
    rating_ids: list[str] = Field(description="The ratings flagged.")
    decided_by: str | None
    decided_at: datetime | None
    note: str | None = Field(description="The office's note on its decision.")


class RatingFlagPage(Page[RatingFlagRead]):
    """A page of burst flags, newest first."""


class RatingFlagUpdate(_In):
    """The evaluation office's decision on a burst flag (核定)."""

    genuine: bool = Field(
        description="True: the ratings are real and count in the rankings again; false: forged (刷评), "
        "they leave the indicators (kept, never deleted) and their bad-review cases close as withdrawn."
    )
    note: str = Field(min_length=1, max_length=2000)


class RatingCreate(_In):
    """A rating (好差评) of one service event."""

    level: RatingLevel = Field(
        description="评价等级: 1 非常满意, 2 满意, 3 基本满意, 4 不满意, 5 非常不满意; "
        "4–5 open a bad-review case."
    )
    channel: Channel = Field(
        description="评价渠道: pc, mobile, qr (二维码), device (评价器/平板), phone, sms."
    )
    aspects: list[str] = Field(
        default_factory=list, max_length=10, description="评价维度 (aspects rated), e.g. 服务态度."
    )
    comment: str | None = Field(default=None, max_length=1000, description="文字评价 (free-text comment).")
    code: str | None = Field(
        default=None,
        max_length=20,
        description="The one-time rating code (评价码) from the window's rating pad, when not rating by "
        "login; the served person's own rating by login supersedes a rating given with a code.",
    )

    @field_validator("aspects")
    @classmethod
    def _short_aspects(cls, v: list[str]) -> list[str]:
        if any(not a.strip() or len(a) > 30 for a in v):
            raise TextError("每个评价维度应为 1–30 个字符。", "Each aspect must be 1–30 characters.")
        return v


class RatingRead(BaseModel):
    """A rating as its rater, the evaluation office or the unit rated sees it (never who rated)."""

    id: str
    service_event_id: str | None = Field(
        description="The service rated (服务事件): for the rater and the evaluation office only; null for "
        "the unit rated, which must have no path from a rating to the person it served."
    )
    level: RatingLevel
    channel: Channel
    aspects: list[str]
    comment: str | None
    item_code: str | None
    unit_code: str
    window_code: str | None
    staff_id: str | None
    real_name: bool = Field(description="Rated by a logged-in person (实名), not with an anonymous code.")
    month: str = Field(description="The reporting month (统计月份), YYYY-MM, of the service rated.")
    excluded: bool = Field(
        description="Out of the indicators (never deleted): an upheld appeal, superseded by the served "
        "person's own rating, or found forged by the evaluation office."
    )
    superseded_at: datetime | None = Field(
        default=None, description="When the served person's own rating replaced it (本人评价取代)."
    )
    held: bool = Field(
        default=False,
        description="Held out of the rankings while the evaluation office checks a burst (疑似刷评).",
    )
    submitted_at: datetime


class RatingPage(Page[RatingRead]):
    """A page of ratings."""


class GuideViewCreate(_In):
    """A citizen viewed an item's guide (办事指南), for the conversion indicator.

    The time is the server's: a body naming `viewed_at` (or any other field) is refused.
    """

    item_code: str = Field(min_length=1, max_length=50, description="The item whose guide was viewed.")


class GuideViewRead(BaseModel):
    """A guide view as recorded."""

    item_code: str
    month: str = Field(description="The reporting month (统计月份) it counts in, YYYY-MM.")
    viewed_at: datetime = Field(description="When the server received it.")
    counted: bool = Field(
        description="Counted in the conversion indicator: the first view of this item by this client "
        "(the account, else the address) this day (Asia/Shanghai); later ones are not counted."
    )


# --- bad-review cases ---


class BadReviewCallBack(_In):
    """A call-back to the rater (回访)."""

    reached: bool = Field(description="The rater was reached and heard (a failed attempt is recorded too).")
    note: str = Field(min_length=1, max_length=2000)


class BadReviewCallBackRequest(_In):
    """The unit's request that the evaluation office call the rater back (申请回访)."""

    note: str = Field(
        min_length=1, max_length=2000, description="What the office should ask or tell the rater."
    )


class BadReviewRectify(_In):
    """Rectify now, or by a date (整改)."""

    due_on: date | None = Field(default=None, description="Null: rectified now; else the promised date.")
    note: str = Field(min_length=1, max_length=2000)


class _StepNote(_In):
    note: str = Field(min_length=1, max_length=2000)


class BadReviewRectificationDone(_StepNote):
    """A promised rectification is complete (整改完成)."""


class BadReviewExplain(_StepNote):
    """Why the request had no legal basis (解释说明)."""


class BadReviewAppeal(_StepNote):
    """Why the rating is mistaken or malicious (申诉理由)."""


class BadReviewTransfer(_StepNote):
    """Why the case goes to the hotline as a ticket (转办原因)."""


class BadReviewAppealDecision(_In):
    """A reviewer's decision on an appeal (申诉复核)."""

    upheld: bool = Field(description="True: the rating leaves the indicators (it is never deleted).")
    note: str = Field(min_length=1, max_length=2000)


class BadReviewFeedback(_In):
    """Feedback to the rater (反馈), in Chinese: what was done."""

    text: str = Field(min_length=1, max_length=2000)


class BadReviewStepRead(BaseModel):
    """One recorded step of a case."""

    action: BadReviewAction
    actor: str | None = Field(description="The staff member who took it; null for the system or the rater.")
    note: str | None
    at: datetime


class BadReviewRead(BaseModel):
    """A bad-review case (差评件); the unit rated sees the rater only by a random pseudonym and gets
    no link to the service rated (no application, ticket or visit id)."""

    id: str
    rating_id: str
    unit_code: str = Field(description="The unit that handles it (the one that did the work).")
    status: BadReviewStatus
    level: RatingLevel
    comment: str | None = Field(description="The rater's comment.")
    rater: str = Field(
        description="The rater (评价人): to the unit rated only a pseudonym drawn at random for this rating "
        "(e.g. 实名用户 #3F9A1C2B, 匿名用户 #07B2E4D1), nothing derived from the account; the account id "
        "only for the evaluation office (evaluators, supervisors, administrators), who call back."
    )
    real_name: bool = Field(description="A real-name bad review: it must be called back (100% 回访).")
    deadline_at: datetime = Field(
        description="The deadline the overdue flag is judged against: the default working-day one, "
        "or the end of a later promised rectification date (rectify_due_on)."
    )
    overdue: bool
    called_back_at: datetime | None
    resolution: BadReviewResolution | None
    rectify_due_on: date | None
    rectified_at: datetime | None
    appeal_reason: str | None
    appeal_decision: AppealOutcome | None
    feedback: str | None = Field(description="What the rater was told (反馈).")
    response_level: RatingLevel | None = Field(description="The rater's rating of the handling, once given.")
    transferred_at: datetime | None
    opened_at: datetime
    closed_at: datetime | None
    steps: list[BadReviewStepRead] = Field(description="Every step, oldest first.")


class BadReviewPage(Page[BadReviewRead]):
    """A page of bad-review cases."""


#: The steps whose notes the rater reads (what was done for them); call-back and appeal notes are
#: the office's and the unit's own.
RATER_VISIBLE_NOTES = frozenset({"rectify", "rectify_planned", "rectification_done", "explain", "feedback"})


class BadReviewOwnStepRead(BaseModel):
    """One step of the rater's case as the rater sees it: no staff member named."""

    action: BadReviewAction
    note: str | None = Field(
        description="What was done (rectification, explanation, feedback); null for the office's and "
        "the unit's own notes (call-backs, appeals)."
    )
    at: datetime


class BadReviewOwnRead(BaseModel):
    """A bad-review case as its rater follows it (我的差评整改): how it is handled and by when, the
    feedback, and the rating of the handling once given."""

    id: str
    rating_id: str
    status: BadReviewStatus
    level: RatingLevel
    deadline_at: datetime
    overdue: bool
    called_back_at: datetime | None
    resolution: BadReviewResolution | None
    rectify_due_on: date | None
    rectified_at: datetime | None
    appeal_decision: AppealOutcome | None
    feedback: str | None = Field(description="What the rater was told (反馈).")
    response_level: RatingLevel | None = Field(
        description="The rater's rating of the handling (once, after the feedback)."
    )
    opened_at: datetime
    closed_at: datetime | None
    steps: list[BadReviewOwnStepRead] = Field(description="Every step, oldest first.")


class BadReviewOwnPage(Page[BadReviewOwnRead]):
    """A page of the caller's own bad-review cases."""


class ResponseRatingCreate(_In):
    """The rater's rating of how their bad review was handled (整改满意度)."""

    level: RatingLevel = Field(description="1 非常满意 … 5 非常不满意.")


class ResponseRatingRead(BaseModel):
    """The rater's rating of the handling, as recorded on the case."""

    case_id: str
    response_level: RatingLevel
    status: BadReviewStatus


# --- indicators, rankings, reports ---


_RATE = " A share 0–1, rounded to 4 places; null when its base is zero."


class IndicatorValues(BaseModel):
    """Every published indicator (指标) of one unit, window, staff member, item or the district."""

    ratings: int = Field(description="评价数: ratings (upheld appeals excluded).")
    rated_share: float | None = Field(
        description="主动评价率: ratings / services, both of the month." + _RATE
    )
    good_rate: float | None = Field(description="好评率: levels 1–2 / ratings." + _RATE)
    bad_reviews: int = Field(description="差评数: ratings of level 4–5.")
    rectification_rate: float | None = Field(description="差评整改率: rectified / bad reviews." + _RATE)
    callback_rate: float | None = Field(description="差评回访率: called back / bad reviews." + _RATE)
    rectification_satisfaction: float | None = Field(
        description="差评整改满意率: the raters' second ratings of level 1–2 / second ratings." + _RATE
    )
    hotline_response_rate: float | None = Field(
        description="响应率 (12345): response obligations answered by their deadline / obligations due "
        "(answered, or past the deadline), in the month of the deadline — the figure hotline-svc's "
        "/v1/rates shows (docs/indicators.md)." + _RATE
    )
    hotline_resolution_rate: float | None = Field(
        description="解决率 (12345): resolved / called back." + _RATE
    )
    hotline_satisfaction_rate: float | None = Field(
        description="满意率 (12345): satisfied / called back (基本满意 not counted)." + _RATE
    )
    on_the_spot_share: float | None = Field(
        description="即办件占比: on-the-spot items (即办件) / completed applications." + _RATE
    )
    limit_compression: float | None = Field(
        description="承诺时限压缩比: 1 − promised / legal time limit (days)." + _RATE
    )
    avg_visits: float | None = Field(
        description="平均跑动次数: visits per completed application, a window pickup after completion "
        "included (month of completion); null without any."
    )
    online_intake_share: float | None = Field(
        description="网上受理率: online first submissions / first submissions." + _RATE
    )
    avg_completion_days: float | None = Field(
        description="平均办结时间: working days per completed application; null without any."
    )
    zero_visit_share: float | None = Field(
        description="零跑动占比: completed with no visit, delivery included / completed." + _RATE
    )
    conversion: float | None = Field(
        description="办事指南转化率: first submissions / counted guide views (one per client, item and "
        "day; per item only)." + _RATE
    )


_COUNTERS = (
    "The counters the indicators are derived from (计数), by name: services, ratings, ratings_good, "
    "ratings_bad, ratings_excluded, bad_called_back, bad_rectified, bad_explained, responses_rated, "
    "responses_satisfied, response_due, responded_on_time, tickets_called_back, tickets_resolved, "
    "tickets_satisfied, completed, on_the_spot, promised_limit_sum, legal_limit_sum, visits_sum, "
    "zero_visit, completion_days_sum, completion_timed, applied, online_applied, guide_views. "
    "A counter never moved is absent (0)."
)


class IndicatorRead(BaseModel):
    """The indicators of one unit, window, staff member or item in one month."""

    dimension: Dimension
    key: str = Field(description="The unit or window code, the staff member's id or the item code.")
    name: str | None = Field(description="Its name (units and windows from identity, items from catalog).")
    month: str = Field(description="YYYY-MM.")
    indicators: IndicatorValues
    counters: dict[str, int] = Field(description=_COUNTERS)


class IndicatorPage(Page[IndicatorRead]):
    """A page of indicators, one entry per key, in key order."""


class PublicUnitIndicatorsRead(BaseModel):
    """One unit's published indicators."""

    key: str = Field(description="The unit code.")
    name: str | None = Field(description="The unit's name.")
    indicators: IndicatorValues


class PublicIndicatorsRead(BaseModel):
    """The published figures of a month (公开): the district and each unit, rates only."""

    month: str = Field(description="YYYY-MM.")
    district: IndicatorValues = Field(description="The whole district (全区).")
    units: list[PublicUnitIndicatorsRead] = Field(description="Every unit with figures, in code order.")


class ReportRowRead(BaseModel):
    """One row of a monthly report: the whole first, then its parts."""

    key: str = Field(description="A unit, window or item code; 全区合计 or 合计 for the whole.")
    name: str | None
    indicators: IndicatorValues
    counters: dict[str, int] = Field(description=_COUNTERS)


class MonthlyReportRead(BaseModel):
    """A monthly report (月度报表) as JSON; the same rows as the CSV and XLSX forms."""

    title: str
    month: str = Field(description="YYYY-MM.")
    by: ReportBy
    unit: str | None = Field(description="The unit reported on; null for the district.")
    rows: list[ReportRowRead] = Field(
        description="The whole (the district or the unit) first, then each unit, window or item."
    )


class RankingRuleUpdate(_In):
    """A ranking rule (排名规则: 红旗窗口, 服务之星, …), created or replaced whole."""

    title: str = Field(min_length=1, max_length=100, description="Its Chinese title, e.g. 红旗窗口.")
    dimension: Dimension = Field(description="What is ranked.")
    indicator: IndicatorName = Field(description="The indicator ranked on, best (highest) first.")
    # Bounded so a stored value fits the database's integer column (PostgreSQL refuses more).
    min_ratings: int = Field(ge=0, le=1_000_000, description="Fewest ratings in the month to take part.")
    min_value: float | None = Field(
        default=None, ge=-1e9, le=1e9, allow_inf_nan=False, description="Lowest indicator value to take part."
    )
    max_bad_reviews: int | None = Field(
        default=None, ge=0, le=1_000_000, description="Most bad reviews allowed."
    )
    top_n: int = Field(ge=1, le=100, description="How many are ranked (the award's places).")


class RankingRuleRead(BaseModel):
    """A stored ranking rule."""

    model_config = ConfigDict(from_attributes=True)

    name: str = Field(description="Its name in paths, e.g. red_flag_window, service_star.")
    title: str
    dimension: Dimension
    indicator: IndicatorName
    min_ratings: int
    min_value: float | None
    max_bad_reviews: int | None
    top_n: int


class RankingRulePage(Page[RankingRuleRead]):
    """A page of ranking rules, by name."""


class RankingRowRead(BaseModel):
    """One place in a ranking."""

    rank: int = Field(ge=1)
    key: str = Field(
        description="The window or unit code, the item code, or for staff their account id — shown "
        "only to evaluators, supervisors and administrators; to anyone else the place (S1, S2, …)."
    )
    name: str | None = Field(
        description="Its name, where evaluation knows it (units, windows, items, staff members)."
    )
    value: float = Field(description="The rule's indicator.")
    ratings: int = Field(description="Ratings in the month.")


class RankingRead(BaseModel):
    """A ranking (红旗窗口, 服务之星, …) of one month under its rule: at most the rule's top_n places."""

    rule: RankingRuleRead
    month: str = Field(description="YYYY-MM.")
    rows: list[RankingRowRead] = Field(description="Best first.")
