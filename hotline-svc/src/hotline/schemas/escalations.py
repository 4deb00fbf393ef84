"""Request and response bodies of escalation rules and the 催办/督办 work lists."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from yiwang_shared.i18n import TextError
from yiwang_shared.pagination import Page

from ..lifecycles import Status as TicketStatus
from . import CategoryCode, RequestType, Short, UnitCode

RuleKind = Literal["reminder", "escalation"]
RuleBasis = Literal["response", "reply"]
RuleTarget = Literal["handler", "unit_supervisor", "district_office", "unit", "staff"]
WatchedStatus = Literal["registered", "dispatched", "returned", "in_progress"]
RecipientRole = Literal["handler", "dispatcher", "supervisor", "staff"]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _EscalationRuleFields(_Body):
    name: Short = Field(description="What the rule is called (规则名称), e.g. 超期督办（承办单位）.")
    kind: RuleKind = Field(description="reminder 催办 (the person handling it) or escalation 督办.")
    basis: RuleBasis = Field(
        description="The clock measured: response 首次联系时限 (from dispatch until first contact), "
        "reply 办理时限 (from registration, or the reopening, until the reply)."
    )
    statuses: list[WatchedStatus] = Field(
        min_length=1,
        max_length=4,
        description="The ticket states it watches (工单状态); DIGIT-style per state.",
    )
    after_share: float = Field(
        ge=0,
        le=10,
        description="Fires once this share of the time limit has passed: 0.75 three quarters, 1 at "
        "the deadline (超时), 2 one more limit past it.",
    )
    plus_hours: float = Field(default=0, ge=0, le=2400, description="Hours added after that share.")
    target: RuleTarget = Field(
        description="Whom it names: handler 承办人 (the person handling it, else the unit's handlers; "
        "dispatchers while it waits for dispatch), unit_supervisor the lead unit's supervisors, "
        "district_office the district office's supervisors, unit a named unit's supervisors, staff a "
        "named person."
    )
    target_unit_code: UnitCode | None = Field(default=None, description="The unit, for target `unit`.")
    target_staff_id: Short | None = Field(
        default=None, description="The staff account id, for target `staff`."
    )
    request_type: RequestType | None = Field(default=None, description="Only tickets of this request type.")
    category_code: CategoryCode | None = Field(default=None, description="Only tickets of this category.")
    active: bool = True

    @model_validator(mode="after")
    def _reminders_go_to_the_handler(self) -> _EscalationRuleFields:
        if self.kind == "reminder" and self.target != "handler":
            raise TextError(
                "催办规则只能提醒承办人（target 应为 handler）。", "A reminder rule names the handler."
            )
        return self


class EscalationRuleCreate(_EscalationRuleFields):
    """A new escalation rule (催办/督办规则)."""


class EscalationRuleUpdate(_EscalationRuleFields):
    """An escalation rule's new content (replaces all of it)."""


class EscalationRuleRead(BaseModel):
    """An escalation rule (催办/督办规则)."""

    id: str
    name: str
    kind: RuleKind
    level: int = Field(
        ge=0, le=2, description="0 催办, 1 督办 at the unit's side, 2 督办 by the district office."
    )
    basis: RuleBasis
    statuses: list[WatchedStatus]
    after_share: float
    plus_hours: float
    target: RuleTarget
    target_unit_code: str | None
    target_staff_id: str | None
    request_type: RequestType | None
    category_code: str | None
    active: bool
    updated_at: datetime
    updated_by: str


class EscalationRulePage(Page[EscalationRuleRead]):
    """A page of escalation rules, by level and time."""


class TicketEscalationRecipientRead(BaseModel):
    """A person a ticket's reminder or escalation names (点名), and whether they acknowledged it."""

    staff_id: str = Field(description="The staff account id (identity-svc).")
    name: str | None = Field(description="姓名; null when identity has not published the account yet.")
    org_unit_code: str | None = Field(description="Their unit (所属单位编码).")
    role: RecipientRole = Field(
        description="handler 承办人, dispatcher 派单员, supervisor 督办人, staff a person the rule names."
    )
    acknowledged_at: datetime | None = Field(description="When they acknowledged it (已阅签收).")
    note: str | None = Field(description="What they wrote when acknowledging.")


class TicketEscalationRead(BaseModel):
    """A 催办 reminder or a 督办 escalation a rule raised on a ticket, with the people it names."""

    id: str
    kind: RuleKind
    level: int = Field(
        ge=0, le=2, description="0 催办, 1 督办 at the unit's side, 2 督办 by the district office."
    )
    rule_id: str
    rule_name: str
    target: RuleTarget
    basis: RuleBasis
    ticket_id: str
    ticket_number: str = Field(description="工单编号.")
    title: str
    ticket_status: TicketStatus = Field(description="The ticket's status now.")
    lead_unit_code: str | None
    round: int
    deadline: datetime = Field(description="The deadline of the clock the rule measured.")
    unit_code: str | None = Field(description="The unit whose people are named.")
    fallback: bool = Field(
        description="True when no one of the target could be named and the district office was."
    )
    message: str = Field(description="The 催办/督办 text (Chinese).")
    raised_at: datetime
    recipients: list[TicketEscalationRecipientRead]


class TicketEscalationPage(Page[TicketEscalationRead]):
    """A page of a ticket's or a person's reminders and escalations, newest first."""


class TicketEscalationAcknowledge(_Body):
    """Acknowledging a reminder or an escalation (已阅签收)."""

    note: Short | None = Field(default=None, description="What is being done about it (办理情况), optional.")


class TicketEscalationScanRead(BaseModel):
    """What a 催办/督办 pass raised."""

    reminded: int = Field(description="催办 reminders raised.")
    escalated: int = Field(description="督办 escalations raised.")
