"""The declared state machines: a ticket, a knowledge-base entry and the latest version of one.
The services ask them whether an action is allowed and where it leads; nothing else names a
transition.

registered ──dispatch──▶ dispatched ──respond──▶ in_progress ──reply──▶ replied
    │  ▲                  │     ▲ │                                       │
    │  └─────────────┐    │     │ └─dispatch (re-dispatch)                 call_back
    │             dispatch return                                          ▼
    │                returned ◀┘                                       called_back
    ├─answer / divert──▶ closed ◀──────────────────────close─────────────┤
    └─merge──▶ merged                       dispatched ◀──reopen──────────┘

`extend` keeps a dispatched or in-progress ticket where it is; `divert` and `merge` also leave
a returned ticket, `merge` a dispatched one.
"""

from __future__ import annotations

from typing import Literal, get_args

from yiwang_shared.lifecycle import Lifecycle

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

TICKET: Lifecycle[Status, Action] = Lifecycle(
    "ticket",
    states=get_args(Status),
    actions=get_args(Action),
    transitions={
        "registered": {"dispatch": "dispatched", "divert": "closed", "answer": "closed", "merge": "merged"},
        "dispatched": {
            "dispatch": "dispatched",
            "merge": "merged",
            "return": "returned",
            "respond": "in_progress",
            "extend": "dispatched",
        },
        "returned": {"dispatch": "dispatched", "divert": "closed", "merge": "merged"},
        "in_progress": {"extend": "in_progress", "reply": "replied"},
        "replied": {"call_back": "called_back"},
        "called_back": {"reopen": "dispatched", "close": "closed"},
    },
)

#: Tickets still to be handled: the overdue scan, reminders and the past-due count watch these.
OPEN_STATUSES = frozenset({"registered", "dispatched", "returned", "in_progress"})
#: Tickets nothing more happens to (closed or merged into another).
FINISHED_STATUSES = frozenset(TICKET.final_states)


KbEntryStatus = Literal["draft", "published", "withdrawn"]
KbEntryAction = Literal["publish", "withdraw"]

#: A knowledge-base entry: published when a version is approved (or its catalogue item is
#: published), withdrawn by a reviewer, on expiry or when the catalogue item is retired; a new
#: version publishes it again.
KB_ENTRY: Lifecycle[KbEntryStatus, KbEntryAction] = Lifecycle(
    "knowledge-base entry",
    states=get_args(KbEntryStatus),
    actions=get_args(KbEntryAction),
    transitions={
        "draft": {"publish": "published"},
        "published": {"publish": "published", "withdraw": "withdrawn"},
        "withdrawn": {"publish": "published"},
    },
)


KbVersionStatus = Literal["draft", "in_review", "published", "superseded"]
KbVersionAction = Literal["edit", "submit", "approve", "reject", "supersede"]

#: The latest version of a knowledge-base entry. Editing a draft changes it in place; editing a
#: published (or superseded) version starts a new draft version after it, so the latest is a
#: draft again. A published version is superseded when a newer one is published.
KB_VERSION: Lifecycle[KbVersionStatus, KbVersionAction] = Lifecycle(
    "knowledge-base version",
    states=get_args(KbVersionStatus),
    actions=get_args(KbVersionAction),
    transitions={
        "draft": {"edit": "draft", "submit": "in_review"},
        "in_review": {"approve": "published", "reject": "draft"},
        "published": {"edit": "draft", "supersede": "superseded"},
        "superseded": {"edit": "draft"},
    },
)
