"""Demand history and forecasts (需求预判): the daily counts are kept in the transaction that creates
the case or the number (a retried submission counts once, a refused one not at all), the forecast
beats the seasonal-naive baseline on held-out weeks of a seasonal series, and only supervisors and
administrators read it."""

from __future__ import annotations

import asyncio
import random
import uuid
from datetime import date, timedelta

from intake_support import Env, complete_materials
from queue_support import QueueEnv
from sqlalchemy import select

from intake.models.demand import DemandDay
from intake.repositories.demand import DemandRepository
from intake.services import forecasting
from intake.services.demand import NO_ITEM, ONLINE
from intake.services.forecast_worker import ForecastWorker

CENTRE = "110105-ZWFW"


async def _counts(db: object, unit_code: str) -> dict[str, tuple[int, int]]:
    async with db.transaction(write=False) as session:  # type: ignore[attr-defined]
        rows = await session.scalars(select(DemandDay).where(DemandDay.unit_code == unit_code))
        return {r.item_code: (r.applications, r.visits) for r in rows}


async def test_applications_count_once_at_their_hall(env: Env) -> None:
    body = {
        "item_code": "SCJ-0001",
        "applicant": {"id": env.citizen_id, "name": "张伟", "phone": "13810000001"},
        "materials": complete_materials(),
    }
    key = {**env.clerk, "Idempotency-Key": "k-" + uuid.uuid4().hex}
    first = await env.client.post("/v1/applications", json=body, headers=key)
    again = await env.client.post("/v1/applications", json=body, headers=key)  # a retry: replayed
    assert first.status_code == again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    # Concurrent duplicates of another key make one case, and one count.
    other = {**env.clerk, "Idempotency-Key": "k-" + uuid.uuid4().hex}
    results = await asyncio.gather(
        *(env.client.post("/v1/applications", json=body, headers=other) for _ in range(4))
    )
    assert len({r.json()["id"] for r in results if r.status_code == 201}) == 1
    # Refused (unknown item): nothing created, nothing counted.
    refused = await env.client.post(
        "/v1/applications", json={**body, "item_code": "NOPE-1"}, headers=env.clerk
    )
    assert refused.status_code == 422
    # The window 110105-ZWFW-W01 is the centre's: counted at the hall, on the day received.
    assert await _counts(env.db, CENTRE) == {"SCJ-0001": (2, 0)}
    # The day is Beijing's: 07:00 on the 22nd is still the 21st in UTC.
    env.clock.set("2026-09-22", hour=7)
    await env.submit()
    async with env.db.transaction(write=False) as session:
        rows = await session.scalars(select(DemandDay).where(DemandDay.unit_code == CENTRE))
        days = {r.day: r.applications for r in rows}
    assert days == {date(2026, 9, 21): 2, date(2026, 9, 22): 1}
    # Online: the online hall.
    await env.submit(env.citizen)
    assert await _counts(env.db, ONLINE) == {"SCJ-0001": (1, 0)}


async def test_numbers_taken_count_as_visits(qenv: QueueEnv) -> None:
    await qenv.publish_item("MZJ-0001")
    await qenv.hall()
    await qenv.take(item_code="MZJ-0001")
    await qenv.take(item_code="MZJ-0001")
    await qenv.take(category_code="A")  # by category: no item named
    refused = await qenv.client.post(f"/v1/places/{qenv.place_id}/queue/tickets", json={"category_code": "Z"})
    assert refused.status_code >= 400
    assert await _counts(qenv.db, CENTRE) == {"MZJ-0001": (0, 2), NO_ITEM: (0, 1)}


def _synthetic(first: date, days: int, seed: int = 7) -> tuple[dict[date, float], set[date]]:
    """A year of a hall's days: weekly season, trend, noise, closed on Sundays and a holiday week."""
    rng = random.Random(seed)
    shape = {0: 1.3, 1: 1.0, 2: 0.95, 3: 1.05, 4: 1.15, 5: 0.5, 6: 0.0}
    closed = {first + timedelta(days=n) for n in range(days) if (first + timedelta(days=n)).weekday() == 6}
    holiday = first + timedelta(days=200)
    closed |= {holiday + timedelta(days=n) for n in range(7)}
    history = {}
    for n in range(days):
        day = first + timedelta(days=n)
        if day in closed:
            continue
        mean = 60 * shape[day.weekday()] * (1 + 0.2 * n / days)
        history[day] = max(0.0, round(rng.gauss(mean, 1.3 * mean**0.5)))
    return history, closed


