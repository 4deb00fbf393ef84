"""Checks that depend only on the caller's roles are route dependencies (docs/services.md,
"Authorisation"): someone without the role is refused (403, the service's code and Chinese text)
before the request is validated — an invalid body or query from the wrong person is a 403, not a
422 that tells them how to fix a request they may not make. Someone with the role still gets the
422 for the same request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from eval_support import MZJ, WINDOW, citizen, office, staff

from evaluation import errors
from yiwang_shared.errors import Forbidden
from yiwang_shared.testing.tokens import TestTokens

Headers = Callable[[TestTokens], dict[str, str]]

CASE = "/v1/bad-reviews/00000000-0000-0000-0000-000000000000"
NOT_A_WINDOW = "not a window!"  # RatingDeviceCreate.window_code and the query allow [A-Za-z0-9_-]


def _citizen(tokens: TestTokens) -> dict[str, str]:
    return citizen(tokens, "citizen-zhao")


def _clerk(tokens: TestTokens) -> dict[str, str]:
    return staff(tokens, WINDOW, "window_clerk", subject="clerk-zhao")


def _clerk_without_unit(tokens: TestTokens) -> dict[str, str]:
    return tokens.headers(subject="clerk-nowhere", kind="staff", roles=["window_clerk"])


def _handler(tokens: TestTokens) -> dict[str, str]:
    return staff(tokens, MZJ, "handler", subject="handler-zhao")


def _supervisor(tokens: TestTokens) -> dict[str, str]:
    return staff(tokens, MZJ, "supervisor", subject="supervisor-zhao")


def _admin(tokens: TestTokens) -> dict[str, str]:
    return staff(tokens, MZJ, "admin", subject="admin-zhao")


@dataclass(frozen=True)
class Call:
    """A request that fails validation, who lacks the role for it, and who holds it."""

    method: str
    path: str
    refused: Headers
    refusal: Callable[[], Forbidden]
    admitted: Headers
    body: Any = None
    params: dict[str, str] | None = None

    async def send(self, client: httpx.AsyncClient, headers: dict[str, str]) -> httpx.Response:
        return await client.request(
            self.method, self.path, json=self.body, params=self.params, headers=headers
        )


_STEP = {"note": ""}  # every step's note is at least one character

CALLS = {
    # ratings.py: a window clerk of a window registers visits (administrators included: not theirs)
    "window-visits by a citizen": Call(
        "POST", "/v1/window-visits", _citizen, errors.not_window_clerk, _clerk, {"unit_code": "x" * 65}
    ),
    "window-visits by a handler": Call(
        "POST", "/v1/window-visits", _handler, errors.not_window_clerk, _clerk, {"unit_code": "x" * 65}
    ),
    "window-visits by an administrator": Call(
        "POST", "/v1/window-visits", _admin, errors.not_window_clerk, _clerk, {"unit_code": "x" * 65}
    ),
    "window-visits by a clerk of no unit": Call(
        "POST", "/v1/window-visits", _clerk_without_unit, errors.not_window_clerk, _clerk, {"item_name": 7}
    ),
    # pads.py: the evaluation office registers pads and decides flags; overseers read them
    "rating-devices register by a clerk": Call(
        "POST", "/v1/rating-devices", _clerk, errors.not_office, office, {"window_code": NOT_A_WINDOW}
    ),
    "rating-devices register by a supervisor": Call(
        "POST", "/v1/rating-devices", _supervisor, errors.not_office, office, {"window_code": NOT_A_WINDOW}
    ),
    "rating-devices list by a clerk": Call(
        "GET", "/v1/rating-devices", _clerk, errors.not_office, office, params={"window_code": "W" * 65}
    ),
    "rating-flags list by a handler": Call(
        "GET", "/v1/rating-flags", _handler, errors.not_office, _supervisor, params={"status": "bogus"}
    ),
    "rating-flags decision by a supervisor": Call(
        "POST",
        "/v1/rating-flags/no-such-flag/decision",
        _supervisor,
        errors.not_office,
        office,
        {"genuine": "perhaps", "note": "看过了"},
    ),
    # indicators.py: ranking rules are set by evaluators and administrators
    "ranking-rules put by a supervisor": Call(
        "PUT", "/v1/ranking-rules/red_flag_window", _supervisor, errors.not_evaluator, office, {"top_n": 0}
    ),
    # cases.py: bad-review cases are for staff
    "bad-reviews list by a citizen": Call(
        "GET", "/v1/bad-reviews", _citizen, errors.staff_only, _handler, params={"status": "bogus"}
    ),
    "call-back by a citizen": Call(
        "POST", f"{CASE}/call-back", _citizen, errors.staff_only, office, {"reached": "perhaps", "note": "x"}
    ),
    "call-back-request by a citizen": Call(
        "POST", f"{CASE}/call-back-request", _citizen, errors.staff_only, _handler, _STEP
    ),
    "rectify by a citizen": Call(
        "POST", f"{CASE}/rectify", _citizen, errors.staff_only, _handler, {"due_on": "soon", "note": "x"}
    ),
    "rectification-done by a citizen": Call(
        "POST", f"{CASE}/rectification-done", _citizen, errors.staff_only, _handler, _STEP
    ),
    "explain by a citizen": Call("POST", f"{CASE}/explain", _citizen, errors.staff_only, _handler, _STEP),
    "appeal by a citizen": Call("POST", f"{CASE}/appeal", _citizen, errors.staff_only, _handler, _STEP),
    "appeal-decision by a citizen": Call(
        "POST", f"{CASE}/appeal-decision", _citizen, errors.staff_only, _supervisor, {"note": "x"}
    ),
    "feedback by a citizen": Call(
        "POST", f"{CASE}/feedback", _citizen, errors.staff_only, _handler, {"text": ""}
    ),
    "transfer by a citizen": Call("POST", f"{CASE}/transfer", _citizen, errors.staff_only, _handler, _STEP),
}


@pytest.mark.parametrize("call", list(CALLS.values()), ids=list(CALLS))
async def test_an_invalid_request_from_someone_without_the_role_is_refused_before_it_is_validated(
    client: httpx.AsyncClient, tokens: TestTokens, call: Call
) -> None:
    refused = await call.send(client, call.refused(tokens))
    expected = call.refusal()
    assert refused.status_code == 403, refused.text
    assert refused.json()["code"] == expected.code
    assert refused.json()["detail"] == expected.detail

    # The same request from someone who holds the role is still validated.
    admitted = await call.send(client, call.admitted(tokens))
    assert admitted.status_code == 422, admitted.text


async def test_without_a_token_the_role_checked_routes_still_answer_401(client: httpx.AsyncClient) -> None:
    for call in CALLS.values():
        anonymous = await call.send(client, {})
        assert anonymous.status_code == 401, (call.path, anonymous.text)
