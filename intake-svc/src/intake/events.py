"""The events intake-svc publishes (through the outbox), their payloads and JSON Schemas: one
catalogue, `INTAKE`, on stream INTAKE.

- `intake.application.<past-tense>.v1`: each carries the case facts evaluation needs (item and
  version, units, window, staff, channel, online or not, visits, legal and promised limits,
  timestamps) plus what the step adds; the 催办 reminder and 督办 escalation events also name the
  people, so a work-list or messaging service can tell each of them without asking intake;
- `intake.appointment.{booked,cancelled}.v1`: bookings (预约);
- `intake.queue_ticket.{taken,called,completed,no_show}.v1`: the hall queue (排队叫号). None names a
  person: a ticket is a number at a hall; the appointment id links a checked-in booking.

`python -m intake.events` rewrites the committed schemas under `intake-svc/events/`; a test checks
they are current.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from yiwang_shared.events.payloads import EventCatalog, EventPayload
from yiwang_shared.migrations import service_dir

PRODUCER = "intake"
SCHEMA_DIR = service_dir("intake") / "events"


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
    enterprise_id: str | None = Field(
        default=None,
        description="The enterprise applied for (法人), identity-svc's id: whose licence an approved case "
        "issues; null for a person's own application.",
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
    materials_handed_in: int | None = Field(
        default=None,
        ge=0,
        description="Materials the applicant had to bring in this round (paper or upload): not those "
        "fetched from the licence library, exempt or replaced by a commitment (the halving report).",
    )


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
    result_number: str | None = Field(
        default=None, description="The licence or document number issued, if any."
    )
    valid_until: date | None = Field(default=None, description="Until when the result is valid, if it says.")
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


class ApplicationRevoked(CaseFacts):
    """A decision made on commitment (告知承诺制) was revoked: the post-check found the commitment
    false. What the decision issued (a licence) is void from now on."""

    TYPE: ClassVar[str] = "intake.application.revoked"
    VERSION: ClassVar[int] = 1

    revoked_at: datetime
    reason: str = Field(description="What the post-check found (核查发现), as the applicant was told.")
    notice_no: str = Field(description="The revocation decision (撤销决定书文号).")
    decision_no: str | None = Field(description="The decision revoked (原决定书文号).")


class ApplicationOverdue(CaseFacts):
    """An open case passed its time limit and turned red (电子监察); emitted once per case."""

    TYPE: ClassVar[str] = "intake.application.overdue"
    VERSION: ClassVar[int] = 1

    detected_at: datetime
    status: str


# --- 催办 and 督办 --------------------------------------------------------------------------------


class NamedStaff(BaseModel):
    """A staff member a reminder or escalation names."""

    model_config = ConfigDict(extra="forbid")

    staff_id: str = Field(description="The staff account id (identity-svc).")
    name: str | None = Field(description="姓名; null when identity has not published the account yet.")
    org_unit_code: str | None = Field(description="The unit they belong to (所属单位编码).")
    role: Literal["handler", "supervisor"] = Field(
        description="handler 承办人 (a 催办 reminder) or supervisor 督办人 (an escalation)."
    )


class ApplicationReminded(CaseFacts):
    """A 催办 reminder went to the person handling a case: its due date is close (once per due date)."""

    TYPE: ClassVar[str] = "intake.application.reminded"
    VERSION: ClassVar[int] = 1

    reminder_id: str
    unit_code: str = Field(description="The unit responsible for the next step.")
    remaining_working_days: int = Field(ge=0, description="Working days left before the due date.")
    recipients: list[NamedStaff] = Field(description="Who is reminded; empty when no one could be named.")
    message: str = Field(description="The 催办 text (Chinese).")
    status: str
    reminded_at: datetime


class ApplicationEscalated(CaseFacts):
    """A red case was escalated (督办): level 1 to its unit's supervisor, level 2 to the district
    supervision office (once per level and due date)."""

    TYPE: ClassVar[str] = "intake.application.escalated"
    VERSION: ClassVar[int] = 1

    escalation_id: str
    level: int = Field(ge=1, le=2, description="1 the deciding unit's supervisor, 2 the district office.")
    target: Literal["unit_supervisor", "district_office"]
    unit_code: str = Field(description="The unit whose supervisors are named.")
    fallback: bool = Field(
        description="True when the deciding unit and those above it have no supervisor, so the "
        "district office is named at level 1."
    )
    overdue_working_days: int = Field(ge=0, description="Working days past the due date.")
    recipients: list[NamedStaff] = Field(
        description="Who it is escalated to; empty when no one could be named."
    )
    message: str = Field(description="The 督办 text (Chinese).")
    status: str
    escalated_at: datetime


# --- appointments (预约) ------------------------------------------------------------------------


class AppointmentBooked(EventPayload):
    """A person booked an appointment slot (预约成功), online or through a window clerk."""

    TYPE: ClassVar[str] = "intake.appointment.booked"
    VERSION: ClassVar[int] = 1

    appointment_id: str
    booking_no: str = Field(description="Booking number given to the person (预约号).")
    place_id: str
    place_code: str
    place_unit_code: str = Field(description="Org unit running the place.")
    item_code: str
    item_name: str
    day: date = Field(description="Local date (Asia/Shanghai).")
    starts_at: datetime
    ends_at: datetime
    period: Literal["regular", "extended", "weekend"] = Field(
        description="regular hours, extended hours (错峰延时) or weekend hours (周末)."
    )
    person_id: str
    channel: Literal["online", "window"] = Field(
        description="online (the person booked) or window (a clerk booked for them)."
    )
    booked_by: str = Field(description="Account that made the booking.")
    booked_by_unit: str | None
    booked_at: datetime


class AppointmentCancelled(EventPayload):
    """A booking was cancelled (取消预约) and its seat returned to the slot."""

    TYPE: ClassVar[str] = "intake.appointment.cancelled"
    VERSION: ClassVar[int] = 1

    appointment_id: str
    booking_no: str
    place_id: str
    place_code: str
    place_unit_code: str
    item_code: str
    day: date
    starts_at: datetime
    person_id: str
    cancelled_by: str
    by_staff: bool = Field(description="True when staff cancelled, not the person.")
    reason: str | None
    cancelled_at: datetime


# --- the hall queue (排队叫号) --------------------------------------------------------------------


class TicketFacts(EventPayload):
    """What every queue event carries about the ticket."""

    ticket_id: str
    ticket_no: str = Field(description="Number as shown and called (A001).")
    place_id: str
    place_code: str
    place_unit_code: str = Field(description="Org unit running the hall.")
    day: date = Field(description="Local day (Asia/Shanghai).")
    category_code: str
    item_code: str | None
    priority: bool = Field(description="A checked-in appointment (called before walk-ins).")
    channel: Literal["kiosk", "online", "appointment"]
    appointment_id: str | None
    taken_at: datetime
    wait_limit_minutes: int = Field(description="限时等候 in force when taken.")


class QueueTicketTaken(TicketFacts):
    """A number was taken (取号) at the kiosk or online, or issued at an appointment's check-in."""

    TYPE: ClassVar[str] = "intake.queue_ticket.taken"
    VERSION: ClassVar[int] = 1

    waiting_ahead: int = Field(ge=0, description="Numbers to be called before it when taken.")


