"""Indicators against a hand-computed month, rankings, reports, access rules and the replay."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import time_machine
from eval_support import (
    MZJ,
    RSJ,
    WINDOW,
    citizen,
    completed,
    counter,
    deliver,
    delivered_from,
    handled,
    office,
    pad_code,
    publish,
    rating_pad,
    service_event_of,
    staff,
    submitted_from,
    ticket,
    until,
)
from fastapi import FastAPI
from openpyxl import load_workbook
from sqlalchemy import delete, update

from evaluation.models import HotlineResponse, IndicatorCounter
from yiwang_shared.testing.nats import NatsServer
from yiwang_shared.testing.tokens import TestTokens

Send = Callable[[str, dict[str, Any]], Awaitable[Any]]

SH = ZoneInfo("Asia/Shanghai")
AT = datetime(2026, 11, 10, 10, 0, tzinfo=SH)
MONTH = "2026-11"
EVALUATOR = {"kind": "staff"}


@pytest.fixture(autouse=True)
def _in_the_month() -> Iterator[None]:
    """Every time these tests create — events, ratings, case steps, tickets — falls in MONTH.

    Without it, what the service stamps with its own clock (ratings, case steps) lands in the month
    the suite runs in, beside the events stamped AT, and the counters split over two months.
    """
    with time_machine.travel(AT, tick=True):
        yield


async def _rate(client: httpx.AsyncClient, tokens: TestTokens, who: str, level: int) -> None:
    event = await service_event_of(client, tokens, who)
    resp = await client.post(
        f"/v1/service-events/{event['id']}/rating",
        json={"level": level, "channel": "mobile"},
        headers=citizen(tokens, who),
    )
    assert resp.status_code == 201, resp.text


class Sender:
    """Hands events to the app: straight to its consumer runner, or published on JetStream."""

    def __init__(self, app: FastAPI, nats_url: str | None = None) -> None:
        self.app, self.nats_url, self.sent = app, nats_url, list[str]()

    async def __call__(self, subject: str, data: dict[str, Any]) -> None:
        if self.nats_url is None:
            await deliver(self.app, subject, data)
        else:
            self.sent.append(await publish(self.nats_url, subject, data))

    async def settle(self) -> None:
        """Wait until the durable consumers have applied everything published."""
        if self.sent:

            async def done() -> bool:
                return await handled(self.app, *self.sent)

            await until(done, "published events were never applied")


async def _month(app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens, send: Sender) -> None:
    """The worked example (see the assertions for the arithmetic)."""
    unit = {
        "org_unit_id": "mzj-id",
        "change": "created",
        "changed_fields": [],
        "code": MZJ,
        "name": "区民政局",
    }
    unit |= {"kind": "department", "level": 4, "parent_id": None, "uscc": None, "changed_at": AT.isoformat()}
    await send("identity.org_unit.changed.v1", unit)
    cases = [
        completed(applicant="a1", handling_type="1", legal=20, promised=0, visits=1, days=0, at=AT),
        completed(applicant="a2", online=True, window=None, legal=20, promised=10, visits=0, days=6, at=AT),
        completed(applicant="a3", legal=20, promised=10, visits=2, days=8, at=AT),
        completed(applicant="a4", staff="clerk-2", legal=20, promised=5, visits=1, days=4, at=AT),
        completed(applicant="a5", unit=RSJ, window="110105-RSJ-W01", staff="clerk-5", item="ITEM-JOB", at=AT),
    ]
    for data in cases:
        await send("intake.application.submitted.v1", submitted_from(data))
        await send("intake.application.completed.v1", data)
    await send("intake.application.submitted.v1", submitted_from(cases[2], resubmission=1))
    await send.settle()
    # Eight readers' views of the guide (through the gateway, which forwards each one's address);
    # the first reader looks twice, which counts once.
    for reader in (*range(1, 9), 1):
        resp = await client.post(
            "/v1/guide-views",
            json={"item_code": "ITEM-DIBAO"},
            headers={"X-Forwarded-For": f"10.0.0.{reader}"},
        )
        assert resp.status_code == 202, resp.text
    # a2 applied online (no visit) and collects the result at the window: one visit now, not zero;
    # a3's result goes by post: no visit more.
    await send("intake.application.delivered.v1", delivered_from(cases[1], mode="window"))
    await send("intake.application.delivered.v1", delivered_from(cases[2], mode="post"))
    for who, level in (("a1", 1), ("a2", 2), ("a3", 4), ("a5", 1)):
        await _rate(client, tokens, who, level)
    handler = staff(tokens, MZJ, "handler")
    case = (await client.get("/v1/bad-reviews", headers=handler)).json()["items"][0]
    await client.post(
        f"/v1/bad-reviews/{case['id']}/call-back",
        json={"reached": True, "note": "已回访"},
        headers=office(tokens),
    )
    await client.post(f"/v1/bad-reviews/{case['id']}/rectify", json={"note": "当场整改"}, headers=handler)
    await client.post(f"/v1/bad-reviews/{case['id']}/feedback", json={"text": "已整改"}, headers=handler)
    second = await client.post(
        f"/v1/bad-reviews/{case['id']}/response-rating", json={"level": 2}, headers=citizen(tokens, "a3")
    )
    assert second.status_code == 200, second.text
    # Four response obligations: t1 answered in time, t2 late, t3 never (its deadline has passed),
    # t4 not answered yet and not yet due (its deadline is later in the month): not in the base.
    sent = (AT - timedelta(hours=20)).isoformat()
    for name, due, answered in (
        ("t1", AT - timedelta(hours=1), AT - timedelta(hours=2)),
        ("t2", AT - timedelta(hours=1), AT - timedelta(minutes=30)),
        ("t3", AT - timedelta(minutes=10), None),
        ("t4", AT + timedelta(days=10), None),
    ):
        ids = {"ticket_id": f"ticket-{name}", "response_due_at": due.isoformat()}
        await send("hotline.ticket.dispatched.v1", ticket("dispatched", dispatched_at=sent, **ids))
        if answered is not None:
            on_time = answered <= due
            await send(
                "hotline.ticket.responded.v1",
                ticket("responded", responded_at=answered.isoformat(), on_time=on_time, **ids),
            )
    t = AT.isoformat()
    await send("hotline.ticket.called_back.v1", ticket("called_back", called_back_at=t))
    await send(
        "hotline.ticket.called_back.v1",
        ticket("called_back", called_back_at=t, satisfaction="basically"),
    )
    await send.settle()


@pytest.fixture
async def month(app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens) -> httpx.AsyncClient:
    await _month(app, client, tokens, Sender(app))
    return client


async def test_unit_indicators_match_the_hand_computed_example(
    month: httpx.AsyncClient, tokens: TestTokens
) -> None:
    resp = await month.get(
        f"/v1/indicators/unit?month={MONTH}&key={MZJ}", headers=staff(tokens, MZJ, "handler")
    )
    assert resp.status_code == 200, resp.text
    ind = resp.json()["items"][0]["indicators"]
    assert ind == {
        "ratings": 3,
        "rated_share": 0.75,  # 3 rated of 4 services
        "good_rate": 0.6667,  # levels 1 and 2 of 3
        "bad_reviews": 1,
        "rectification_rate": 1.0,
        "callback_rate": 1.0,
        "rectification_satisfaction": 1.0,  # a3 rated the handling 2 (满意) after feedback
        "hotline_response_rate": 0.3333,  # t1 on time of t1, t2, t3 due (t4 not yet due)
        "hotline_resolution_rate": 1.0,  # 2 resolved of 2 called back
        "hotline_satisfaction_rate": 0.5,  # 1 satisfied of 2
        "on_the_spot_share": 0.25,  # 1 即办件 of 4
        "limit_compression": 0.6875,  # 1 - (0+10+10+5)/(4×20)
        "avg_visits": 1.25,  # (1+1+2+1)/4: a2's window pickup counts
        "online_intake_share": 0.25,  # 1 online of 4 first submissions
        "avg_completion_days": 4.5,  # (0+6+8+4)/4
        "zero_visit_share": 0.0,  # a2 came to the window for its result
        "conversion": None,  # guide views are counted per item, not per unit
    }
    item = await month.get(
        f"/v1/indicators/item?month={MONTH}&key=ITEM-DIBAO", headers=staff(tokens, "X", "evaluator")
    )
    assert item.json()["items"][0]["indicators"]["conversion"] == 0.5  # 4 applied of 8 guide views
    window = await month.get(
        f"/v1/indicators/window?month={MONTH}&key={WINDOW}", headers=staff(tokens, MZJ, "handler")
    )
    w = window.json()["items"][0]["indicators"]
    assert (w["ratings"], w["rated_share"], w["good_rate"]) == (2, 0.6667, 0.5)  # a1 and a3 of a1, a3, a4


async def test_units_see_only_their_own(month: httpx.AsyncClient, tokens: TestTokens) -> None:
    mzj = staff(tokens, MZJ, "handler")
    other = await month.get(f"/v1/indicators/unit?month={MONTH}&key={RSJ}", headers=mzj)
    assert other.status_code == 404
    own = await month.get(f"/v1/indicators/window?month={MONTH}", headers=mzj)
    assert [r["key"] for r in own.json()["items"]] == [WINDOW]
    assert (
        await month.get(f"/v1/indicators/unit?month={MONTH}", headers=citizen(tokens, "a1"))
    ).status_code == 403
    everyone = await month.get(f"/v1/indicators/unit?month={MONTH}", headers=staff(tokens, "X", "supervisor"))
    assert [r["key"] for r in everyone.json()["items"]] == [MZJ, RSJ]
    public = await month.get(f"/v1/indicators/public?month={MONTH}")
    assert public.status_code == 200 and public.json()["district"]["ratings"] == 4
    bad = await month.get("/v1/indicators/public?month=2026-13")
    assert bad.status_code == 422 and [e["field"] for e in bad.json()["errors"]] == ["query.month"]
    unknown = await month.get(f"/v1/indicators/street?month={MONTH}", headers=mzj)
    assert unknown.status_code == 422 and [e["field"] for e in unknown.json()["errors"]] == ["path.dimension"]


async def test_rankings_follow_configurable_rules(month: httpx.AsyncClient, tokens: TestTokens) -> None:
    default = await month.get(f"/v1/rankings/red_flag_window?month={MONTH}")
    assert default.json()["rows"] == []  # nobody has the default 20 ratings yet
    rule = {
        "title": "红旗窗口",
        "dimension": "window",
        "indicator": "good_rate",
        "min_ratings": 1,
        "min_value": None,
        "max_bad_reviews": None,
        "top_n": 3,
    }
    refused = await month.put(
        "/v1/ranking-rules/red_flag_window", json=rule, headers=staff(tokens, MZJ, "handler")
    )
    assert refused.status_code == 403
    saved = await month.put(
        "/v1/ranking-rules/red_flag_window", json=rule, headers=staff(tokens, "X", "evaluator")
    )
    assert saved.status_code == 200, saved.text
    rows = (await month.get(f"/v1/rankings/red_flag_window?month={MONTH}")).json()["rows"]
    assert [(r["rank"], r["key"], r["value"]) for r in rows] == [(1, "110105-RSJ-W01", 1.0), (2, WINDOW, 0.5)]
    no_bad = await month.put(
        "/v1/ranking-rules/red_flag_window",
        json=rule | {"max_bad_reviews": 0},
        headers=staff(tokens, "X", "admin"),
    )
    assert no_bad.status_code == 200
    rows = (await month.get(f"/v1/rankings/red_flag_window?month={MONTH}")).json()["rows"]
    assert [r["key"] for r in rows] == ["110105-RSJ-W01"]
    wrong = await month.put(
        "/v1/ranking-rules/x", json=rule | {"indicator": "nonsense"}, headers=staff(tokens, "X", "admin")
    )
    assert wrong.status_code == 422
    # Drill 6 found this one on PostgreSQL: a count beyond the integer column was a 500.
    huge = await month.put(
        "/v1/ranking-rules/x",
        json=rule | {"min_ratings": 80915055252668170240, "max_bad_reviews": 2**40},
        headers=staff(tokens, "X", "admin"),
    )
    assert huge.status_code == 422
    assert {e["field"] for e in huge.json()["errors"]} == {"body.min_ratings", "body.max_bad_reviews"}


async def test_reports_download_as_csv_xlsx_and_svg(month: httpx.AsyncClient, tokens: TestTokens) -> None:
    mzj = staff(tokens, MZJ, "handler")
    csv = await month.get(f"/v1/reports/monthly?month={MONTH}&unit={MZJ}&format=csv", headers=mzj)
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.lstrip("\ufeff").splitlines()
    assert "好评率" in lines[0] and lines[1].startswith(f"{MZJ},区民政局,") and "66.7%" in lines[1]
    assert lines[2].startswith(WINDOW)
    xlsx = await month.get(f"/v1/reports/monthly?month={MONTH}&unit={MZJ}&format=xlsx", headers=mzj)
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws is not None and (ws["A3"].value, ws["B3"].value, ws["C3"].value) == (MZJ, "区民政局", 3)
    district = await month.get(f"/v1/reports/monthly?month={MONTH}", headers=staff(tokens, "X", "evaluator"))
    assert district.json()["rows"][0]["indicators"]["ratings"] == 4
    assert (await month.get(f"/v1/reports/monthly?month={MONTH}", headers=mzj)).status_code == 403
    other = await month.get(f"/v1/reports/monthly?month={MONTH}&unit={RSJ}", headers=mzj)
    assert other.status_code == 404
    svg = await month.get(
        f"/v1/reports/charts/good_rate.svg?month={MONTH}", headers=staff(tokens, "X", "evaluator")
    )
    assert svg.headers["content-type"] == "image/svg+xml"
    assert (
        svg.text.startswith("<svg")
        and "好评率" in svg.text
        and "区民政局" in svg.text
        and "66.7%" in svg.text
    )


async def _more_of_a_month(app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens, send: Sender) -> None:
    """Beyond the worked example: a ticket rated by its caller, an anonymous bad review explained,
    a bad review whose appeal is upheld, guide views without a time."""
    handler = staff(tokens, MZJ, "handler")
    closed = ticket("closed", citizen="caller-1")
    await send("hotline.ticket.closed.v1", closed)
    gone = completed(applicant="a6", at=AT)
    await send("intake.application.completed.v1", gone)
    await send.settle()
    await _rate(client, tokens, "caller-1", 1)
    await _rate(client, tokens, "a6", 5)
    pad = await rating_pad(client, tokens, WINDOW)
    visit = await client.post(
        "/v1/window-visits", json={"unit_code": MZJ}, headers=staff(tokens, WINDOW, "window_clerk")
    )
    assert visit.status_code == 201, visit.text
    by_code = await client.post(
        f"/v1/service-events/{visit.json()['id']}/rating",
        json={"level": 4, "channel": "device", "code": (await pad_code(client, pad))["rating_code"]},
    )
    assert by_code.status_code == 201
    cases = {
        c["rating_id"]: c
        for c in (await client.get("/v1/bad-reviews?status=open", headers=handler)).json()["items"]
    }
    explained = cases[by_code.json()["id"]]["id"]
    await client.post(f"/v1/bad-reviews/{explained}/explain", json={"note": "于法有据"}, headers=handler)
    appealed = next(c["id"] for r, c in cases.items() if r != by_code.json()["id"])
    await client.post(
        f"/v1/bad-reviews/{appealed}/call-back",
        json={"reached": True, "note": "已回访"},
        headers=office(tokens),
    )
    await client.post(f"/v1/bad-reviews/{appealed}/appeal", json={"note": "恶意差评"}, headers=handler)
    upheld = await client.post(
        f"/v1/bad-reviews/{appealed}/appeal-decision",
        json={"upheld": True, "note": "申诉成立"},
        headers=staff(tokens, "110105-ZWB", "evaluator"),
    )
    assert upheld.json()["status"] == "appeal_upheld"
    for reader in ("10.1.0.1", "10.1.0.2", "10.1.0.2", "2001:db8::1"):
        resp = await client.post(
            "/v1/guide-views", json={"item_code": "ITEM-JOB"}, headers={"X-Forwarded-For": reader}
        )
        assert resp.status_code == 202


def _rebuild(database_url: str, nats_url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    rebuild = [sys.executable, "-m", "evaluation.services.rebuild"]
    cmd = [*rebuild, "--database-url", database_url, "--nats-url", nats_url]
    return subprocess.run([*cmd, *extra], capture_output=True, text=True, timeout=120)


async def test_rebuild_from_the_streams_matches_then_finds_and_repairs_a_corrupted_counter(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens, database_url: str, nats_server: NatsServer
) -> None:
    send = Sender(app, nats_server.url)
    await _month(app, client, tokens, send)
    await _more_of_a_month(app, client, tokens, send)
    evaluator = staff(tokens, "X", "evaluator")
    before = (await client.get(f"/v1/indicators/unit?month={MONTH}&key={MZJ}", headers=evaluator)).json()
    assert before["items"][0]["counters"]["ratings_excluded"] == 1  # the upheld appeal

    ok = _rebuild(database_url, nats_server.url)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.startswith("MATCH: ") and "INTAKE" in ok.stdout and "EVALUATION" in ok.stdout

    ratings = await counter(app, "unit", MZJ, "ratings")
    async with app.state.db.transaction() as s:
        await s.execute(
            update(IndicatorCounter)
            .where(
                IndicatorCounter.dimension == "unit",
                IndicatorCounter.key == MZJ,
                IndicatorCounter.name == "ratings",
            )
            .values(value=IndicatorCounter.value + 1)
        )
        await s.execute(
            delete(IndicatorCounter).where(
                IndicatorCounter.dimension == "window",
                IndicatorCounter.key == WINDOW,
                IndicatorCounter.name == "responses_satisfied",
            )
        )
        # t1's response lost, and an obligation no hotline event made.
        await s.execute(
            update(HotlineResponse).where(HotlineResponse.ticket_id == "ticket-t1").values(responded_at=None)
        )
        s.add(HotlineResponse(ticket_id="ticket-ghost", round=1, unit_code=MZJ, due_at=AT))
    broken = _rebuild(database_url, nats_server.url)
    assert broken.returncode == 1, broken.stdout
    assert broken.stdout.startswith("MISMATCH: 2 counter(s) and 2 response obligation(s) differ"), (
        broken.stdout
    )
    assert f"response ticket-t1#1 {MONTH} response_obligation: replayed {MZJ} due" in broken.stdout
    assert "stored none" not in broken.stdout and "ticket-ghost#1" in broken.stdout
    assert f"unit {MZJ} {MONTH} ratings: replayed {ratings}, stored {ratings + 1}" in broken.stdout
    assert f"window {WINDOW} {MONTH} responses_satisfied: replayed 1, stored 0" in broken.stdout
    assert "feeds rectification_satisfaction" in broken.stdout

    repaired = _rebuild(database_url, nats_server.url, "--repair")
    assert repaired.returncode == 1 and "(repaired)" in repaired.stdout
    again = _rebuild(database_url, nats_server.url)
    assert again.returncode == 0 and again.stdout.startswith("MATCH"), again.stdout
    after = (await client.get(f"/v1/indicators/unit?month={MONTH}&key={MZJ}", headers=evaluator)).json()
    assert after == before


async def test_the_public_service_star_names_staff_and_never_shows_their_ids(
    app: FastAPI, month: httpx.AsyncClient, tokens: TestTokens
) -> None:
    """Issue 15, point 16: the public 服务之星 ranking listed staff account ids."""
    for staff_id, name in (("clerk-1", "刘静"), ("clerk-2", "陈刚"), ("clerk-5", "孙磊")):
        await deliver(
            app,
            "identity.staff.changed.v1",
            {
                "staff_id": staff_id,
                "username": staff_id,
                "name": name,
                "org_unit_id": None,
                "org_unit_code": MZJ,
                "roles": ["window_clerk"],
                "status": "active",
                "change": "created",
                "changed_at": "2026-11-01T00:00:00+00:00",
            },
        )
    rule = {
        "title": "服务之星",
        "dimension": "staff",
        "indicator": "good_rate",
        "min_ratings": 1,
        "min_value": None,
        "max_bad_reviews": None,
        "top_n": 5,
    }
    saved = await month.put(
        "/v1/ranking-rules/service_star", json=rule, headers=staff(tokens, "X", "evaluator")
    )
    assert saved.status_code == 200, saved.text
    public = (await month.get(f"/v1/rankings/service_star?month={MONTH}")).json()["rows"]
    assert public and all(r["name"] in ("刘静", "陈刚", "孙磊") for r in public), public
    assert [r["key"] for r in public] == [f"S{r['rank']}" for r in public]
    assert not {r["key"] for r in public} & {"clerk-1", "clerk-2", "clerk-5"}
    citizen_view = await month.get(f"/v1/rankings/service_star?month={MONTH}", headers=citizen(tokens, "a1"))
    assert [r["key"] for r in citizen_view.json()["rows"]] == [r["key"] for r in public]
    evaluator = await month.get(
        f"/v1/rankings/service_star?month={MONTH}", headers=staff(tokens, "X", "evaluator")
    )
    assert {r["key"] for r in evaluator.json()["rows"]} <= {"clerk-1", "clerk-2", "clerk-5"}
