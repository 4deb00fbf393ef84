"""The events evaluation-svc publishes (through the outbox), their payloads and JSON Schemas.

Subjects are `evaluation.<aggregate>.<past-tense>.v1` on stream EVALUATION. No payload names the
rater (raters are protected); `real_name` only says whether the rater is known. `python -m
evaluation.events` rewrites the committed schemas under `evaluation-svc/events/`.

Every fact of evaluation's own that moves an indicator is one of these events (a service
registered, a delivery's visits counted, a rating, a call-back, a rectification, an explanation,
an appeal decision, the rater's rating of the response, a guide view), and each carries the
month and the unit, window, staff member and item it counts for, so `services.rebuild`
recomputes every counter from the EVALUATION stream alone (see `services.indicators.event_increments`).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from pydantic import Field

from yiwang_shared.events.payloads import EventCatalog, EventPayload
from yiwang_shared.migrations import service_dir

PRODUCER = "evaluation"
SCHEMA_DIR = service_dir("evaluation") / "events"


class ServiceRegistered(EventPayload):
    """A service became rateable (一事一评): a completed application, a closed ticket, a window visit."""

    TYPE: ClassVar[str] = "evaluation.service.registered"
    VERSION: ClassVar[int] = 1

    service_event_id: str
    service_kind: str = Field(description="application, ticket or visit.")
    source_id: str = Field(description="The application id, ticket id or visit id.")
    item_code: str | None
    unit_code: str
    window_code: str | None
    staff_id: str | None
    month: str = Field(description="Reporting month YYYY-MM (of the service).")
    served_at: datetime
    rateable_until: datetime


class ServiceVisitsCounted(EventPayload):
    """A delivered application's visits (跑动次数) are final: what the delivery added is counted.

    Completion counts the visits so far; a window pickup after it is one more. This event moves
    `visits_sum` and `zero_visit` by the difference, in the month and for the unit, window, staff
    member and item the completion counted for.
    """

    TYPE: ClassVar[str] = "evaluation.service.visits_counted"
    VERSION: ClassVar[int] = 1

    service_event_id: str
    service_kind: str = Field(description="application.")
    source_id: str = Field(description="The application id.")
    item_code: str | None
    unit_code: str
    window_code: str | None
    staff_id: str | None
    month: str = Field(description="Reporting month YYYY-MM (of the completion, which counted the case).")
    visits_before: int = Field(ge=0, description="Visits counted when the case was completed.")
    visits_total: int = Field(ge=0, description="Every visit of the case, the delivery's included.")
    delivery_mode: str = Field(description="window, post or locker.")
    delivered_at: datetime


class GuideViewed(EventPayload):
    """An item's guide (办事指南) was viewed (the base of the guide → application conversion)."""

    TYPE: ClassVar[str] = "evaluation.guide.viewed"
    VERSION: ClassVar[int] = 1

    item_code: str
    month: str = Field(description="Reporting month YYYY-MM (of the view).")
    viewed_at: datetime


class RatingSubmitted(EventPayload):
    """A service event was rated (好差评), without the rater's identity."""

    TYPE: ClassVar[str] = "evaluation.rating.submitted"
    VERSION: ClassVar[int] = 1

    rating_id: str
    service_event_id: str
    service_kind: str = Field(description="application, ticket or visit.")
    source_id: str = Field(description="The application id, ticket id or visit id rated.")
    level: int = Field(ge=1, le=5, description="1 非常满意 … 5 非常不满意.")
    channel: str = Field(description="pc, mobile, qr, device, phone, sms.")
    item_code: str | None
    unit_code: str
    window_code: str | None
    staff_id: str | None
    real_name: bool
    month: str = Field(description="Reporting month YYYY-MM.")
    submitted_at: datetime


class RatingWithdrawn(EventPayload):
    """A rating left the indicators without an appeal: superseded by the served person's own rating,
    or found forged by the evaluation office (a burst flag it rejected). Never deleted.

    `counted` is false when it had already left them (an upheld appeal); the flags say which of its
    case's counters (call-back, rectification, explanation, second rating) are undone with it.
    """

    TYPE: ClassVar[str] = "evaluation.rating.withdrawn"
    VERSION: ClassVar[int] = 1

    rating_id: str
    service_event_id: str
    service_kind: str = Field(description="application, ticket or visit.")
    reason: str = Field(description="superseded (本人评价取代) or forged (评价办核定刷评).")
    level: int = Field(ge=1, le=5)
    item_code: str | None
    unit_code: str
    window_code: str | None
    staff_id: str | None
    month: str = Field(description="Reporting month YYYY-MM (the rating's).")
    counted: bool = Field(description="It still counted (false after an upheld appeal).")
    called_back: bool
    rectified: bool
    explained: bool
    response_level: int | None = Field(description="The rater's rating of the handling, if given.")
    withdrawn_at: datetime


