"""The declared state machines: every state reachable from the initial one, nothing leaves a final
state, the API's status values are the machine's states, and a refused action is the service's 409
before anything is written."""

from __future__ import annotations

from typing import Any

import pytest

from evaluation import errors
from evaluation.lifecycles import CASE, FLAG
from evaluation.models import BadReviewCase, RatingFlag
from evaluation.schemas import BadReviewStatus, RatingFlagStatus
from evaluation.services import cases, ratings
from yiwang_shared.auth import Principal
from yiwang_shared.lifecycle import Lifecycle, TransitionRefused


def _reachable(lifecycle: Lifecycle[Any, Any], initial: str) -> set[str]:
    seen, todo = {initial}, [initial]
    while todo:
        state = todo.pop()
        for edge in lifecycle.edges():
            if edge.source == state and edge.target not in seen:
                seen.add(edge.target)
                todo.append(edge.target)
    return seen


@pytest.mark.parametrize(
    ("lifecycle", "initial", "final", "api_states"),
    [
        (CASE, "open", {"closed", "superseded", "withdrawn"}, {s.value for s in BadReviewStatus}),
        (FLAG, "open", {"cleared", "rejected"}, {s.value for s in RatingFlagStatus}),
    ],
)
def test_every_state_reachable_and_final_states_have_no_actions(
    lifecycle: Lifecycle[Any, Any], initial: str, final: set[str], api_states: set[str]
) -> None:
    assert set(lifecycle.states) == api_states
    assert _reachable(lifecycle, initial) == set(lifecycle.states)
    assert set(lifecycle.final_states) == final
    assert all(lifecycle.allowed(state) == [] for state in final)
    used = {edge.action for edge in lifecycle.edges()}
    assert used == set(lifecycle.actions)  # no declared action is dead


def test_case_machine_encodes_the_handling_order() -> None:
    assert CASE.sources("feedback") == ["rectified", "explained", "appeal_upheld"]
    assert CASE.sources("close") == ["answered"]
    assert CASE.target("appealed", "reject_appeal") == "called_back"
    assert CASE.target("appealed", "reject_appeal_uncalled") == "open"
    assert CASE.target("rectifying", "transfer") == "rectifying"
    with pytest.raises(TransitionRefused) as refused:
        CASE.target("rectifying", "explain")
    assert refused.value.allowed == ["finish_rectification", "transfer", "supersede", "withdraw"]


STAFF = Principal(subject="handler-1", kind="staff", roles=frozenset({"handler"}), org_unit="110105-MZJ")


async def test_a_refused_case_step_is_409_invalid_step_before_any_write() -> None:
    case = BadReviewCase(id="case-1", status="closed", real_name=False, called_back_at=None)
    with pytest.raises(errors.InvalidStep) as refused:
        await cases.explain(None, case, actor=STAFF, note="x")  # type: ignore[arg-type]
    assert refused.value.status == 409 and refused.value.code == "evaluation.invalid_step"
    assert refused.value.extra == {"status_now": "closed"} and "解释说明" in refused.value.detail
    assert case.status == "closed" and case.resolution is None


async def test_a_decided_flag_is_409_flag_decided() -> None:
    flag = RatingFlag(id="flag-1", status="rejected")
    with pytest.raises(errors.FlagDecided) as refused:
        await ratings.decide_flag(None, flag, actor=STAFF, genuine=True, note="x", now=None)  # type: ignore[arg-type]
    assert refused.value.status == 409 and refused.value.code == "evaluation.flag_decided"
