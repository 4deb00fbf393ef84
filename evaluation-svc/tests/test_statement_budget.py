"""The SQL statements of each write step of a window visit's rating (issue 19: at most 8 per request,
the answer included, SQLite's BEGIN counted as bench/floor counts it), driven through the app on
the test database as bench/floor drives it: the clerk registers a visit, the window's pad fetches
its one-time code, the visitor rates with it — a good rating, and a bad one, which opens a
bad-review case with a working-day deadline.

Statement counts are deterministic, so they are asserted here; what a step costs in time is
bench/floor's to measure. `EVALUATION_LOG_SQL=1` prints each request's statements."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from eval_support import MZJ, WINDOW, citizen, deliver, item_published, office, rating_pad, ticket
from fastapi import FastAPI

from yiwang_shared.testing.statements import STATEMENTS, counting_on
from yiwang_shared.testing.tokens import TestTokens

#: At most this many statements per write request (issue 19), BEGIN included on SQLite.
BUDGET = 8
#: A bad rating writes three tables more than a good one (the case, its first step, the case's
#: event with the rating's) and checks the read models once (the calendar gives the case's
#: deadline): held to the budget without SQLite's BEGIN (the statements PostgreSQL sends).
BEYOND_BEGIN = frozenset({"rating bad"})
#: identity's ids of the department and its window (its tokens name a unit by id, and by code).
MZJ_ID, WINDOW_ID = (str(uuid.uuid5(uuid.NAMESPACE_URL, f"org:{code}")) for code in (MZJ, WINDOW))


@contextmanager
def counting(app: FastAPI) -> Iterator[None]:
    """Record the statements every request of the block sends (in its own task)."""
    with counting_on(app.state.db.engine):
        yield


class Steps:
    """Posts each step and keeps the statements it sent."""

    def __init__(self, app: FastAPI, client: httpx.AsyncClient) -> None:
        self.client = client
        self.begin = 1 if app.state.db.sqlite else 0
        self.counts: dict[str, int] = {}

    async def post(
        self, name: str, path: str, headers: dict[str, str] | None, body: Any, *, expect: int = 200
    ) -> dict[str, Any]:
        seen: list[str] = []
        token = STATEMENTS.set(seen)
        try:
            resp = await self.client.post(path, json=body, headers=headers or {})
        finally:
            STATEMENTS.reset(token)
        assert resp.status_code == expect, resp.text
        self.counts[name] = len(seen)
        if os.environ.get("EVALUATION_LOG_SQL") == "1":
            print(f"\n--- {name}: {len(seen)} statements")
            for s in seen:
                print("   ", s)
        return resp.json()  # type: ignore[no-any-return]

    async def rate_a_visit(
        self,
        name: str,
        clerk: dict[str, str],
        pad: tuple[str, str],
        *,
        level: int,
        served: str | None = None,
    ) -> dict[str, Any]:
        """The clerk registers a visit, the pad fetches its code, the visitor rates with it."""
        body = {"item_code": "ITEM-GAOLING", "item_name": "高龄津贴", "served_subject": served}
        visit = await self.post(f"visit {name}", "/v1/window-visits", clerk, body, expect=201)
        shown = await self.post(
            f"pad code {name}",
            f"/v1/rating-devices/{pad[0]}/code",
            None,
            {"secret": pad[1], "service_event_id": visit["id"]},
        )
        rating = await self.post(
            f"rating {name}",
            f"/v1/service-events/{visit['id']}/rating",
            None,
            {"level": level, "channel": "device", "code": shown["rating_code"]},
            expect=201,
        )
        return {"visit": visit, "rating": rating}

    def over_budget(self) -> dict[str, int]:
        return {
            name: n
            for name, n in self.counts.items()
            if n - (self.begin if name in BEYOND_BEGIN else 0) > BUDGET
        }


async def _window_and_item(app: FastAPI) -> None:
    """The department, its window and a published item in evaluation's read models (as identity's
    and catalog's events put them there)."""
    unit = {"org_unit_id": MZJ_ID, "change": "created", "changed_fields": [], "code": MZJ, "name": "区民政局"}
    unit |= {"kind": "department", "level": 4, "parent_id": None, "uscc": None}
    unit |= {"changed_at": "2026-11-01T00:00:00+00:00"}
    await deliver(app, "identity.org_unit.changed.v1", unit)
    window = unit | {"org_unit_id": WINDOW_ID, "code": WINDOW, "name": "综合窗口1", "parent_id": MZJ_ID}
    await deliver(app, "identity.org_unit.changed.v1", window | {"kind": "window"})
    await deliver(app, "catalog.item.published.v1", item_published("ITEM-GAOLING", "高龄津贴"))


