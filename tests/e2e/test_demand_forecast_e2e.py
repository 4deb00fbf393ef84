"""Issue 21 §5 (需求预判) through the gateway: the demo hall's forecast of applications and visits
for the next four weeks, fitted in the background from the demo's year of history, beats the
seasonal-naive baseline on the held-out weeks, tells how many windows each weekday needs, and is
the supervisor's to read, not the window clerk's."""

from __future__ import annotations

import asyncio
import time
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from helpers import assert_problem, bearer, login

IN = "/api/intake/v1"
DEMO_PASSWORD = "Demo#2026"
HALL = "110105-ZWFW"  # 区政务服务中心 (its hall 110105-ZWFW-HALL)


async def _forecast(gw: httpx.AsyncClient, headers: dict[str, str], timeout: float = 180) -> dict[str, Any]:
    """The hall's forecast once the background pass has fitted it (409 until then)."""
    deadline = time.monotonic() + timeout
    while True:
        resp = await gw.get(f"{IN}/forecasts/demand", params={"unit_code": HALL, "weeks": 4}, headers=headers)
        if resp.status_code == 200:
            return dict(resp.json())
        assert_problem(resp, 409, "intake.forecast_not_ready")
        assert time.monotonic() < deadline, "the forecast pass never fitted the demo hall"
        await asyncio.sleep(1)


async def test_the_demo_hall_forecast_beats_the_naive_baseline(gw: httpx.AsyncClient) -> None:
    supervisor = bearer((await login(gw, "supervisor", DEMO_PASSWORD))["access_token"])
    clerk = bearer((await login(gw, "clerk", DEMO_PASSWORD))["access_token"])
    body = await _forecast(gw, supervisor)
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()

    assert body["unit_name"] == "区政务服务中心" and body["item_code"] is None
    assert date.fromisoformat(body["as_of"]) == today
    assert (today - date.fromisoformat(body["history_from"])).days >= 200  # the demo's year, cut to the fit
    days = body["days"]
    assert len(days) == 28 and days[0]["day"] == today.isoformat()
    # Sundays closed (the hall opens Saturday mornings): nothing forecast, no window needed.
    sundays = [d for d in days if d["weekday"] == 7]
    assert len(sundays) == 4 and all(not d["open"] and d["visits"]["forecast"] == 0 for d in sundays)
    open_days = [d for d in days if d["open"]]
    for d in open_days:
        for measure in ("applications", "visits"):
            figure = d[measure]
            assert figure["lower"] <= figure["forecast"] <= figure["upper"], d
    assert all(d["windows_needed"] >= 1 for d in open_days if d["visits"]["forecast"] >= 1)

    # How far to trust it: the last four weeks held out, the model's error below the baseline's
    # (over both measures: on a few days of the year one measure alone comes out level).
    tests = {t["measure"]: t for t in body["backtest"]}
    for test in tests.values():
        assert test["model"].startswith("ETS") and test["days"] >= 10, test
        assert test["mase"] is not None and test["baseline_mase"] is not None, test
        print(
            f"{test['measure']}: MAE {test['mae']} (MASE {test['mase']}) vs seasonal naive "
            f"{test['baseline_mae']} ({test['baseline_mase']}), {test['held_out_from']}–{test['held_out_to']}"
        )
    assert sum(t["mae"] for t in tests.values()) < sum(t["baseline_mae"] for t in tests.values()), tests

    staffing = body["staffing"]
    assert staffing["basis"] == "visits" and staffing["service_minutes"] > 0
    monday = next(w for w in staffing["weekdays"] if w["weekday"] == 1)
    saturday = next(w for w in staffing["weekdays"] if w["weekday"] == 6)
    assert monday["visits"] > saturday["visits"] > 0  # Saturday mornings only
    assert monday["windows_needed"] >= 1

    # The online hall too (网上办事大厅: applications every day, no numbers).
    online = await gw.get(f"{IN}/forecasts/demand", params={"unit_code": "online"}, headers=supervisor)
    if online.status_code == 200:
        assert online.json()["unit_name"] == "网上办事大厅"
    else:
        assert_problem(online, 409, "intake.forecast_not_ready")

    # The window clerk staffs no hall: refused.
    refused = await gw.get(f"{IN}/forecasts/demand", params={"unit_code": HALL}, headers=clerk)
    assert_problem(refused, 403)
