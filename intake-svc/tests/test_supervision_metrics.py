"""`yiwang_intake_cases{colour}`: the grouped count agrees with the supervisor's board."""

from __future__ import annotations

from collections import Counter

from intake_support import Env
from prometheus_client import REGISTRY

from intake.services.metrics import case_colours, refresh


async def _board_colours(env: Env) -> dict[str, int]:
    cases = (await env.client.get("/v1/supervision/cases", headers=env.supervisor)).json()
    counts = Counter({"green": 0, "yellow": 0, "red": 0})
    counts.update(c["colour"] for c in cases["items"])
    return dict(counts)


async def test_case_colour_gauge_follows_the_board_as_the_clock_moves(env: Env) -> None:
    await env.to_review()
    await env.to_review()
    paused = await env.to_review()
    await env.post(paused["id"], "pause", env.approver, {"procedure": "hearing", "reason": "依申请举行听证"})
    await env.submit()  # received, not accepted: not an open case for supervision
    expected = {
        "2026-09-22": {"green": 3, "yellow": 0, "red": 0},
        "2026-10-09": {"green": 1, "yellow": 2, "red": 0},  # the paused case's due date moved on
        "2026-10-13": {"green": 1, "yellow": 0, "red": 2},
    }
    for day, colours in expected.items():
        env.clock.set(day)
        assert await _board_colours(env) == colours, day
        state = env.app.state
        assert await case_colours(state.db, state.settings, state.clock()) == colours, day
        await refresh(state.db, state.settings, state.clock())
        for colour, n in colours.items():
            assert REGISTRY.get_sample_value("yiwang_intake_cases", {"colour": colour}) == n
    text = (await env.client.get("/metrics")).text
    assert 'yiwang_intake_cases{colour="red"} 2.0' in text
