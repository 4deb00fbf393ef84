"""intake's declared state machines: the application (办件状态), the hall queue's ticket (排队号) and
the appointment (预约). The services ask them whether an action is allowed and where it leads; the
API's `allowed_actions` and the 409 refusals come from them.

The application:

    submitted ──issue_notice──▶ correction_requested ──resubmit──▶ submitted   (一次性告知, loop)
    submitted / correction_requested ──refuse_acceptance──▶ not_accepted        (不予受理)
    correction_requested ──expire_correction──▶ correction_expired   (补正期限 passed, by the scan)
    submitted ──accept──▶ accepted ──hand_over──▶ under_review                 (受理, 接件转交)
    submitted ──accept (即办件, 告知承诺)──▶ completed                         (当场办结, 当场决定)
    accepted ──revoke_acceptance──▶ acceptance_revoked           (容缺 correction deadline passed)
    under_review ──pause──▶ suspended ──resume──▶ under_review                  (特别程序)
    under_review ──record_step / extend──▶ under_review
    under_review ──approve──▶ approved ──complete──▶ completed ──deliver──▶ delivered
    under_review ──refuse──▶ refused ──complete──▶ completed
    submitted / correction_requested / accepted / under_review / suspended ──withdraw──▶ withdrawn
    completed / delivered ──revoke_decision──▶ revoked         (告知承诺 found false at post-check)

`correct_deficiencies` (补齐容缺材料) keeps the state. Nothing leaves withdrawn, acceptance_revoked,
not_accepted, correction_expired or revoked. `revoke_acceptance` and `expire_correction` are the
system's (the scan) and `revoke_decision` the post-check's (/v1/post-checks): never offered on the
case.

The ticket: waiting ──call──▶ called ──start──▶ serving ──complete──▶ completed; a called ticket may be
called again (recall), completed at once, or marked a no-show (过号). The appointment: booked ──cancel──▶
cancelled; checking in (签到) issues a ticket and keeps the booking booked.
"""

from __future__ import annotations

from typing import Literal, get_args

from yiwang_shared.lifecycle import Lifecycle

#: Every state of an application (办件状态); the API's `status` values.
ApplicationStatus = Literal[
    "submitted",
    "correction_requested",
    "accepted",
    "under_review",
    "suspended",
    "approved",
    "refused",
    "completed",
    "delivered",
    "withdrawn",
    "acceptance_revoked",
    "not_accepted",
    "correction_expired",
    "revoked",
]
#: Every action of the state machine; the API's `allowed_actions` values.
ApplicationAction = Literal[
    "issue_notice",
    "resubmit",
    "accept",
    "accept_on_the_spot",
    "hand_over",
    "correct_deficiencies",
    "revoke_acceptance",
    "record_step",
    "pause",
    "resume",
    "extend",
    "approve",
    "refuse",
    "complete",
    "deliver",
    "withdraw",
    "refuse_acceptance",
    "expire_correction",
    "prereview",
    "revoke_decision",
]

TRANSITIONS: dict[ApplicationStatus, dict[ApplicationAction, ApplicationStatus]] = {
    "submitted": {
        "issue_notice": "correction_requested",
        "accept": "accepted",
        "accept_on_the_spot": "completed",
        "refuse_acceptance": "not_accepted",
        "prereview": "submitted",
        "withdraw": "withdrawn",
    },
    "correction_requested": {
        "resubmit": "submitted",
        "refuse_acceptance": "not_accepted",
        "expire_correction": "correction_expired",
        "withdraw": "withdrawn",
    },
    "accepted": {
        "hand_over": "under_review",
        "correct_deficiencies": "accepted",
        "revoke_acceptance": "acceptance_revoked",
        "withdraw": "withdrawn",
    },
    "under_review": {
        "record_step": "under_review",
        "correct_deficiencies": "under_review",
        "revoke_acceptance": "acceptance_revoked",
        "pause": "suspended",
        "extend": "under_review",
        "approve": "approved",
        "refuse": "refused",
        "withdraw": "withdrawn",
    },
    "suspended": {"resume": "under_review", "record_step": "suspended", "withdraw": "withdrawn"},
    "approved": {"complete": "completed"},
    "refused": {"complete": "completed"},
    "completed": {"deliver": "delivered", "revoke_decision": "revoked"},
    "delivered": {"revoke_decision": "revoked"},
    "revoked": {},
    "withdrawn": {},
    "acceptance_revoked": {},
    "not_accepted": {},
    "correction_expired": {},
}

