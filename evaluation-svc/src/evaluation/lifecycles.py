"""The declared state machines of evaluation's aggregates: the bad-review case (差评整改) and the burst
flag (疑似刷评核定).

The bad-review case::

    open ─call_back─▶ called_back ─rectify─────────────────────────────────▶ rectified
      │                 │  └─plan_rectification─▶ rectifying ─finish_rectification─▶ rectified
      │                 ├─explain──────────────────────────────────────────▶ explained
      │                 └─appeal─▶ appealed ─uphold_appeal──────────────────▶ appeal_upheld
      │                                     ├─reject_appeal─▶ called_back
      │                                     └─reject_appeal_uncalled─▶ open
      └─ rectify / plan_rectification / explain / appeal, as from called_back (an anonymous bad
         review has nobody to call back; a real-name one is refused until called back)
    rectified / explained / appeal_upheld ─feedback─▶ answered ─close─▶ closed

`call_back_failed` (the rater was not reached) and `request_call_back` (the unit asks the office
for a call-back) keep the state, as `call_back` does once called back; `transfer` (to the hotline)
keeps the state and is possible once, in any state but the three closed ones. `supersede` and
`withdraw` are the system's: the rating left the indicators, and the case closes as `superseded`
or `withdrawn` from any state it is open in. A rejected appeal goes back to where the case stood:
`reject_appeal` once the rater was reached, `reject_appeal_uncalled` before.

The burst flag::

    open ─clear─▶ cleared        (the ratings are genuine)
    open ─reject─▶ rejected      (the ratings are forged)
"""

from __future__ import annotations

from typing import Literal, get_args

from yiwang_shared.lifecycle import Lifecycle

#: Every state of a bad-review case; the API's `status` values.
CaseStatus = Literal[
    "open",
    "called_back",
    "rectifying",
    "rectified",
    "explained",
    "appealed",
    "appeal_upheld",
    "answered",
    "closed",
    "superseded",
    "withdrawn",
]
#: Every action on a bad-review case.
CaseAction = Literal[
    "call_back",
    "call_back_failed",
    "request_call_back",
    "rectify",
    "plan_rectification",
    "finish_rectification",
    "explain",
    "appeal",
    "uphold_appeal",
    "reject_appeal",
    "reject_appeal_uncalled",
    "feedback",
    "close",
    "transfer",
    "supersede",
    "withdraw",
]


def _open_case(moves: dict[CaseAction, CaseStatus], stay: CaseStatus) -> dict[CaseAction, CaseStatus]:
    """The moves of a state a case is open in: its own, a transfer and the system's closings."""
    return {**moves, "transfer": stay, "supersede": "superseded", "withdraw": "withdrawn"}


#: Where the unit resolves the bad review: rectify now or by a date, explain, or appeal.
_RESOLVE: dict[CaseAction, CaseStatus] = {
    "rectify": "rectified",
    "plan_rectification": "rectifying",
    "explain": "explained",
    "appeal": "appealed",
}

CASE: Lifecycle[CaseStatus, CaseAction] = Lifecycle(
    "bad_review_case",
    states=get_args(CaseStatus),
    actions=get_args(CaseAction),
    transitions={
        "open": _open_case(
            {
                "call_back": "called_back",
                "call_back_failed": "open",
                "request_call_back": "open",
                **_RESOLVE,
            },
            "open",
        ),
        "called_back": _open_case(
            {
                "call_back": "called_back",
                "call_back_failed": "called_back",
                "request_call_back": "called_back",
                **_RESOLVE,
            },
            "called_back",
        ),
        "rectifying": _open_case({"finish_rectification": "rectified"}, "rectifying"),
        "appealed": _open_case(
            {
                "uphold_appeal": "appeal_upheld",
                "reject_appeal": "called_back",
                "reject_appeal_uncalled": "open",
            },
            "appealed",
        ),
        "rectified": _open_case({"feedback": "answered"}, "rectified"),
        "explained": _open_case({"feedback": "answered"}, "explained"),
        "appeal_upheld": _open_case({"feedback": "answered"}, "appeal_upheld"),
        "answered": _open_case({"close": "closed"}, "answered"),
        "closed": {},
        "superseded": {},
        "withdrawn": {},
    },
)

#: The states in which the rater may rate the handling: the unit has given its feedback. Rating it
#: moves no state, so it is no action of the machine.
FEEDBACK_GIVEN: frozenset[CaseStatus] = frozenset({"answered", "closed"})

#: Every state of a burst flag; the API's `status` values.
FlagStatus = Literal["open", "cleared", "rejected"]
#: The evaluation office's decisions on a flag.
FlagAction = Literal["clear", "reject"]

FLAG: Lifecycle[FlagStatus, FlagAction] = Lifecycle(
    "rating_flag",
    states=get_args(FlagStatus),
    actions=get_args(FlagAction),
    transitions={"open": {"clear": "cleared", "reject": "rejected"}, "cleared": {}, "rejected": {}},
)