class QueueTicketCalled(TicketFacts):
    """A window called the number (叫号), or called it again (重呼)."""

    TYPE: ClassVar[str] = "intake.queue_ticket.called"
    VERSION: ClassVar[int] = 1

    window_unit_code: str = Field(description="The window's org unit (e.g. 110105-ZWFW-W01).")
    window_number: str
    called_by: str = Field(description="The window clerk's account id.")
    called_at: datetime
    call_count: int = Field(ge=1, description="1 for the first call, more for 重呼.")
    wait_seconds: int = Field(ge=0, description="Taken → first called (等候时长).")
    over_limit: bool = Field(description="First called after its 限时等候.")


class QueueTicketCompleted(TicketFacts):
    """The window finished serving the number (办结)."""

    TYPE: ClassVar[str] = "intake.queue_ticket.completed"
    VERSION: ClassVar[int] = 1

    window_unit_code: str
    window_number: str
    staff_id: str
    completed_at: datetime
    wait_seconds: int = Field(ge=0)
    service_seconds: int = Field(ge=0, description="Called → completed.")


class QueueTicketNoShow(TicketFacts):
    """The number was called and nobody came (过号)."""

    TYPE: ClassVar[str] = "intake.queue_ticket.no_show"
    VERSION: ClassVar[int] = 1

    window_unit_code: str
    window_number: str
    staff_id: str
    marked_at: datetime
    call_count: int = Field(ge=1)


APPLICATION_EVENTS: tuple[type[EventPayload], ...] = (
    ApplicationSubmitted,
    ApplicationNoticeIssued,
    ApplicationAccepted,
    ApplicationDecided,
    ApplicationCompleted,
    ApplicationDelivered,
    ApplicationOverdue,
    ApplicationClosed,
    ApplicationRevoked,
)
ESCALATION_EVENTS: tuple[type[EventPayload], ...] = (ApplicationReminded, ApplicationEscalated)
APPOINTMENT_EVENTS: tuple[type[EventPayload], ...] = (AppointmentBooked, AppointmentCancelled)
QUEUE_EVENTS: tuple[type[EventPayload], ...] = (
    QueueTicketTaken,
    QueueTicketCalled,
    QueueTicketCompleted,
    QueueTicketNoShow,
)
EVENTS: tuple[type[EventPayload], ...] = (
    *APPLICATION_EVENTS,
    *ESCALATION_EVENTS,
    *APPOINTMENT_EVENTS,
    *QUEUE_EVENTS,
)

#: Every event of this service: outbox writes and committed schemas (see yiwang_shared.events.payloads).
INTAKE = EventCatalog(producer=PRODUCER, schema_dir=SCHEMA_DIR, events=EVENTS)
publish = INTAKE.publish
schema_path = INTAKE.schema_path

if __name__ == "__main__":
    INTAKE.main()
