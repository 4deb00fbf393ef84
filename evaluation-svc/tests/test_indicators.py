"""Indicators against a hand-computed month, rankings, reports, access rules and the replay."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
from eval_support import (
    MZJ,
    RSJ,
    WINDOW,
    citizen,
    completed,
    deliver,
    service_event_of,
    staff,
    submitted_from,
    ticket,
)
from fastapi import FastAPI
from openpyxl import load_workbook
from sqlalchemy import update

from evaluation.models import IndicatorCounter
from yiwang_shared.testing.tokens import TestTokens

SH = ZoneInfo("Asia/Shanghai")
AT = datetime(2026, 11, 10, 10, 0, tzinfo=SH)
MONTH = "2026-11"
EVALUATOR = {"kind": "staff"}


async def _rate(client: httpx.AsyncClient, tokens: TestTokens, who: str, level: int) -> None:
    event = await service_event_of(client, tokens, who)
    resp = await client.post(
        f"/v1/service-events/{event['id']}/rating",
        json={"level": level, "channel": "mobile"},
        headers=citizen(tokens, who),
    )
    assert resp.status_code == 201, resp.text


async def _month(app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens, now: datetime) -> None:
    """The worked example (see the assertions for the arithmetic)."""
    unit = {
        "org_unit_id": "mzj-id",
        "change": "created",
        "changed_fields": [],
        "code": MZJ,
        "name": "区民政局",
    }
    unit |= {"kind": "department", "level": 4, "parent_id": None, "uscc": None, "changed_at": AT.isoformat()}
    await deliver(app, "identity.org_unit.changed.v1", unit)
    cases = [
        completed(applicant="a1", handling_type="1", legal=20, promised=0, visits=1, days=0, at=AT),
        completed(applicant="a2", online=True, window=None, legal=20, promised=10, visits=0, days=6, at=AT),
        completed(applicant="a3", legal=20, promised=10, visits=2, days=8, at=AT),
        completed(applicant="a4", staff="clerk-2", legal=20, promised=5, visits=1, days=4, at=AT),
        completed(applicant="a5", unit=RSJ, window="110105-RSJ-W01", staff="clerk-5", item="ITEM-JOB", at=AT),
    ]
    for data in cases:
        await deliver(app, "intake.application.submitted.v1", submitted_from(data))
        await deliver(app, "intake.application.completed.v1", data)
    await deliver(app, "intake.application.submitted.v1", submitted_from(cases[2], resubmission=1))
    for _ in range(8):
        resp = await client.post(
            "/v1/guide-views", json={"item_code": "ITEM-DIBAO", "viewed_at": AT.isoformat()}
        )
        assert resp.status_code == 202
    for who, level in (("a1", 1), ("a2", 2), ("a3", 4), ("a5", 1)):
        await _rate(client, tokens, who, level)
    handler = staff(tokens, MZJ, "handler")
    case = (await client.get("/v1/bad-reviews", headers=handler)).json()[0]
    await client.post(
        f"/v1/bad-reviews/{case['id']}/call-back", json={"reached": True, "note": "已回访"}, headers=handler
    )
    await client.post(f"/v1/bad-reviews/{case['id']}/rectify", json={"note": "当场整改"}, headers=handler)
    t = AT.isoformat()
    await deliver(app, "hotline.ticket.dispatched.v1", ticket("dispatched", response_due_at=t))
    await deliver(app, "hotline.ticket.dispatched.v1", ticket("dispatched", response_due_at=t))
    await deliver(app, "hotline.ticket.responded.v1", ticket("responded", response_due_at=t, on_time=True))
    await deliver(app, "hotline.ticket.responded.v1", ticket("responded", response_due_at=t, on_time=False))
    await deliver(app, "hotline.ticket.called_back.v1", ticket("called_back", called_back_at=t))
    await deliver(
        app,
        "hotline.ticket.called_back.v1",
        ticket("called_back", called_back_at=t, satisfaction="basically"),
    )


@pytest.fixture
async def month(app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens) -> httpx.AsyncClient:
    await _month(app, client, tokens, AT)
    return client


async def test_unit_indicators_match_the_hand_computed_example(
    month: httpx.AsyncClient, tokens: TestTokens
) -> None:
    resp = await month.get(
        f"/v1/indicators/unit?month={MONTH}&key={MZJ}", headers=staff(tokens, MZJ, "handler")
    )
    assert resp.status_code == 200, resp.text
    ind = resp.json()["rows"][0]["indicators"]
    assert ind == {
        "ratings": 3,
        "rated_share": 0.75,  # 3 rated of 4 services
        "good_rate": 0.6667,  # levels 1 and 2 of 3
        "bad_reviews": 1,
        "rectification_rate": 1.0,
        "callback_rate": 1.0,
        "hotline_response_rate": 0.5,  # 1 on time of 2 due
        "hotline_resolution_rate": 1.0,  # 2 resolved of 2 called back
        "hotline_satisfaction_rate": 0.5,  # 1 satisfied of 2
        "on_the_spot_share": 0.25,  # 1 即办件 of 4
        "limit_compression": 0.6875,  # 1 - (0+10+10+5)/(4×20)
        "avg_visits": 1.0,  # (1+0+2+1)/4
        "online_intake_share": 0.25,  # 1 online of 4 first submissions
        "avg_completion_days": 4.5,  # (0+6+8+4)/4
        "zero_visit_share": 0.25,
        "conversion": None,  # guide views are counted per item, not per unit
    }
    item = await month.get(
        f"/v1/indicators/item?month={MONTH}&key=ITEM-DIBAO", headers=staff(tokens, "X", "evaluator")
    )
    assert item.json()["rows"][0]["indicators"]["conversion"] == 0.5  # 4 applied of 8 guide views
    window = await month.get(
        f"/v1/indicators/window?month={MONTH}&key={WINDOW}", headers=staff(tokens, MZJ, "handler")
    )
    w = window.json()["rows"][0]["indicators"]
    assert (w["ratings"], w["rated_share"], w["good_rate"]) == (2, 0.6667, 0.5)  # a1 and a3 of a1, a3, a4


async def test_units_see_only_their_own(month: httpx.AsyncClient, tokens: TestTokens) -> None:
    mzj = staff(tokens, MZJ, "handler")
    other = await month.get(f"/v1/indicators/unit?month={MONTH}&key={RSJ}", headers=mzj)
    assert other.status_code == 404
    own = await month.get(f"/v1/indicators/window?month={MONTH}", headers=mzj)
    assert [r["key"] for r in own.json()["rows"]] == [WINDOW]
    assert (
        await month.get(f"/v1/indicators/unit?month={MONTH}", headers=citizen(tokens, "a1"))
    ).status_code == 403
    everyone = await month.get(f"/v1/indicators/unit?month={MONTH}", headers=staff(tokens, "X", "supervisor"))
    assert [r["key"] for r in everyone.json()["rows"]] == [MZJ, RSJ]
    public = await month.get(f"/v1/indicators/public?month={MONTH}")
    assert public.status_code == 200 and public.json()["district"]["ratings"] == 4
    bad = await month.get("/v1/indicators/public?month=2026-13")
    assert bad.status_code == 422 and bad.json()["code"] == "evaluation.bad_month"
    unknown = await month.get(f"/v1/indicators/street?month={MONTH}", headers=mzj)
    assert unknown.status_code == 422 and unknown.json()["code"] == "evaluation.unknown_indicator"


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


async def test_rebuild_replays_the_journal_and_proves_it(
    month: httpx.AsyncClient, app: FastAPI, database_url: str
) -> None:
    cmd = [sys.executable, "-m", "evaluation.rebuild", "--database-url", database_url]
    ok = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.startswith("MATCH")
    async with app.state.db.transaction() as s:
        await s.execute(
            update(IndicatorCounter)
            .where(IndicatorCounter.key == MZJ, IndicatorCounter.name == "ratings")
            .values(value=IndicatorCounter.value + 1)
        )
    broken = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert broken.returncode == 1 and "MISMATCH" in broken.stdout and "'replayed': 3" in broken.stdout
    repaired = subprocess.run([*cmd, "--repair"], capture_output=True, text=True, timeout=120)
    assert repaired.returncode == 1
    assert subprocess.run(cmd, capture_output=True, text=True, timeout=120).returncode == 0
