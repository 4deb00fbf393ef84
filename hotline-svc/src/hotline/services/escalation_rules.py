"""When an escalation rule fires on a ticket (pure: no I/O, so each rule is tested on its own).

A rule measures one of the ticket's clocks of the current handling round:

- `response` (首次联系): from dispatch to the response deadline, while no first contact is recorded;
- `reply` (办理时限): from registration (a reopened round: from the reopening) to the ticket's due
  time, while no reply is recorded.

It fires at `start + after_share × (deadline − start) + plus_hours`: 0.75 is three quarters of the
time gone, 1 the deadline itself, 1 with 24 hours a day past it. It fires once per rule, round and
deadline (`cycle`), so an extension re-arms it. DIGIT escalates a complaint by its workflow state
after an SLA to the next role; here the rule also says which state, how long, and names the person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..schemas.escalations import RuleBasis

#: Ticket statuses a rule may watch: the open ones.
WATCHABLE = ("registered", "dispatched", "returned", "in_progress")


@dataclass(frozen=True)
class TicketClock:
    """One of a ticket's clocks in its current round."""

    basis: RuleBasis
    round: int
    start: datetime
    deadline: datetime

    @property
    def cycle(self) -> str:
        """The key a rule fires once under."""
        return f"{self.round}:{self.deadline.isoformat()}"


@dataclass(frozen=True)
class TicketState:
    """What the rules read of a ticket."""

    status: str
    request_type: str
    category_code: str | None
    round: int
    created_at: datetime
    round_started_at: datetime
    dispatched_at: datetime | None
    response_due_at: datetime | None
    responded_at: datetime | None
    due_at: datetime | None
    replied_at: datetime | None


@dataclass(frozen=True)
class RuleSpec:
    """What the rules read of an escalation rule."""

    kind: str
    basis: str
    statuses: tuple[str, ...]
    after_share: float
    plus_hours: float
    target: str
    request_type: str | None = None
    category_code: str | None = None
    active: bool = True


def level_of(kind: str, target: str) -> int:
    """0 a reminder (催办); 2 an escalation to the district office; 1 any other escalation (督办)."""
    if kind == "reminder":
        return 0
    return 2 if target == "district_office" else 1


def clock(state: TicketState, basis: str) -> TicketClock | None:
    """The ticket's running clock of `basis`, or None when it is not running."""
    if basis == "response":
        if state.responded_at is not None or state.dispatched_at is None or state.response_due_at is None:
            return None
        return TicketClock("response", state.round, state.dispatched_at, state.response_due_at)
    if state.replied_at is not None or state.due_at is None:
        return None
    return TicketClock("reply", state.round, state.round_started_at, state.due_at)


def fires_at(rule: RuleSpec, running: TicketClock) -> datetime:
    """When the rule fires on this clock."""
    span = max(running.deadline - running.start, timedelta(0))
    return running.start + span * rule.after_share + timedelta(hours=rule.plus_hours)


def due(rule: RuleSpec, state: TicketState, now: datetime) -> TicketClock | None:
    """The clock the rule fires on now (not yet checked against what it already raised), else None."""
    if not rule.active or state.status not in rule.statuses:
        return None
    if rule.request_type is not None and rule.request_type != state.request_type:
        return None
    if rule.category_code is not None and rule.category_code != state.category_code:
        return None
    running = clock(state, rule.basis)
    if running is None or fires_at(rule, running) > now:
        return None
    return running
