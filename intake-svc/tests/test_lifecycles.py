"""The declared state machines hold together (every state reachable, final states final), and a
refused action is the service's own 409 problem."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any, cast

import pytest

from intake.errors import AppointmentNotLive, InvalidTransition, QueueTicketState
from intake.lifecycles import APPLICATION, APPOINTMENT, TICKET, allowed_actions
from intake.services.cases import allowed_target
from intake.services.queue_calling import _move
from intake.services.queue_tickets import check_in
from yiwang_shared.lifecycle import Lifecycle


def _reachable(machine: Lifecycle[Any, Any], initial: str) -> set[str]:
    seen, todo = {initial}, [initial]
    while todo:
        state = todo.pop()
        for edge in machine.edges():
            if edge.source == state and edge.target not in seen:
                seen.add(edge.target)
                todo.append(edge.target)
    return seen


@pytest.mark.parametrize(
    ("machine", "initial", "final"),
    [
        (
            APPLICATION,
            "submitted",
            # Delivered is not final: a decision made on commitment can still be revoked (revoked).
            {"revoked", "withdrawn", "acceptance_revoked", "not_accepted", "correction_expired"},
        ),
        (TICKET, "waiting", {"completed", "no_show"}),
        (APPOINTMENT, "booked", {"cancelled"}),
    ],
)
def test_every_state_is_reachable_and_the_final_ones_allow_nothing(
    machine: Lifecycle[Any, Any], initial: str, final: set[str]
) -> None:
    assert _reachable(machine, initial) == set(machine.states)
    assert set(machine.final_states) == final
    assert all(machine.allowed(state) == [] for state in final)


def test_the_api_offers_the_allowed_actions_in_alphabetical_order() -> None:
    offered = ["correct_deficiencies", "hand_over", "revoke_acceptance", "withdraw"]
    assert allowed_actions("accepted") == offered
    assert allowed_actions("delivered") == ["revoke_decision"]  # the post-check's, never offered


def test_a_refused_application_action_is_the_invalid_transition_409() -> None:
    application = cast(Any, SimpleNamespace(status="delivered"))
    with pytest.raises(InvalidTransition) as refused:
        allowed_target(application, "withdraw")
    assert refused.value.status == 409 and refused.value.code == "intake.invalid_transition"
    assert refused.value.extra == {"current_status": "delivered", "allowed_actions": []}
    assert allowed_target(cast(Any, SimpleNamespace(status="submitted")), "accept") == "accepted"


async def test_a_refused_ticket_action_is_the_ticket_state_409() -> None:
    ticket = cast(Any, SimpleNamespace(status="completed", ticket_no="A001"))
    with pytest.raises(QueueTicketState) as refused:
        await _move(cast(Any, None), ticket, "start", ("开始办理", "started"))
    assert refused.value.status == 409 and refused.value.code == "intake.queue_ticket_state"
    assert refused.value.extra == {"current_status": "completed"}


async def test_checking_in_a_cancelled_booking_is_the_not_live_409() -> None:
    appointment = cast(Any, SimpleNamespace(status="cancelled", booking_no="YY0001", day=date(2026, 12, 3)))
    with pytest.raises(AppointmentNotLive) as refused:
        await check_in(cast(Any, None), appointment, now=datetime(2026, 12, 3, 2, tzinfo=UTC))
    assert refused.value.status == 409 and refused.value.code == "intake.appointment_not_live"
