"""The ticket lifecycle as an explicit state machine: every transition is checked here.

registered ──dispatch──▶ dispatched ──respond──▶ in_progress ──reply──▶ replied
    │  ▲                  │     ▲ │                                       │
    │  └─────────────┐    │     │ └─dispatch (re-dispatch)                 call_back
    │             dispatch return                                          ▼
    │                returned ◀┘                                       called_back
    ├─answer / divert──▶ closed ◀──────────────────────close─────────────┤
    └─merge──▶ merged                       dispatched ◀──reopen──────────┘
"""

from __future__ import annotations

from typing import Literal

from . import errors
from .models import Ticket

Status = Literal[
    "registered", "dispatched", "returned", "in_progress", "replied", "called_back", "closed", "merged"
]
Action = Literal[
    "dispatch",
    "divert",
    "answer",
    "merge",
    "return",
    "respond",
    "extend",
    "reply",
    "call_back",
    "reopen",
    "close",
]

#: action → (statuses it may start from, status it leads to; None keeps the status).
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "dispatch": (frozenset({"registered", "returned", "dispatched"}), "dispatched"),
    "divert": (frozenset({"registered", "returned"}), "closed"),
    "answer": (frozenset({"registered"}), "closed"),
    "merge": (frozenset({"registered", "dispatched", "returned"}), "merged"),
    "return": (frozenset({"dispatched"}), "returned"),
    "respond": (frozenset({"dispatched"}), "in_progress"),
    "extend": (frozenset({"dispatched", "in_progress"}), None),
    "reply": (frozenset({"in_progress"}), "replied"),
    "call_back": (frozenset({"replied"}), "called_back"),
    "reopen": (frozenset({"called_back"}), "dispatched"),
    "close": (frozenset({"called_back"}), "closed"),
}

OPEN_STATUSES = frozenset({"registered", "dispatched", "returned", "in_progress"})
FINISHED_STATUSES = frozenset({"closed", "merged"})


def allowed_actions(status: str) -> list[str]:
    """The actions the lifecycle allows from `status`."""
    return [action for action, (sources, _) in TRANSITIONS.items() if status in sources]


def transition(ticket: Ticket, action: str) -> tuple[str, str]:
    """Check `action` against the ticket's status and apply it; (old, new) status. 409 if not allowed."""
    sources, target = TRANSITIONS[action]
    old = ticket.status
    if old not in sources:
        raise errors.invalid_transition(ticket.number, old, action, allowed_actions(old))
    ticket.status = target or old
    return old, ticket.status