async def test_a_visit_its_code_and_its_rating_stay_within_the_statement_budget(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    await _window_and_item(app)
    pad = await rating_pad(client, tokens, WINDOW)
    steps = Steps(app, client)
    with counting(app):
        # The first round warms the process's read-model caches (the calendar: the bad rating's).
        for round_ in ("warm-up", "good", "bad"):
            level = {"warm-up": 4, "good": 1, "bad": 4}[round_]
            seen = await steps.rate_a_visit(round_, _clerk(tokens), pad, level=level)
    del steps.counts["visit warm-up"], steps.counts["pad code warm-up"], steps.counts["rating warm-up"]
    assert seen["visit"]["unit_code"] == MZJ and seen["visit"]["window_code"] == WINDOW
    assert seen["visit"]["item_name"] == "高龄津贴" and seen["rating"]["level"] == 4
    cases = await client.get("/v1/bad-reviews", headers=office(tokens))
    assert seen["rating"]["id"] in {c["rating_id"] for c in cases.json()["items"]}
    assert steps.over_budget() == {}, steps.counts


@pytest.fixture
async def bursty(app: FastAPI) -> FastAPI:
    """evaluation-svc where two ratings on one clerk's visits within an hour are a burst."""
    app.state.settings.burst_ratings = 2
    app.state.settings.burst_minutes = 60
    return app


async def test_the_burst_span_counted_with_the_event_takes_a_superseded_rating_out(
    bursty: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    """The clerk's ratings in the span are counted by the rating's first statement, before the new
    rating: a rating the person served supersedes leaves the count, the new one joins it — as a
    count after the insert finds them."""
    await _window_and_item(bursty)
    pad = await rating_pad(client, tokens, WINDOW)
    steps = Steps(bursty, client)
    with counting(bursty):
        first = await steps.rate_a_visit("by code", _clerk(tokens), pad, level=1, served="citizen-qian")
        own = await steps.post(
            "own rating",
            f"/v1/service-events/{first['visit']['id']}/rating",
            citizen(tokens, "citizen-qian"),
            {"level": 2, "channel": "mobile"},
            expect=201,
        )
        # One rating in force in the span (the person's own): no burst yet.
        assert (await client.get("/v1/rating-flags", headers=office(tokens))).json()["items"] == []
        second = await steps.rate_a_visit("second", _clerk(tokens), pad, level=1)
    flags = (await client.get("/v1/rating-flags", headers=office(tokens))).json()["items"]
    assert [sorted(f["rating_ids"]) for f in flags] == [sorted([own["id"], second["rating"]["id"]])]
    # A burst's rating reads and writes the flag (the clerk's loose ratings, the open flag, the flag,
    # the ratings it holds), a superseding one the rating it withdraws: paths beside the budget's.
    assert steps.counts["rating by code"] <= BUDGET, steps.counts


def _clerk(tokens: TestTokens) -> dict[str, str]:
    """The clerk at the window, as identity's tokens name a unit: its id and its code."""
    return tokens.headers(
        subject="clerk-budget", kind="staff", roles=["window_clerk"], org_unit=WINDOW_ID, org_unit_code=WINDOW
    )


async def test_a_response_obligations_events_stay_within_the_statement_budget(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    """A dispatch and a response each move the obligation and 响应率's rollup (issue 19): the
    consumer's step, its dedup and its commit included, stays within the budget."""
    counts: dict[str, int] = {}
    with counting(app):
        for kind in ("dispatched", "responded", "dispatched"):  # the last: a re-dispatch elsewhere
            unit = MZJ if len(counts) < 2 else WINDOW
            data = ticket(kind, unit=unit, ticket_id="budget-1", redispatch=len(counts) == 2)
            seen: list[str] = []
            token = STATEMENTS.set(seen)
            try:
                assert await deliver(app, f"hotline.ticket.{kind}.v1", data) == "handled"
            finally:
                STATEMENTS.reset(token)
            counts[f"{kind} {len(counts)}"] = len(seen)
    assert all(3 <= n <= BUDGET for n in counts.values()), counts