STATUS_NAMES: dict[str, str] = {
    "submitted": "已接件",
    "correction_requested": "待补正",
    "accepted": "已受理",
    "under_review": "审查中",
    "suspended": "特别程序中",
    "approved": "准予",
    "refused": "不予",
    "completed": "已办结",
    "delivered": "已送达",
    "withdrawn": "已撤回",
    "acceptance_revoked": "已撤销受理",
    "not_accepted": "不予受理",
    "correction_expired": "逾期未补正",
    "revoked": "已撤销决定",
}

#: The actions in Chinese, for the texts a person reads (办理环节).
ACTION_NAMES: dict[str, str] = {
    "issue_notice": "出具一次性告知书",
    "resubmit": "补正材料",
    "accept": "受理",
    "accept_on_the_spot": "当场受理并办结",
    "hand_over": "接件转交",
    "correct_deficiencies": "补齐容缺材料",
    "revoke_acceptance": "撤销受理",
    "record_step": "记录审查环节",
    "pause": "启动特别程序",
    "resume": "结束特别程序",
    "extend": "延长办理期限",
    "approve": "准予",
    "refuse": "不予",
    "complete": "办结",
    "deliver": "送达",
    "withdraw": "撤回申请",
    "refuse_acceptance": "不予受理",
    "expire_correction": "逾期未补正终止办理",
    "prereview": "咨询预审并转交",
    "revoke_decision": "撤销决定（告知承诺核查不实）",
}

STATUSES: tuple[ApplicationStatus, ...] = get_args(ApplicationStatus)
ACTIONS: tuple[ApplicationAction, ...] = get_args(ApplicationAction)

#: Cases whose time limit runs (or is paused): electronic supervision watches these.
OPEN_STATES = ("accepted", "under_review", "suspended")
#: Actions never offered on the case itself: the system's (the supervision scan) and the revocation
#: a failed post-check of a commitment takes (through /v1/post-checks).
SYSTEM_ACTIONS = frozenset({"revoke_acceptance", "expire_correction", "revoke_decision"})


APPLICATION: Lifecycle[ApplicationStatus, ApplicationAction] = Lifecycle(
    "application", states=STATUSES, actions=ACTIONS, transitions=TRANSITIONS
)


def allowed_actions(status: str) -> list[ApplicationAction]:
    """The actions allowed in `status`, in alphabetical order (the API's `allowed_actions`)."""
    return sorted(APPLICATION.allowed(status))


#: Every status of a hall queue ticket (排队号状态).
TicketStatus = Literal["waiting", "called", "serving", "completed", "no_show"]
#: What a window does with a ticket: call it, call it again (重呼), start serving, complete it (办结),
#: mark it a no-show (过号).
TicketAction = Literal["call", "recall", "start", "complete", "no_show"]

TICKET: Lifecycle[TicketStatus, TicketAction] = Lifecycle(
    "queue_ticket",
    states=get_args(TicketStatus),
    actions=get_args(TicketAction),
    transitions={
        "waiting": {"call": "called"},
        "called": {"recall": "called", "start": "serving", "complete": "completed", "no_show": "no_show"},
        "serving": {"complete": "completed"},
    },
)

#: Every status of a booking (预约状态).
AppointmentStatus = Literal["booked", "cancelled"]
#: What happens to a booking: cancelled, or checked in at the hall (签到, which issues its ticket).
AppointmentAction = Literal["cancel", "check_in"]

APPOINTMENT: Lifecycle[AppointmentStatus, AppointmentAction] = Lifecycle(
    "appointment",
    states=get_args(AppointmentStatus),
    actions=get_args(AppointmentAction),
    transitions={"booked": {"cancel": "cancelled", "check_in": "booked"}},
)

#: Every status of a 免申即享 offer (免申即享状态).
OfferStatus = Literal["offered", "confirmed", "declined", "expired"]
#: What happens to an offer: the person confirms it (which opens the case) or declines it; the
#: system lets it lapse at `expires_at` (never offered to a person).
OfferAction = Literal["confirm", "decline", "expire"]

#: offered ──confirm──▶ confirmed; offered ──decline──▶ declined; offered ──expire──▶ expired (the scan).
OFFER: Lifecycle[OfferStatus, OfferAction] = Lifecycle(
    "proactive_offer",
    states=get_args(OfferStatus),
    actions=get_args(OfferAction),
    transitions={"offered": {"confirm": "confirmed", "decline": "declined", "expire": "expired"}},
)

OFFER_STATUS_NAMES: dict[str, str] = {
    "offered": "待确认",
    "confirmed": "已确认",
    "declined": "已放弃",
    "expired": "已过期",
}
