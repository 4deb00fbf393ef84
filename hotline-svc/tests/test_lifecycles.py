"""The declared state machines: every state reachable (or where an aggregate starts), nothing
leaves a final state, and an action a state does not allow is the service's 409."""

from __future__ import annotations

import pytest

from hotline import errors
from hotline.lifecycles import KB_ENTRY, KB_VERSION, TICKET
from hotline.models import KbEntry, KbVersion, Ticket
from hotline.services.common import transition
from hotline.services.kb import _version_step
from yiwang_shared.lifecycle import Lifecycle

#: Where each aggregate starts.
MACHINES: list[tuple[Lifecycle, set[str]]] = [  # type: ignore[type-arg]
    (TICKET, {"registered"}),
    (KB_ENTRY, {"draft"}),
    (KB_VERSION, {"draft"}),
]


@pytest.mark.parametrize(("machine", "initial"), MACHINES, ids=lambda m: getattr(m, "name", ""))
def test_every_state_is_reachable_or_initial(machine: Lifecycle, initial: set[str]) -> None:  # type: ignore[type-arg]
    reached = set(initial)
    frontier = list(initial)
    while frontier:
        state = frontier.pop()
        for action in machine.allowed(state):
            target = machine.target(state, action)
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(machine.states)


@pytest.mark.parametrize(("machine", "initial"), MACHINES, ids=lambda m: getattr(m, "name", ""))
def test_final_states_allow_nothing(machine: Lifecycle, initial: set[str]) -> None:  # type: ignore[type-arg]
    for state in machine.final_states:
        assert machine.allowed(state) == []
        assert state not in initial


def test_ticket_machine_is_the_handling_table() -> None:
    # action → (statuses it starts from, status it leads to; None keeps the status)
    table: dict[str, tuple[set[str], str | None]] = {
        "dispatch": ({"registered", "returned", "dispatched"}, "dispatched"),
        "divert": ({"registered", "returned"}, "closed"),
        "answer": ({"registered"}, "closed"),
        "merge": ({"registered", "dispatched", "returned"}, "merged"),
        "return": ({"dispatched"}, "returned"),
        "respond": ({"dispatched"}, "in_progress"),
        "extend": ({"dispatched", "in_progress"}, None),
        "reply": ({"in_progress"}, "replied"),
        "call_back": ({"replied"}, "called_back"),
        "reopen": ({"called_back"}, "dispatched"),
        "close": ({"called_back"}, "closed"),
    }
    for action, (sources, target) in table.items():
        assert set(TICKET.sources(action)) == sources, action
        for source in sources:
            assert TICKET.target(source, action) == (target or source)
    assert set(TICKET.final_states) == {"closed", "merged"}
    assert TICKET.allowed("dispatched") == ["dispatch", "merge", "return", "respond", "extend"]


def test_a_refused_ticket_action_is_the_409_naming_what_is_allowed() -> None:
    ticket = Ticket(number="HL-1", status="replied")
    with pytest.raises(errors.InvalidTransition) as refused:
        transition(ticket, "close")
    assert refused.value.status == 409 and refused.value.code == "hotline.invalid_transition"
    assert refused.value.extra == {"status_now": "replied", "allowed_actions": ["call_back"]}
    assert ticket.status == "replied"
    assert transition(ticket, "call_back") == ("replied", "called_back")


def test_a_refused_knowledge_base_step_is_the_409() -> None:
    entry = KbEntry(id="kb-1", status="draft")
    with pytest.raises(errors.KbInvalidTransition) as refused:
        _version_step(entry, KbVersion(status="in_review"), "edit")
    assert refused.value.status == 409 and refused.value.code == "hotline.kb_invalid_transition"
    assert refused.value.extra == {"status_now": "in_review"}
    assert _version_step(entry, KbVersion(status="published"), "edit") == "draft"
    assert not KB_ENTRY.can("withdrawn", "withdraw")
