"""The closed sets the API publishes as enums stay in step with the code that uses them: a state,
action or message kind missing from its enum would make a response fail validation (a 500)."""

from __future__ import annotations

from typing import get_args

from intake.lifecycles import ACTION_NAMES, ACTIONS, STATUS_NAMES, STATUSES, TRANSITIONS
from intake.schemas import ApplicationRead
from intake.services.notification_texts import KINDS, TEMPLATES


def test_every_state_and_action_is_in_the_enums_and_has_a_chinese_name() -> None:
    assert set(TRANSITIONS) == set(STATUSES) == set(STATUS_NAMES)
    used = {action for moves in TRANSITIONS.values() for action in moves}
    assert used == set(ACTIONS) == set(ACTION_NAMES)
    assert {target for moves in TRANSITIONS.values() for target in moves.values()} <= set(STATUSES)


def test_every_notification_kind_has_its_text() -> None:
    assert set(KINDS) == set(TEMPLATES)


def test_the_read_model_publishes_the_same_sets() -> None:
    fields = ApplicationRead.model_fields
    assert set(get_args(fields["status"].annotation)) == set(STATUSES)
    (action,) = get_args(fields["allowed_actions"].annotation)
    assert set(get_args(action)) == set(ACTIONS)