def test_the_forecast_beats_the_seasonal_naive_baseline_on_held_out_weeks() -> None:
    first = date(2025, 12, 1)
    history, closed = _synthetic(first, 364)
    last = first + timedelta(days=363)
    result = forecasting.forecast_measure(
        history, first=first, last=last, is_open=lambda d: d.weekday() != 6 and d not in closed
    )
    test = result.backtest
    assert test is not None and result.model == forecasting.MODEL
    assert test.days == 24  # four weeks of six open days
    assert test.mae < test.baseline_mae, test
    assert test.mase is not None and test.baseline_mase is not None and test.mase < test.baseline_mase
    print(f"synthetic: MAE {test.mae} (MASE {test.mase}), naive {test.baseline_mae} ({test.baseline_mase})")
    ahead = result.days
    assert len(ahead) == forecasting.HORIZON_DAYS
    sundays = [d for d in ahead if d.day.weekday() == 6]
    assert sundays and all(not d.open and d.forecast == 0 for d in sundays)
    mondays = [d for d in ahead if d.day.weekday() == 0]
    assert all(d.lower <= d.forecast <= d.upper and d.forecast > 60 for d in mondays)


async def _seed_history(qenv: QueueEnv, last: date) -> None:
    history, _ = _synthetic(last - timedelta(days=363), 364, seed=3)
    rows = [
        {
            "day": d,
            "unit_code": CENTRE,
            "item_code": "MZJ-0001",
            "applications": int(v),
            "visits": int(v * 1.5),
        }
        for d, v in history.items()
        if d.weekday() != 5  # the test hall opens on working days only
    ]
    async with qenv.db.transaction() as session:
        await DemandRepository(session).insert_days(rows)


async def test_supervisors_read_the_forecast_others_do_not(qenv: QueueEnv) -> None:
    await qenv.publish_item("MZJ-0001", "最低生活保障")
    await qenv.hall()
    today = qenv.clock.now.date()
    url = "/v1/forecasts/demand"
    params = {"unit_code": CENTRE, "item_code": "MZJ-0001"}
    missing = await qenv.client.get(url, params=params, headers=qenv.supervisor)
    assert missing.status_code == 404 and missing.json()["code"] == "intake.forecast_no_history"
    await _seed_history(qenv, today - timedelta(days=1))
    waiting = await qenv.client.get(url, params=params, headers=qenv.supervisor)
    assert waiting.status_code == 409 and waiting.json()["code"] == "intake.forecast_not_ready"
    worker = ForecastWorker(qenv.db, qenv.clock)
    assert await worker.forecast_pass() == 2  # the item, and the hall over all items
    assert await worker.forecast_pass() == 0  # fitted once a day
    got = await qenv.client.get(url, params={**params, "weeks": 2}, headers=qenv.supervisor)
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["item_name"] == "最低生活保障" and body["unit_name"] and len(body["days"]) == 14
    assert body["as_of"] == today.isoformat()
    tests = {b["measure"]: b for b in body["backtest"]}
    assert tests["applications"]["beats_baseline"] is True, tests
    assert tests["applications"]["mae"] < tests["applications"]["baseline_mae"]
    staffing = body["staffing"]
    assert staffing["basis"] == "visits" and staffing["service_minutes_measured"] is False
    monday = next(w for w in staffing["weekdays"] if w["weekday"] == 1)
    # 390 minutes open (09:00–12:00, 13:30–17:00), 10 minutes a case, 85 % of the time serving.
    day = next(d for d in body["days"] if d["weekday"] == 1 and d["open"])
    assert day["open_minutes"] == 390
    assert day["windows_needed"] == -(-day["visits"]["forecast"] * 10 // (390 * 0.85))
    assert monday["windows_needed"] >= day["windows_needed"] >= 1
    total = await qenv.client.get(url, params={"unit_code": CENTRE}, headers=qenv.admin)
    assert total.status_code == 200 and total.json()["item_code"] is None
    for headers in (qenv.clerk1, qenv.evaluator, qenv.citizen("someone")):
        refused = await qenv.client.get(url, params=params, headers=headers)
        assert refused.status_code == 403, refused.text
    assert (await qenv.client.get(url, params=params)).status_code == 401
    assert (await qenv.client.get(url, params={**params, "weeks": 5}, headers=qenv.admin)).status_code == 422
