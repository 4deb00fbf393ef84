"""Visits counted where they happen (issue 14, point 7): a window pickup after completion is a
visit of the case, counted in the completion's month for the unit, window, staff member and item
the completion counted for; the same delivery twice counts once; a delivery that overtakes its
completion waits for it; post and locker deliveries add nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta

import httpx
import pytest
import time_machine
from eval_support import WINDOW, completed, counter, deliver, delivered_from, staff
from fastapi import FastAPI
from sqlalchemy import select

from evaluation.models import ServiceEvent
from evaluation.services.ratings import CompletionPending
from yiwang_shared.calendar import SHANGHAI
from yiwang_shared.tables import outbox
from yiwang_shared.testing.tokens import TestTokens

AT = datetime(2026, 11, 27, 16, 0, tzinfo=SHANGHAI)
MONTH = "2026-11"


@pytest.fixture(autouse=True)
def _late_in_the_month() -> Iterator[None]:
    with time_machine.travel(AT, tick=True):
        yield


async def _unit(client: httpx.AsyncClient, tokens: TestTokens, unit: str, month: str = MONTH) -> dict:  # type: ignore[type-arg]
    resp = await client.get(
        f"/v1/indicators/unit?month={month}&key={unit}", headers=staff(tokens, "X", "evaluator")
    )
    assert resp.status_code == 200, resp.text
    items = resp.json()["items"]
    return dict(items[0]) if items else {"indicators": {}, "counters": {}}


async def test_a_window_pickup_of_an_online_application_is_one_visit_not_zero(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    unit = "110105-PICKUP"
    done = completed(unit=unit, online=True, window=None, visits=0, staff="approver-1", at=AT)
    await deliver(app, "intake.application.completed.v1", done)
    before = await _unit(client, tokens, unit)
    assert (before["indicators"]["avg_visits"], before["indicators"]["zero_visit_share"]) == (0.0, 1.0)

    pickup = delivered_from(done, mode="window", at=AT + timedelta(hours=1))
    event_id = str(uuid.uuid4())
    assert await deliver(app, "intake.application.delivered.v1", pickup, event_id=event_id) == "handled"
    assert await deliver(app, "intake.application.delivered.v1", pickup, event_id=event_id) == "duplicate"
    after = await _unit(client, tokens, unit)
    assert (after["indicators"]["avg_visits"], after["indicators"]["zero_visit_share"]) == (1.0, 0.0)
    assert after["counters"]["completed"] == 1 and after["counters"]["visits_sum"] == 1
    assert after["counters"].get("zero_visit", 0) == 0  # moved back
    # Counted for whoever the completion counted for, not the clerk who handed the result over.
    assert await counter(app, "staff", "approver-1", "visits_sum") == 1
    assert await counter(app, "staff", "clerk-deliver", "visits_sum") == 0
    assert await counter(app, "item", done["item_code"], "visits_sum") >= 1
    async with app.state.db.transaction(write=False) as s:
        event = (
            await s.execute(select(ServiceEvent).where(ServiceEvent.source_id == done["application_id"]))
        ).scalar_one()
        assert event.visits == 1
        published = (
            await s.execute(
                select(outbox.c.payload).where(outbox.c.subject == "evaluation.service.visits_counted.v1")
            )
        ).scalars()
        texts = [p if isinstance(p, str) else bytes(p).decode() for p in published]
        assert sum(done["application_id"] in t for t in texts) == 1  # once, for two deliveries


async def test_a_delivery_in_the_next_month_completes_the_completion_months_figures(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    unit = "110105-LATE"
    done = completed(unit=unit, window=f"{unit}-W01", visits=1, at=AT)
    await deliver(app, "intake.application.completed.v1", done)
    await deliver(app, "intake.application.delivered.v1", delivered_from(done, at=AT + timedelta(days=5)))
    november = await _unit(client, tokens, unit)
    assert november["counters"]["visits_sum"] == 2 and november["indicators"]["avg_visits"] == 2.0
    assert (await _unit(client, tokens, unit, "2026-12"))["counters"] == {}
    window = await client.get(
        f"/v1/indicators/window?month={MONTH}&key={unit}-W01", headers=staff(tokens, "X", "evaluator")
    )
    assert window.json()["items"][0]["counters"]["visits_sum"] == 2


async def test_post_and_locker_deliveries_add_no_visit(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    unit = "110105-POST"
    by_post = completed(unit=unit, online=True, window=None, visits=0, at=AT)
    to_locker = completed(unit=unit, visits=1, window=WINDOW, at=AT)
    for done, mode in ((by_post, "post"), (to_locker, "locker")):
        await deliver(app, "intake.application.completed.v1", done)
        await deliver(app, "intake.application.delivered.v1", delivered_from(done, mode=mode))
    figures = await _unit(client, tokens, unit)
    assert figures["counters"]["visits_sum"] == 1 and figures["counters"]["zero_visit"] == 1
    assert figures["indicators"]["zero_visit_share"] == 0.5


async def test_a_delivery_before_its_completion_is_retried_then_counted(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    unit = "110105-EARLY"
    done = completed(unit=unit, online=True, window=None, visits=0, at=AT)
    pickup = delivered_from(done)
    with pytest.raises(CompletionPending):  # the runner naks it and redelivers with backoff
        await deliver(app, "intake.application.delivered.v1", pickup, event_id="early-pickup")
    await deliver(app, "intake.application.completed.v1", done)
    assert await deliver(app, "intake.application.delivered.v1", pickup, event_id="early-pickup") == "handled"
    figures = await _unit(client, tokens, unit)
    assert (figures["counters"]["visits_sum"], figures["indicators"]["zero_visit_share"]) == (1, 0.0)


async def test_a_delivered_payload_from_before_issue_14_counts_the_pickup_too(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    """Without `total_visits`, `visits` was the running total (the pickup included)."""
    unit = "110105-OLD"
    done = completed(unit=unit, online=True, window=None, visits=0, at=AT)
    await deliver(app, "intake.application.completed.v1", done)
    old = delivered_from(done) | {"visits": 1}
    del old["total_visits"]
    await deliver(app, "intake.application.delivered.v1", old)
    figures = await _unit(client, tokens, unit)
    assert (figures["counters"]["visits_sum"], figures["indicators"]["avg_visits"]) == (1, 1.0)