class _CaseRef(EventPayload):
    case_id: str
    rating_id: str
    unit_code: str
    service_kind: str
    level: int = Field(ge=4, le=5)
    month: str = Field(description="Reporting month YYYY-MM of the rating (what the case counts for).")
    window_code: str | None
    staff_id: str | None
    item_code: str | None


class _Case(_CaseRef):
    source_id: str


class BadReviewOpened(_Case):
    """A bad review (差评) was pushed to the unit that did the work."""

    TYPE: ClassVar[str] = "evaluation.bad_review.opened"
    VERSION: ClassVar[int] = 1

    real_name: bool
    deadline_at: datetime = Field(description="End of the handling deadline (working days).")
    opened_at: datetime


class BadReviewCalledBack(_Case):
    """The unit reached the rater by a call-back (回访核实)."""

    TYPE: ClassVar[str] = "evaluation.bad_review.called_back"
    VERSION: ClassVar[int] = 1

    called_back_at: datetime


class BadReviewExplained(_Case):
    """The unit explained that the request had no legal basis (解释说明)."""

    TYPE: ClassVar[str] = "evaluation.bad_review.explained"
    VERSION: ClassVar[int] = 1

    explained_at: datetime


class BadReviewAppealDecided(_Case):
    """A reviewer decided the unit's appeal; upheld takes the rating out of the indicators."""

    TYPE: ClassVar[str] = "evaluation.bad_review.appeal_decided"
    VERSION: ClassVar[int] = 1

    upheld: bool
    called_back: bool = Field(description="Whether the case had been called back (its count is undone).")
    decided_at: datetime


class BadReviewResponseRated(_Case):
    """The rater rated how the bad review was handled (整改满意度), once, after feedback."""

    TYPE: ClassVar[str] = "evaluation.bad_review.response_rated"
    VERSION: ClassVar[int] = 1

    response_level: int = Field(ge=1, le=5, description="1 非常满意 … 5 非常不满意.")
    rated_at: datetime


class BadReviewRectified(_Case):
    """The unit rectified what the bad review was about (整改完成)."""

    TYPE: ClassVar[str] = "evaluation.bad_review.rectified"
    VERSION: ClassVar[int] = 1

    rectified_at: datetime


class BadReviewOverdue(_Case):
    """The handling deadline passed before the case was closed."""

    TYPE: ClassVar[str] = "evaluation.bad_review.overdue"
    VERSION: ClassVar[int] = 1

    deadline_at: datetime = Field(
        description="The deadline that passed: the default one, or a later rectification date."
    )
    detected_at: datetime


class BadReviewTransferred(_CaseRef):
    """The case was handed to the hotline to become a ticket (转12345).

    It names no application, ticket or visit (no `source_id`): the ticket's handler is the unit
    rated, and the service would lead it to the rater; the link stays in evaluation.
    """

    TYPE: ClassVar[str] = "evaluation.bad_review.transferred"
    VERSION: ClassVar[int] = 1

    comment: str | None = Field(description="The rater's comment (no identity).")
    reason: str
    transferred_at: datetime


class BadReviewClosed(_Case):
    """The case was closed after feedback to the rater."""

    TYPE: ClassVar[str] = "evaluation.bad_review.closed"
    VERSION: ClassVar[int] = 1

    resolution: str = Field(
        description="rectify, explain, appeal_upheld, or superseded / withdrawn (its rating left the "
        "indicators: replaced by the served person's own rating, or found forged)."
    )
    called_back: bool
    overdue: bool
    closed_at: datetime


EVENTS: tuple[type[EventPayload], ...] = (
    ServiceRegistered,
    ServiceVisitsCounted,
    GuideViewed,
    RatingSubmitted,
    RatingWithdrawn,
    BadReviewOpened,
    BadReviewCalledBack,
    BadReviewRectified,
    BadReviewExplained,
    BadReviewAppealDecided,
    BadReviewResponseRated,
    BadReviewOverdue,
    BadReviewTransferred,
    BadReviewClosed,
)

#: This service's events: outbox writes and committed schemas (see yiwang_shared.events.payloads).
EVALUATION = EventCatalog(producer=PRODUCER, schema_dir=SCHEMA_DIR, events=EVENTS)
publish = EVALUATION.publish
publish_all = EVALUATION.publish_all


if __name__ == "__main__":
    EVALUATION.main()
