"""The events hotline-svc publishes (through the outbox), their payloads and JSON Schemas.

Subjects are `hotline.ticket.<past-tense>.v1` and `hotline.topic.rising.v1` on stream HOTLINE.
Every ticket event carries the ticket's identity and what evaluation needs to rate it and compute
indicators: the request type, channel, category, area, the lead unit (主办) and the first
receiver (首接), and the citizen's account when the ticket has one. `python -m hotline.events`
rewrites the committed schemas under `hotline-svc/events/`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from yiwang_shared.events.payloads import EventCatalog, EventPayload
from yiwang_shared.migrations import service_dir

PRODUCER = "hotline"
SCHEMA_DIR = service_dir("hotline") / "events"


class _TicketEvent(EventPayload):
    """What every ticket event carries."""

    ticket_id: str
    number: str = Field(description="Ticket number (工单编号).")
    request_type: str = Field(
        description="enquiry 咨询, help 求助, complaint 投诉, report 举报, suggestion 建议, praise 表扬."
    )
    channel: str = Field(description="phone, web, mobile, window, open311, bad_review.")
    category_code: str | None
    street_code: str | None
    community_code: str | None
    lead_unit_code: str | None = Field(description="Unit leading the handling (主办) now.")
    first_unit_code: str | None = Field(description="First receiving unit (首接单位).")
    citizen_subject: str | None = Field(description="The caller's account, when they have one.")


class TicketCreated(_TicketEvent):
    """A ticket was registered."""

    TYPE: ClassVar[str] = "hotline.ticket.created"
    VERSION: ClassVar[int] = 1

    title: str
    urgent: bool
    time_limit_rule: str | None
    due_at: datetime | None
    created_at: datetime


class TicketDispatched(_TicketEvent):
    """A ticket was dispatched (or re-dispatched, or reopened) to a lead unit and co-handlers."""

    TYPE: ClassVar[str] = "hotline.ticket.dispatched"
    VERSION: ClassVar[int] = 1

    unit_code: str
    co_unit_codes: list[str]
    mode: Literal["rule", "manual", "reopen"]
    redispatch: bool
    coordination: bool = Field(description="Responsibility unclear: the district coordinates.")
    round: int = Field(ge=1, description="Handling round (1, then +1 per reopening).")
    dispatched_at: datetime
    dispute_deadline: datetime
    response_due_at: datetime
    due_at: datetime | None


class TicketReturned(_TicketEvent):
    """The receiving unit disputed the dispatch (退单) with a reason."""

    TYPE: ClassVar[str] = "hotline.ticket.returned"
    VERSION: ClassVar[int] = 1

    unit_code: str
    reason: str
    returned_at: datetime


class TicketResponded(_TicketEvent):
    """The unit made first contact with the caller (响应)."""

    TYPE: ClassVar[str] = "hotline.ticket.responded"
    VERSION: ClassVar[int] = 1

    unit_code: str
    round: int
    responded_at: datetime
    response_due_at: datetime
    on_time: bool


class TicketReplied(_TicketEvent):
    """The unit replied with how the request was handled (办理答复)."""

    TYPE: ClassVar[str] = "hotline.ticket.replied"
    VERSION: ClassVar[int] = 1

    unit_code: str
    round: int
    replied_at: datetime
    on_time: bool = Field(description="Replied before the ticket's due time.")


class TicketCalledBack(_TicketEvent):
    """The hotline called the caller back (回访)."""

    TYPE: ClassVar[str] = "hotline.ticket.called_back"
    VERSION: ClassVar[int] = 1

    unit_code: str
    round: int
    resolved: bool
    satisfaction: Literal["satisfied", "basically", "not"]
    called_back_at: datetime


class TicketReopened(_TicketEvent):
    """An unresolved or unsatisfied ticket was reopened (重办)."""

    TYPE: ClassVar[str] = "hotline.ticket.reopened"
    VERSION: ClassVar[int] = 1

    unit_code: str
    round: int = Field(description="The new handling round.")
    reason: str
    reopened_at: datetime


class TicketClosed(_TicketEvent):
    """A ticket was closed; evaluation may invite a rating."""

    TYPE: ClassVar[str] = "hotline.ticket.closed"
    VERSION: ClassVar[int] = 1

    close_reason: Literal["completed", "answered", "diverted", "merged"]
    diversion_reason: str | None
    kb_entry_id: str | None = Field(description="Knowledge-base entry an enquiry was answered with.")
    merged_into_id: str | None
    merged_ticket_ids: list[str] = Field(description="Duplicates merged into this ticket.")
    resolved: bool | None
    satisfaction: Literal["satisfied", "basically", "not"] | None
    closed_at: datetime


class TicketOverdue(_TicketEvent):
    """A ticket passed its time limit without being replied to."""

    TYPE: ClassVar[str] = "hotline.ticket.overdue"
    VERSION: ClassVar[int] = 1

    due_at: datetime
    overdue_at: datetime
    status: str


class NamedStaff(BaseModel):
    """A staff member a reminder or escalation names."""

    model_config = ConfigDict(extra="forbid")

    staff_id: str = Field(description="The staff account id (identity-svc).")
    name: str | None = Field(description="姓名; null when identity has not published the account yet.")
    org_unit_code: str | None = Field(description="The unit they belong to (所属单位编码).")
    role: Literal["handler", "dispatcher", "supervisor", "staff"] = Field(
        description="handler 承办人, dispatcher 派单员, supervisor 督办人, staff a person the rule names."
    )


class _RaisedByRule(_TicketEvent):
    """What a reminder and an escalation carry: the rule, the clock it measured, whom it names."""

    rule_id: str
    rule_name: str
    basis: Literal["response", "reply"] = Field(
        description="The clock measured: response 首次联系时限, reply 办理时限."
    )
    round: int = Field(ge=1, description="Handling round (重办 starts a new one).")
    deadline: datetime = Field(description="The deadline of that clock.")
    unit_code: str | None = Field(description="The unit whose people are named.")
    recipients: list[NamedStaff] = Field(description="Who is named; empty when no one could be named.")
    message: str = Field(description="The 催办/督办 text (Chinese).")
    status: str


class TicketReminded(_RaisedByRule):
    """A 催办 reminder went to the person handling a ticket (once per rule, round and deadline)."""

    TYPE: ClassVar[str] = "hotline.ticket.reminded"
    VERSION: ClassVar[int] = 1

    reminder_id: str
    reminded_at: datetime


class TicketEscalated(_RaisedByRule):
    """A ticket was escalated (督办) to the people an escalation rule names (once per rule, round
    and deadline): level 1 the handling unit's side, level 2 the district."""

    TYPE: ClassVar[str] = "hotline.ticket.escalated"
    VERSION: ClassVar[int] = 1

    escalation_id: str
    level: int = Field(ge=1, le=2)
    target: Literal["handler", "unit_supervisor", "district_office", "unit", "staff"]
    fallback: bool = Field(
        description="True when no one of the target could be named and the district office was."
    )
    escalated_at: datetime


