"""The supervision board's counts (`GET /v1/supervision/summary`): per deciding unit and in all,
the open cases per light — the very lights `/v1/supervision/cases` lists — beyond any page of the
board, and only the cases the caller may see."""

from __future__ import annotations

from collections import Counter
from typing import Any

from intake_support import DISTRICT, Env

OWNER = f"{DISTRICT}-SCJGJ"


async def _summary(env: Env, headers: dict[str, str], query: str = "") -> dict[str, Any]:
    resp = await env.client.get(f"/v1/supervision/summary{query}", headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()  # type: ignore[no-any-return]


def _from_board(items: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """The counts the web board made in the browser from a page of `/cases`."""
    out: dict[str, Counter[str]] = {}
    for c in items:
        counts = out.setdefault(c["owner_unit_code"], Counter())
        counts[c["colour"]] += 1
        counts["paused"] += c["paused"]
    return {
        unit: {
            "open": n["green"] + n["yellow"] + n["red"],
            **{k: n[k] for k in ("green", "yellow", "red", "paused")},
        }
        for unit, n in out.items()
    }


async def test_the_summary_counts_each_light_as_the_board_shows_it(env: Env) -> None:
    _, paused, _ = [await env.to_review() for _ in range(3)]
    await env.post(paused["id"], "pause", env.approver, {"procedure": "hearing", "reason": "依申请举行听证"})
    await env.submit()  # not yet accepted: not on the board
    for day in ("2026-09-20", "2026-10-09", "2026-10-13", "2026-10-30"):
        env.clock.set(day)
        board = (await env.client.get("/v1/supervision/cases", headers=env.supervisor)).json()
        summary = await _summary(env, env.supervisor)
        expected = _from_board(board["items"])
        assert {u.pop("unit_code"): u for u in summary["units"]} == expected, day
        assert summary["totals"] == expected[OWNER] and summary["totals"]["open"] == board["total"] == 3
        assert summary["totals"]["paused"] == 1 and summary["as_of"] == day
    assert summary["totals"]["red"] == 2  # the running ones, past due; the paused one's clock stands


async def test_the_summary_covers_the_units_the_caller_sees(env: Env) -> None:
    await env.to_review()  # received at W01, decided by SCJGJ
    one = {"open": 1, "green": 1, "yellow": 0, "red": 0, "paused": 0}
    none = {"open": 0, "green": 0, "yellow": 0, "red": 0, "paused": 0}
    sees = {
        "supervisor": env.supervisor,
        "the deciding unit's approver": env.approver,
        "the receiving window's clerk": env.clerk,
        "the centre above the window": env.staff("window_clerk", f"{DISTRICT}-ZWFW"),
    }
    for who, headers in sees.items():
        summary = await _summary(env, headers)
        assert summary["units"] == [{"unit_code": OWNER, **one}] and summary["totals"] == one, who
    for who, headers in {
        "another department": env.staff("approver", f"{DISTRICT}-MZJ"),
        "staff without a unit": env.tokens.headers(subject="nobody", kind="staff", roles=["approver"]),
    }.items():
        summary = await _summary(env, headers)
        assert summary["units"] == [] and summary["totals"] == none, who
    other = await _summary(env, env.supervisor, f"?unit_code={DISTRICT}-MZJ")
    assert other["units"] == [] and other["totals"] == none
    resp = await env.client.get("/v1/supervision/summary", headers=env.citizen)
    assert resp.status_code == 403
