"""The events intake-svc publishes (through the outbox), their payloads and JSON Schemas.

Subjects are `intake.application.<past-tense>.v1` on stream INTAKE. Each carries the case facts
evaluation needs (item and version, units, window, staff, channel, online or not, visits, legal
and promised limits, timestamps) plus what the step adds. `python -m intake.events` rewrites the
committed schemas under `intake-svc/events/`; a test checks they are current.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import Field

from yiwang_shared.events.payloads import EventCatalog, EventPayload

PRODUCER = "intake"
SCHEMA_DIR = Path(__file__).resolve().parents[2] / "events"


class CaseFacts(EventPayload):
    """What every application event carries about the case."""

    application_id: str
    application_no: str = Field(description="申请编号.")
    item_code: str = Field(description="Implementation code (实施编码).")
    item_name: str
    version_no: int = Field(ge=1, description="The catalogue version the case was opened under.")
    owner_unit_code: str = Field(description="The deciding unit (审批部门).")
    intake_unit_code: str | None = Field(description="The receiving window's unit; null online.")
    accepting_unit_code: str | None = Field(description="The unit that accepted (受理单位).")
    entrusted: bool = Field(description="Accepted under an entrustment agreement (委托受理).")
    channel: Literal["window", "online", "assisted"] = Field(
        description="window 窗口, online 网上, assisted 帮办代办."
    )
    online: bool
    applicant_kind: Literal["person", "enterprise"]
    applicant_subject: str | None = Field(
        default=None,
        description="The applicant's account id (the person served, who may rate the service); "
        "null when the applicant has no account.",
    )
    staff_id: str | None = Field(description="The staff member who did this step, if staff did.")
    handling_type: str = Field(description="办件类型: 1 即办件, 2 承诺件.")
    legal_limit_days: int | None = Field(description="法定办结时限.")
    promised_limit_days: int | None = Field(description="承诺办结时限.")
    limit_unit: str = Field(description="working_day, natural_day or hour.")
    visits: int = Field(ge=0, description="Visits to the site so far (跑动次数).")
    received_at: datetime
    accepted_at: datetime | None
    due_on: date | None = Field(description="The promised completion date (承诺办结日期).")


class ApplicationSubmitted(CaseFacts):
    """An application was received (接件), or resubmitted after a one-time notice."""

    TYPE: ClassVar[str] = "intake.application.submitted"
    VERSION: ClassVar[int] = 1

    resubmission: int = Field(ge=0, description="0 first submission, n the n-th resubmission.")
    complete: bool = Field(description="The materials passed the completeness check.")


class ApplicationNoticeIssued(CaseFacts):
    """A one-time notice (一次性告知书) listing every missing or wrong material was issued."""

    TYPE: ClassVar[str] = "intake.application.notice_issued"
    VERSION: ClassVar[int] = 1

    notice_no: str
    issued_at: datetime
    problem_count: int = Field(ge=1)
    working_days_since_receipt: int = Field(ge=0)


class ApplicationAccepted(CaseFacts):
    """The application was accepted (受理) with a numbered acceptance notice."""

    TYPE: ClassVar[str] = "intake.application.accepted"
    VERSION: ClassVar[int] = 1

    acceptance_no: str = Field(description="受理文书编号.")
    deemed: bool = Field(description="Accepted by law because no notice came in time.")
    with_deficiencies: bool = Field(description="容缺受理.")
    deficiency_deadline: date | None
    on_the_spot: bool = Field(description="即办件: completed at once.")


class ApplicationDecided(CaseFacts):
    """The deciding unit approved or refused (审批决定)."""

    TYPE: ClassVar[str] = "intake.application.decided"
    VERSION: ClassVar[int] = 1

    decision: Literal["approved", "refused"]
    decided_at: datetime
    reasons: str | None
    working_days_used: int = Field(ge=0, description="Since acceptance, pauses excluded.")
    paused_working_days: int = Field(ge=0)
    extension_days: int = Field(ge=0)


class ApplicationCompleted(CaseFacts):
    """The case was completed (办结) with its result."""

    TYPE: ClassVar[str] = "intake.application.completed"
    VERSION: ClassVar[int] = 1

    completed_at: datetime
    decision: Literal["approved", "refused"]
    result_name: str
    working_days_used: int = Field(ge=0)
    on_time: bool


class ApplicationDelivered(CaseFacts):
    """The result was delivered (送达): signed for, posted, or placed in a locker.

    A window pickup is a visit the applicant made after completion: `visits` is what this delivery
    took and `total_visits` every visit of the case, so indicators count delivery visits too.
    """

    TYPE: ClassVar[str] = "intake.application.delivered"
    VERSION: ClassVar[int] = 1

    delivered_at: datetime
    delivery_mode: Literal["window", "post", "locker"]
    completed_at: datetime | None
    visits: int = Field(
        ge=0,
        description="Visits to the site this delivery took (到办事现场次数): 1 for a window pickup the "
        "applicant came for, 0 for post or a locker.",
    )
    total_visits: int = Field(
        ge=0, description="Every visit of the case, submission, corrections and this delivery included."
    )


class ApplicationClosed(CaseFacts):
    """The case closed without a decision: not accepted (不予受理), corrections not handed in by
    the deadline (逾期未补正), withdrawn (撤回) or acceptance revoked (撤销受理)."""

    TYPE: ClassVar[str] = "intake.application.closed"
    VERSION: ClassVar[int] = 1

    closed_as: Literal["not_accepted", "correction_expired", "withdrawn", "acceptance_revoked"] = Field(
        description="not_accepted 不予受理, correction_expired 逾期未补正, withdrawn 撤回, "
        "acceptance_revoked 撤销受理."
    )
    reason: str = Field(description="Why, as the applicant was told (in Chinese).")
    closed_at: datetime
    notice_no: str | None = Field(description="The document that told the applicant (文书编号), if any.")


class ApplicationOverdue(CaseFacts):
    """An open case passed its time limit and turned red (电子监察); emitted once per case."""

    TYPE: ClassVar[str] = "intake.application.overdue"
    VERSION: ClassVar[int] = 1

    detected_at: datetime
    status: str


EVENTS: tuple[type[EventPayload], ...] = (
    ApplicationSubmitted,
    ApplicationNoticeIssued,
    ApplicationAccepted,
    ApplicationDecided,
    ApplicationCompleted,
    ApplicationDelivered,
    ApplicationOverdue,
    ApplicationClosed,
)

#: This service's events: outbox writes and committed schemas (see yiwang_shared.events.payloads).
INTAKE = EventCatalog(producer=PRODUCER, schema_dir=SCHEMA_DIR, events=EVENTS)
publish = INTAKE.publish
schema_path = INTAKE.schema_path

if __name__ == "__main__":
    INTAKE.main()
