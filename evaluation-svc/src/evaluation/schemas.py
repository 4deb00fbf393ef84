"""Request and response models of evaluation-svc's API."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Channel = Literal["pc", "mobile", "qr", "device", "phone", "sms"]
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RatingCreate(_In):
    """A rating (好差评) of one service event."""

    level: int = Field(
        ge=1, le=5, description="评价等级: 1 非常满意, 2 满意, 3 基本满意, 4 不满意, 5 非常不满意."
    )
    channel: Channel = Field(
        description="评价渠道: pc, mobile, qr (二维码), device (评价器/平板), phone, sms."
    )
    aspects: list[str] = Field(default_factory=list, max_length=10, description="评价维度, e.g. 服务态度.")
    comment: str | None = Field(default=None, max_length=1000, description="文字评价.")
    code: str | None = Field(default=None, max_length=20, description="One-time rating code (评价码).")

    @field_validator("aspects")
    @classmethod
    def _short_aspects(cls, v: list[str]) -> list[str]:
        if any(not a.strip() or len(a) > 30 for a in v):
            raise ValueError("each aspect must be 1–30 characters")
        return v


class RatingRead(BaseModel):
    """A rating as its rater or a reviewer sees it."""

    id: str
    service_event_id: str
    level: int
    channel: str
    aspects: list[str]
    comment: str | None
    item_code: str | None
    unit_code: str
    window_code: str | None
    staff_id: str | None
    real_name: bool
    month: str
    excluded: bool = Field(description="Excluded from indicators by an upheld appeal (never deleted).")
    submitted_at: datetime


class ServiceEventRead(BaseModel):
    """A rateable service event (服务事件)."""

    id: str
    kind: str = Field(description="application 办件, ticket 工单, visit 窗口服务.")
    source_id: str
    reference_no: str | None
    item_code: str | None
    item_name: str | None
    unit_code: str
    window_code: str | None
    staff_id: str | None
    served_at: datetime
    rateable_until: datetime
    month: str


class WindowVisitCreate(_In):
    """A window visit (窗口服务) to be rated at the counter's rating device."""

    item_code: str | None = Field(default=None, max_length=50)
    item_name: str | None = Field(default=None, max_length=200)
    unit_code: str | None = Field(default=None, max_length=64, description="Defaults to the clerk's unit.")
    served_subject: str | None = Field(
        default=None, max_length=64, description="The visitor's account, if known."
    )


class IssuedCode(BaseModel):
    """A service event with a fresh one-time rating code (shown once)."""

    service_event: ServiceEventRead
    rating_code: str


class CallBack(_In):
    """A call-back to the rater (回访)."""

    reached: bool = Field(description="The rater was reached and heard.")
    note: str = Field(min_length=1, max_length=2000)


class Rectify(_In):
    """Rectify now, or by a date (整改)."""

    due_on: date | None = Field(default=None, description="Null: rectified now; else the promised date.")
    note: str = Field(min_length=1, max_length=2000)


class Note(_In):
    """A free-text step note."""

    note: str = Field(min_length=1, max_length=2000)


class AppealDecision(_In):
    """A reviewer's decision on an appeal (申诉复核)."""

    upheld: bool
    note: str = Field(min_length=1, max_length=2000)


class Feedback(_In):
    """Feedback to the rater (反馈), in Chinese."""

    text: str = Field(min_length=1, max_length=2000)


class ResponseRating(_In):
    """The rater's rating of how the bad review was handled."""

    level: int = Field(ge=1, le=5)


class CaseStepRead(BaseModel):
    """One recorded step."""

    action: str
    actor: str | None
    note: str | None
    at: datetime


class CaseRead(BaseModel):
    """A bad-review case; the rater appears masked to the unit rated."""

    id: str
    rating_id: str
    unit_code: str
    status: str
    level: int
    comment: str | None
    rater: str = Field(description="The rater: masked (e.g. 实名用户 ab***yz) except for reviewers.")
    real_name: bool
    deadline_at: datetime = Field(
        description="The deadline the overdue flag is judged against: the default working-day one, "
        "or the end of a later promised rectification date (rectify_due_on)."
    )
    overdue: bool
    called_back_at: datetime | None
    resolution: str | None
    rectify_due_on: date | None
    rectified_at: datetime | None
    appeal_reason: str | None
    appeal_decision: str | None
    feedback: str | None
    response_level: int | None
    transferred_at: datetime | None
    opened_at: datetime
    closed_at: datetime | None
    steps: list[CaseStepRead]


class GuideView(_In):
    """A citizen viewed an item's guide (办事指南), for the conversion indicator."""

    item_code: str = Field(min_length=1, max_length=50)
    viewed_at: datetime | None = None


class RankingRuleWrite(_In):
    """A ranking rule (红旗窗口 / 服务之星)."""

    title: str = Field(min_length=1, max_length=100)
    dimension: Literal["unit", "window", "staff", "item"]
    indicator: str
    min_ratings: int = Field(ge=0)
    min_value: float | None = None
    max_bad_reviews: int | None = Field(default=None, ge=0)
    top_n: int = Field(ge=1, le=100)


class RankingRuleRead(RankingRuleWrite):
    """A stored ranking rule."""

    model_config = ConfigDict(from_attributes=True)

    name: str


def check_month(month: str) -> str:
    """Validate YYYY-MM."""
    if not MONTH.match(month):
        from yiwang_shared.errors import UnprocessableEntity

        raise UnprocessableEntity(
            f"month must be YYYY-MM (e.g. 2026-11), got {month!r}.",
            code="evaluation.bad_month",
            field="month",
        )
    return month
