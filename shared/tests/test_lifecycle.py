"""The declared state machine: allowed actions in declared order, refusals, typos caught at import."""

from __future__ import annotations

import pytest

from yiwang_shared.lifecycle import Lifecycle, TransitionRefused

DOOR = Lifecycle(
    "door",
    states=("open", "closed", "locked", "gone"),
    actions=("close", "open", "lock", "unlock", "remove"),
    transitions={
        "open": {"remove": "gone", "close": "closed"},
        "closed": {"open": "open", "lock": "locked"},
        "locked": {"unlock": "closed"},
    },
)


def test_allowed_actions_follow_the_declared_order() -> None:
    assert DOOR.allowed("open") == ["close", "remove"]
    assert DOOR.allowed("gone") == []
    assert DOOR.final_states == ["gone"]
    assert DOOR.sources("open") == ["closed"]


def test_a_refused_action_names_what_is_allowed() -> None:
    assert DOOR.target("closed", "lock") == "locked"
    with pytest.raises(TransitionRefused) as refused:
        DOOR.target("locked", "open")
    assert (refused.value.state, refused.value.action, refused.value.allowed) == (
        "locked",
        "open",
        ["unlock"],
    )
    assert not DOOR.can("locked", "open")


@pytest.mark.parametrize(
    "transitions",
    [{"ajar": {"close": "closed"}}, {"open": {"slam": "closed"}}, {"open": {"close": "shut"}}],
)
def test_a_typo_in_the_table_fails_at_declaration(transitions: dict[str, dict[str, str]]) -> None:
    with pytest.raises(ValueError):
        Lifecycle("door", states=("open", "closed"), actions=("close",), transitions=transitions)


def test_edges_list_every_transition() -> None:
    assert len(DOOR.edges()) == 5
