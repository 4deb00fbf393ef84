"""The three rates on a hand-computed example, the composite, and rankings.

Unit 朝外街道政务服务中心 (street 110105001), 4 responses due:
  t1 on time, t2 late, t3 on time, t4 never (its deadline passed) → response 2/4 = 50 %
  call-backs: t1 resolved+satisfied, t2 resolved+basically, t3 unresolved+not
  → resolution 2/3 = 66.67 %, satisfaction 1/3 = 33.33 % (基本满意 is not satisfied)
  → composite (10×50 + 45×66.667 + 45×33.333) / 100 = 50.00
Unit 建外街道政务服务中心 (street 110105002): 2 on time, 2 resolved+satisfied → 100 / 100 / 100 → 100.00
区民政局: 1 on time, resolved+basically → 100 / 100 / 0 → composite 55.00
The rules are docs/indicators.md's, which evaluation-svc follows too (tests/e2e/test_indicators_e2e.py
feeds the same tickets to both).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import httpx
import pytest
import time_machine
from fastapi import FastAPI
from hotline_support import D, People, act, create
from sqlalchemy import update

from hotline.models import ResponseDue
from hotline.services.rates import Tally, to_rates
from yiwang_shared.calendar import SHANGHAI
from yiwang_shared.orm import utcnow

#: A Monday in the middle of a month: every ticket, response and call-back below falls in one month.
AT = datetime(2026, 11, 16, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _mid_month() -> Iterator[None]:
    """The rates are per month; a run that crossed a month's end would split the example in two."""
    with time_machine.travel(AT, tick=True):
        yield


async def _past_due(app: FastAPI, ticket_id: str) -> None:
    async with app.state.db.transaction() as session:
        await session.execute(
            update(ResponseDue)
            .where(ResponseDue.ticket_id == ticket_id)
            .values(due_at=utcnow() - timedelta(minutes=1))
        )


async def _through(
    hl: httpx.AsyncClient, people: People, t: dict, unit: str, resolved: bool, satisfaction: str
) -> None:  # type: ignore[type-arg]
    await act(hl, t["id"], "respond", people.handler(unit), {})
    await act(hl, t["id"], "reply", people.handler(unit), {"reply": "已办理"})
    await act(hl, t["id"], "call-back", people.agent, {"resolved": resolved, "satisfaction": satisfaction})


async def test_three_rates_composite_and_rankings(
    app: FastAPI, hl: httpx.AsyncClient, people: People
) -> None:
    a, b = f"{D}001-FWZX", f"{D}002-FWZX"
    t1, t2, t3, t4 = [await create(hl, people.agent) for _ in range(4)]
    await _through(hl, people, t1, a, True, "satisfied")
    await _past_due(app, t2["id"])
    await _through(hl, people, t2, a, True, "basically")
    await _through(hl, people, t3, a, False, "not")
    await _past_due(app, t4["id"])
    for _ in range(2):
        tb = await create(hl, people.agent, street_code=f"{D}002")
        await _through(hl, people, tb, b, True, "satisfied")
    tm = await create(hl, people.agent, category_code="civil_affairs", attributes={})
    await _through(hl, people, tm, f"{D}-MZJ", True, "basically")
    # Not yet due and not responded: not in any denominator.
    await create(hl, people.agent)

    month = utcnow().astimezone(SHANGHAI).strftime("%Y-%m")
    rates = {
        r["unit_code"]: r
        for r in (await hl.get(f"/v1/rates?month={month}", headers=people.supervisor)).json()["items"]
    }
    ra = rates[a]
    assert (
        ra["responses_due"],
        ra["responded_on_time"],
        ra["called_back"],
        ra["resolved"],
        ra["satisfied"],
    ) == (4, 2, 3, 2, 1)
    assert (ra["response_rate"], ra["resolution_rate"], ra["satisfaction_rate"], ra["composite"]) == (
        50.0,
        66.67,
        33.33,
        50.0,
    )
    assert rates[b]["composite"] == 100.0
    assert (rates[f"{D}-MZJ"]["satisfaction_rate"], rates[f"{D}-MZJ"]["composite"]) == (0.0, 55.0)

    streets = (await hl.get(f"/v1/rankings?month={month}&kind=street", headers=people.supervisor)).json()
    assert [(r["unit_code"], r["rank"], r["composite"]) for r in streets["items"]] == [
        (f"{D}002", 1, 100.0),
        (f"{D}001", 2, 50.0),
    ]
    departments = (
        await hl.get(f"/v1/rankings?month={month}&kind=department", headers=people.supervisor)
    ).json()
    assert [(r["unit_code"], r["rank"]) for r in departments["items"]] == [(f"{D}-MZJ", 1)]

    # One 满意率: 基本满意 is shown as its own count, never as part of the satisfied.
    assert (ra["basically_satisfied"], ra["satisfied"], ra["satisfaction_rate"]) == (1, 1, 33.33)

    # A unit sees its own rates only; citizens none; a bad month is a 422.
    own = await hl.get(f"/v1/rates?month={month}", headers=people.handler(a))
    assert [r["unit_code"] for r in own.json()["items"]] == [a]
    assert (await hl.get(f"/v1/rates?month={month}&unit={b}", headers=people.handler(a))).status_code == 403
    assert (await hl.get(f"/v1/rates?month={month}", headers=people.citizen)).status_code == 403
    assert (await hl.get("/v1/rates?month=2026-13", headers=people.supervisor)).status_code == 422
    # Fuzzing with real ids found a 500 at the calendar's first month (issue 15, point 12).
    for edge in ("0001-01", "9999-12"):
        for path, extra in (("/v1/rates", {}), ("/v1/rankings", {"kind": "street"})):
            resp = await hl.get(path, params={"month": edge, **extra}, headers=people.supervisor)
            assert resp.status_code == 200, (path, edge, resp.text)


def test_rates_are_rounded_from_the_exact_counts() -> None:
    """107 of 4,000 is 2.675 %: rounded half-even from the exact value it is 2.68 (evaluation-svc:
    0.0268); from the float 2.67499… it was 2.67."""
    rates = to_rates(
        "110105001-FWZX", "2026-11", Tally(due=4000, on_time=107, called_back=3, resolved=2), (10, 45, 45)
    )
    assert (rates.response_rate, rates.resolution_rate, rates.satisfaction_rate) == (2.68, 66.67, 0.0)
    assert rates.composite == 30.27  # (10×2.675 + 45×66.667 + 45×0) / 100 = 30.2675