class TopicRising(EventPayload):
    """A hot topic rose well above its own baseline in a street (热点预警), raised to the district
    once per topic, street and Beijing week."""

    TYPE: ClassVar[str] = "hotline.topic.rising"
    VERSION: ClassVar[int] = 1

    alert_id: str
    topic_id: str
    topic_label: str = Field(description="The topic's top keywords (热点话题).")
    keywords: list[str]
    district_code: str = Field(description="The district alerted (区).")
    street_code: str = Field(description="The street where it rose (街道).")
    week: date = Field(description="Monday of the Beijing week the alert belongs to.")
    window_start: datetime = Field(description="Start of the seven days counted.")
    window_end: datetime
    window_count: int = Field(ge=1, description="Tickets of the topic in the street in those seven days.")
    baseline_weeks: int = Field(ge=1)
    baseline_mean: float = Field(ge=0, description="Mean count of the weeks before.")
    baseline_sd: float = Field(ge=0, description="Their standard deviation.")
    threshold: float = Field(description="mean + k·sd; the count exceeded it (and the minimum).")
    ticket_ids: list[str] = Field(description="The tickets behind the alert, oldest first.")
    raised_at: datetime


EVENTS: tuple[type[EventPayload], ...] = (
    TicketCreated,
    TicketDispatched,
    TicketReturned,
    TicketResponded,
    TicketReplied,
    TicketCalledBack,
    TicketReopened,
    TicketClosed,
    TicketOverdue,
    TicketReminded,
    TicketEscalated,
    TopicRising,
)

#: This service's events: outbox writes and committed schemas (see yiwang_shared.events.payloads).
HOTLINE = EventCatalog(producer=PRODUCER, schema_dir=SCHEMA_DIR, events=EVENTS)
publish = HOTLINE.publish
publish_all = HOTLINE.publish_all


if __name__ == "__main__":
    HOTLINE.main()
