"""One 响应率 (issue 14, point 8): a response obligation is due once it was answered or its deadline
passed, in the month of its deadline, owed by the unit leading the round at the end — the rule
hotline-svc's `/v1/rates` follows (docs/indicators.md). Before, evaluation counted a response as
due at dispatch: 15 answered of 20 dispatched read 75 % where the hotline said 100 %."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
import time_machine
from eval_support import deliver, staff, ticket
from fastapi import FastAPI
from sqlalchemy import func, select

from evaluation.models import HotlineResponse
from evaluation.services.hotline_responses import month_bounds
from yiwang_shared.calendar import SHANGHAI
from yiwang_shared.testing.tokens import TestTokens

AT = datetime(2026, 11, 16, 9, 0, tzinfo=SHANGHAI)
MONTH = "2026-11"


async def _rate(client: httpx.AsyncClient, tokens: TestTokens, unit: str, month: str = MONTH) -> tuple:  # type: ignore[type-arg]
    resp = await client.get(
        f"/v1/indicators/unit?month={month}&key={unit}", headers=staff(tokens, "X", "supervisor")
    )
    assert resp.status_code == 200, resp.text
    if not resp.json()["items"]:
        return (0, 0, None)
    row = resp.json()["items"][0]
    c = row["counters"]
    return (
        c.get("response_due", 0),
        c.get("responded_on_time", 0),
        row["indicators"]["hotline_response_rate"],
    )


def _dispatched(tid: str, unit: str, at: datetime, due: datetime, **extra: Any) -> dict[str, Any]:
    return ticket(
        "dispatched",
        unit=unit,
        ticket_id=tid,
        dispatched_at=at.isoformat(),
        response_due_at=due.isoformat(),
        **extra,
    )


def _responded(tid: str, unit: str, at: datetime, due: datetime, **extra: Any) -> dict[str, Any]:
    return ticket(
        "responded",
        unit=unit,
        ticket_id=tid,
        responded_at=at.isoformat(),
        response_due_at=due.isoformat(),
        on_time=at <= due,
        **extra,
    )


async def test_a_response_is_due_once_made_or_once_its_deadline_passed(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    unit = "110105001-FWZX"
    due = {t: AT + timedelta(hours=h) for t, h in (("a", 1), ("b", 2), ("c", 3))}
    with time_machine.travel(AT, tick=False):
        for t in due:
            await deliver(app, "hotline.ticket.dispatched.v1", _dispatched(t, unit, AT, due[t]))
        # Dispatched, none answered, none past its deadline: nothing is due yet (not 0 of 3).
        assert await _rate(client, tokens, unit) == (0, 0, None)
    with time_machine.travel(AT + timedelta(minutes=10), tick=False):
        await deliver(
            app, "hotline.ticket.responded.v1", _responded("a", unit, AT + timedelta(minutes=10), due["a"])
        )
        assert await _rate(client, tokens, unit) == (1, 1, 1.0)
    with time_machine.travel(AT + timedelta(hours=2, minutes=30), tick=False):
        # b's deadline has passed unanswered; c still has time.
        assert await _rate(client, tokens, unit) == (2, 1, 0.5)
    with time_machine.travel(AT + timedelta(hours=4), tick=False):
        late = _responded("c", unit, AT + timedelta(hours=4), due["c"])
        await deliver(app, "hotline.ticket.responded.v1", late, event_id="late-c")
        assert await deliver(app, "hotline.ticket.responded.v1", late, event_id="late-c") == "duplicate"
        assert await _rate(client, tokens, unit) == (3, 1, 0.3333)
        public = (await client.get(f"/v1/indicators/public?month={MONTH}")).json()
        shown = next(u for u in public["units"] if u["key"] == unit)
        assert shown["indicators"]["hotline_response_rate"] == 0.3333
        report = await client.get(
            f"/v1/reports/monthly?month={MONTH}&unit={unit}", headers=staff(tokens, unit, "handler")
        )
        assert report.json()["rows"][0]["indicators"]["hotline_response_rate"] == 0.3333


async def test_a_redispatch_moves_the_obligation_in_whatever_order_the_events_arrive(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    first, second = "110105002-FWZX", "110105-ZJW"
    with time_machine.travel(AT + timedelta(hours=5), tick=False):
        for order in ("in order", "reversed"):
            tid = f"moved-{order}"
            sent = _dispatched(tid, first, AT, AT + timedelta(hours=24))
            again = _dispatched(
                tid, second, AT + timedelta(hours=1), AT + timedelta(hours=2), redispatch=True
            )
            answer = _responded(tid, second, AT + timedelta(hours=3), AT + timedelta(hours=2))
            events = [sent, again, answer] if order == "in order" else [answer, again, sent]
            for data in events:
                subject = "responded" if "responded_at" in data else "dispatched"
                await deliver(app, f"hotline.ticket.{subject}.v1", data)
        # The first unit owes nothing any more; the second answered both late.
        assert await _rate(client, tokens, first) == (0, 0, None)
        assert await _rate(client, tokens, second) == (2, 0, 0.0)
        async with app.state.db.transaction(write=False) as s:
            rows = (
                (await s.execute(select(HotlineResponse).order_by(HotlineResponse.ticket_id))).scalars().all()
            )
            assert [(r.ticket_id, r.unit_code) for r in rows] == [
                ("moved-in order", second),
                ("moved-reversed", second),
            ]
            assert rows[0].responded_at == rows[1].responded_at == AT + timedelta(hours=3)


async def test_a_reopened_ticket_owes_a_new_first_contact(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    unit = "110105003-FWZX"
    tid = str(uuid.uuid4())
    with time_machine.travel(AT + timedelta(days=2), tick=False):
        for round_no, start in ((1, AT), (2, AT + timedelta(days=1))):
            due = start + timedelta(hours=24)
            await deliver(
                app, "hotline.ticket.dispatched.v1", _dispatched(tid, unit, start, due, round=round_no)
            )
            answered = start + timedelta(hours=1)
            await deliver(
                app, "hotline.ticket.responded.v1", _responded(tid, unit, answered, due, round=round_no)
            )
        assert await _rate(client, tokens, unit) == (2, 2, 1.0)


async def test_the_month_is_the_deadlines_in_beijing(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    unit = "110105004-FWZX"
    evening = datetime(2026, 11, 30, 20, 0, tzinfo=SHANGHAI)
    due = datetime(2026, 12, 1, 2, 0, tzinfo=SHANGHAI)  # still 30 November in UTC
    with time_machine.travel(datetime(2026, 12, 2, 9, 0, tzinfo=SHANGHAI), tick=False):
        await deliver(app, "hotline.ticket.dispatched.v1", _dispatched("night", unit, evening, due))
        assert await _rate(client, tokens, unit, "2026-11") == (0, 0, None)
        assert await _rate(client, tokens, unit, "2026-12") == (1, 0, 0.0)


async def test_month_bounds_cover_the_calendars_ends(app: FastAPI, client: httpx.AsyncClient) -> None:
    start, end = month_bounds("2026-12")
    assert start.astimezone(SHANGHAI).isoformat() == "2026-12-01T00:00:00+08:00"
    assert end.astimezone(SHANGHAI).isoformat() == "2027-01-01T00:00:00+08:00"
    assert month_bounds("0000-01")[0] == month_bounds("0000-01")[1]
    assert month_bounds("9999-12")[1].year == 9999 and month_bounds("0001-01")[0].year == 1
    async with app.state.db.transaction(write=False) as s:
        assert (await s.execute(select(func.count()).select_from(HotlineResponse))).scalar_one() == 0
    for month in ("0000-01", "0001-01", "9999-12"):
        resp = await client.get(f"/v1/indicators/public?month={month}")
        assert resp.status_code == 200, resp.text


async def test_units_rank_on_the_same_response_rate(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    better, worse = "110105005-FWZX", "110105006-FWZX"
    with time_machine.travel(AT + timedelta(hours=3), tick=False):
        for i, (unit, late) in enumerate(((better, False), (better, False), (worse, False), (worse, True))):
            due = AT + timedelta(hours=1)
            answered = due + timedelta(minutes=5) if late else due - timedelta(minutes=5)
            await deliver(app, "hotline.ticket.dispatched.v1", _dispatched(f"rank-{i}", unit, AT, due))
            await deliver(app, "hotline.ticket.responded.v1", _responded(f"rank-{i}", unit, answered, due))
        rule = {
            "title": "响应之星",
            "dimension": "unit",
            "indicator": "hotline_response_rate",
            "min_ratings": 0,
            "top_n": 5,
        }
        saved = await client.put(
            "/v1/ranking-rules/response_star", json=rule, headers=staff(tokens, "X", "admin")
        )
        assert saved.status_code == 201, saved.text
        rows = (await client.get(f"/v1/rankings/response_star?month={MONTH}")).json()["rows"]
        assert [(r["rank"], r["key"], r["value"]) for r in rows] == [(1, better, 1.0), (2, worse, 0.5)]
