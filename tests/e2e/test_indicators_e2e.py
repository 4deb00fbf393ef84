"""Issue 14's indicators through the gateway, as the people who meet them: a supervisor reading one
响应率 for a street centre in the hotline's rates and in evaluation's indicators, public figures and
report (docs/indicators.md); a citizen whose online application is collected at the window, which
is one visit, not zero, and who sees which of their services they have rated; a reader of guides
who can neither back-date a view nor count twice, and is slowed down when posting many. Each ends
with `evaluation.services.rebuild` replaying the platform's streams to the same counters and obligations."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from devstack import SERVICES, Platform
from helpers import PASSWORD, assert_problem, bearer, login, register

DEMO_PASSWORD = "Demo#2026"
REPO = Path(__file__).resolve().parents[2]
SH = ZoneInfo("Asia/Shanghai")
H = "/api/hotline/v1"
E = "/api/evaluation/v1"
INTAKE = "/api/intake/v1"
CENTRE = "110105001-FWZX"  # 朝外街道政务服务中心, where noise complaints of street 110105001 go
MZJ = "110105-MZJ"

NOISE = {
    "request_type": "complaint",
    "channel": "phone",
    "category_code": "noise",
    "title": "夜间施工噪声",
    "description": "工地每晚23点后仍施工。",
    "caller_name": "王女士",
    "caller_phone": "13812345678",
    "street_code": "110105001",
    "attributes": {"noise_period": "night"},
}


async def _token(gw: httpx.AsyncClient, username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    return bearer((await login(gw, username, password))["access_token"])


async def _until(fn: Any, what: str, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        got = await fn()
        if got:
            return got
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.5)


def _rebuild(platform: Platform) -> str:
    svc = next(s for s in SERVICES if s.name == "evaluation")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "evaluation.services.rebuild",
            "--database-url",
            platform.database_url(svc),
            "--nats-url",
            platform.nats_url,
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0 and done.stdout.startswith("MATCH"), done.stdout + done.stderr
    return done.stdout


def _load_hotline_demo(platform: Platform) -> None:
    svc = next(s for s in SERVICES if s.name == "hotline")
    done = subprocess.run(
        [sys.executable, "-m", "hotline.demo", "--database-url", platform.database_url(svc)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]


async def _ticket(gw: httpx.AsyncClient) -> dict[str, Any]:
    async def create() -> dict[str, Any] | None:
        resp = await gw.post(f"{H}/tickets", json=NOISE, headers=await _token(gw, "agent"))
        if resp.status_code == 422 and resp.json().get("code") == "hotline.unknown_area":
            return None  # the streets have not reached hotline's org read model yet
        assert resp.status_code == 201, resp.text
        return dict(resp.json())

    ticket = await _until(create, "org units never reached hotline-svc")
    assert ticket["status"] == "dispatched" and ticket["lead_unit_code"] == CENTRE, ticket
    return dict(ticket)


async def _act(
    gw: httpx.AsyncClient, tid: str, action: str, who: str, body: dict[str, Any]
) -> dict[str, Any]:
    resp = await gw.post(f"{H}/tickets/{tid}/{action}", json=body, headers=await _token(gw, who))
    assert resp.status_code == 200, (action, resp.text)
    return dict(resp.json())


def _month(at: str) -> str:
    return datetime.fromisoformat(at).astimezone(SH).strftime("%Y-%m")


async def test_one_response_rate_everywhere(gw: httpx.AsyncClient, platform: Platform) -> None:
    """Five complaints reach the street centre; it answers three (one after a dispute and a
    re-dispatch), two are not yet answered and not yet due. Hotline and evaluation count the same
    three as due — not five — and give the same 响应率, 解决率 and 满意率."""
    _load_hotline_demo(platform)
    tickets = [await _ticket(gw) for _ in range(5)]
    disputed = tickets[0]["id"]
    await _act(gw, disputed, "return", "handler", {"reason": "施工许可属区住建委，请改派"})
    moved = await _act(gw, disputed, "dispatch", "dispatcher", {"unit_code": CENTRE, "note": "属地管理"})
    tickets[0] = moved
    for t in tickets[:3]:
        await _act(gw, t["id"], "respond", "handler", {"note": "已电话联系来电人"})
    for t, satisfaction in ((tickets[1], "satisfied"), (tickets[2], "basically")):
        await _act(gw, t["id"], "reply", "handler", {"reply": "已约谈施工方，夜间停工。"})
        await _act(gw, t["id"], "call-back", "agent", {"resolved": True, "satisfaction": satisfaction})
    months = sorted({_month(t["response_due_at"]) for t in tickets} | {datetime.now(SH).strftime("%Y-%m")})

    for month in months:

        async def same_figures(month: str = month) -> tuple[dict[str, Any], dict[str, Any]] | None:
            supervisor = await _token(gw, "supervisor")  # e2e tokens live a few seconds
            hot = await gw.get(f"{H}/rates", params={"month": month, "unit": CENTRE}, headers=supervisor)
            assert hot.status_code == 200, hot.text
            ev = await gw.get(
                f"{E}/indicators/unit", params={"month": month, "key": CENTRE}, headers=supervisor
            )
            assert ev.status_code == 200, ev.text
            h = hot.json()["items"][0]
            row = ev.json()["items"][0] if ev.json()["items"] else {"counters": {}, "indicators": {}}
            c = row["counters"]
            counts = (c.get("response_due", 0), c.get("responded_on_time", 0))
            counts += (
                c.get("tickets_called_back", 0),
                c.get("tickets_resolved", 0),
                c.get("tickets_satisfied", 0),
            )
            hotline = (
                h["responses_due"],
                h["responded_on_time"],
                h["called_back"],
                h["resolved"],
                h["satisfied"],
            )
            return (h, row) if counts == hotline else None

        h, row = await _until(
            same_figures, f"evaluation never showed the hotline's counts for {CENTRE} in {month}"
        )
        ind = row["indicators"]
        for hotline_rate, evaluation_rate in (
            ("response_rate", "hotline_response_rate"),
            ("resolution_rate", "hotline_resolution_rate"),
            ("satisfaction_rate", "hotline_satisfaction_rate"),
        ):
            share = ind.get(evaluation_rate)
            assert h[hotline_rate] == (None if share is None else round(share * 100, 2)), (
                month,
                hotline_rate,
            )
        public = (await gw.get(f"{E}/indicators/public", params={"month": month})).json()
        shown = [u["indicators"] for u in public["units"] if u["key"] == CENTRE]
        assert not shown or shown[0]["hotline_response_rate"] == ind.get("hotline_response_rate")

    # Answered in time: due. Dispatched, not answered, deadline tomorrow: not yet due anywhere.
    by_month: dict[str, int] = {}
    for t in tickets[:3]:
        by_month[_month(t["response_due_at"])] = by_month.get(_month(t["response_due_at"]), 0) + 1
    supervisor = await _token(gw, "supervisor")
    for month, answered in by_month.items():
        h = (await gw.get(f"{H}/rates", params={"month": month, "unit": CENTRE}, headers=supervisor)).json()
        assert h["items"][0]["responded_on_time"] >= answered
    pending = {t["id"] for t in tickets[3:]}
    listed = (await gw.get(f"{H}/tickets", params={"unit": CENTRE, "limit": 200}, headers=supervisor)).json()
    assert {t["id"] for t in listed["items"] if t["id"] in pending and t["responded_at"] is None} == pending
    assert "response obligations" in _rebuild(platform)


async def _demo_item(gw: httpx.AsyncClient) -> dict[str, Any]:
    async def find() -> dict[str, Any] | None:
        listed = await gw.get(f"{INTAKE}/catalog-items", params={"limit": 200})
        for item in listed.json()["items"]:
            if item["owner_unit_code"] == MZJ:
                full = (await gw.get(f"{INTAKE}/catalog-items/{item['code']}")).json()
                els = full["elements"]
                if els.get("handling_type") == "2" and any(
                    not m.get("exempt") and m.get("requirement") == "required" for m in els["materials"]
                ):
                    return dict(full)
        return None

    return dict(await _until(find, "no demo item of 区民政局 reached intake-svc"))


async def _counters(gw: httpx.AsyncClient, dimension: str, key: str, month: str) -> dict[str, int]:
    resp = await gw.get(
        f"{E}/indicators/{dimension}",
        params={"month": month, "key": key},
        headers=await _token(gw, "evaluator"),
    )
    assert resp.status_code == 200, resp.text
    items = resp.json()["items"]
    return dict(items[0]["counters"]) if items else {}


async def test_a_pickup_at_the_window_is_counted_and_the_citizen_sees_what_they_rated(
    gw: httpx.AsyncClient, platform: Platform
) -> None:
    """An online application (no visit) whose result the applicant collects at the window: one
    visit in 平均跑动次数 and not a zero-visit case in 零跑动占比, as intake's own record says."""
    item = await _demo_item(gw)
    person = await register(gw, "周敏")

    async def me() -> dict[str, str]:
        return await _token(gw, person["phone"], PASSWORD)

    materials = [
        {"name": m["name"], "media": m["media"], "originals": m["originals"], "copies": m["copies"]}
        for m in item["elements"]["materials"]
        if not m.get("exempt") and m.get("requirement") == "required"
    ]
    resp = await gw.post(
        f"{INTAKE}/applications", json={"item_code": item["code"], "materials": materials}, headers=await me()
    )
    assert resp.status_code == 201, resp.text
    app = resp.json()
    assert app["channel"] == "online" and app["visits"] == 0 and app["problems"] == [], app

    async def act(user: str, action: str, body: Any = None) -> dict[str, Any]:
        resp = await gw.post(
            f"{INTAKE}/applications/{app['id']}/{action}", json=body, headers=await _token(gw, user)
        )
        assert resp.status_code == 200, (action, resp.text)
        return dict(resp.json())

    await act("approver", "accept")
    await act("approver", "hand-over")
    await act("approver", "approve", {"reasons": "符合条件"})
    await act("approver", "complete", {"result_name": "审批结果通知书"})

    async def service_event() -> dict[str, Any] | None:
        listed = (await gw.get(f"{E}/service-events/mine", headers=await me())).json()["items"]
        return next((e for e in listed if e["source_id"] == app["id"]), None)

    event = await _until(service_event, "the completed application never reached evaluation-svc")
    month = event["month"]
    before = {
        dim: await _counters(gw, dim, key, month) for dim, key in (("unit", MZJ), ("item", item["code"]))
    }

    # The department that decided hands the result over at its window, signed for by the applicant.
    picked = await act("approver", "deliver", {"mode": "window", "signed_by": "周敏"})
    assert picked["status"] == "delivered" and picked["visits"] == 1  # intake's own record

    async def counted() -> bool:
        now = await _counters(gw, "item", item["code"], month)
        return now.get("visits_sum", 0) == before["item"].get("visits_sum", 0) + 1

    await _until(counted, "the window pickup never reached the visit counters")
    for dim, key in (("unit", MZJ), ("item", item["code"])):
        after = await _counters(gw, dim, key, month)
        assert after["completed"] == before[dim]["completed"]  # the same case, not a new one
        assert after["visits_sum"] == before[dim].get("visits_sum", 0) + 1, dim
        assert after.get("zero_visit", 0) == before[dim].get("zero_visit", 0) - 1, dim

    # The citizen rates it; their list says which services are rated, and with what.
    rating = await gw.post(
        f"{E}/service-events/{event['id']}/rating", json={"level": 2, "channel": "mobile"}, headers=await me()
    )
    assert rating.status_code == 201, rating.text
    mine = (await gw.get(f"{E}/service-events/mine", headers=await me())).json()["items"]
    shown = next(e for e in mine if e["id"] == event["id"])
    assert (shown["rated"], shown["rating_id"], shown["rating_level"]) == (True, rating.json()["id"], 2)
    to_rate = (await gw.get(f"{E}/service-events/mine", params={"rated": "false"}, headers=await me())).json()
    assert event["id"] not in {e["id"] for e in to_rate["items"]}
    rated = (await gw.get(f"{E}/service-events/mine", params={"rated": "true"}, headers=await me())).json()
    assert [e["id"] for e in rated["items"]] == [event["id"]]
    _rebuild(platform)


async def test_guide_views_cannot_be_back_dated_doubled_or_flooded(
    gw: httpx.AsyncClient, platform: Platform
) -> None:
    item = await _demo_item(gw)
    month = datetime.now(SH).strftime("%Y-%m")
    back = await gw.post(
        f"{E}/guide-views", json={"item_code": item["code"], "viewed_at": "2026-01-05T10:00:00+08:00"}
    )
    body = assert_problem(back, 422, "validation_failed")
    assert [e["field"] for e in body["errors"]] == ["body.viewed_at"]  # type: ignore[union-attr]

    reader = await register(gw, "吴刚")
    headers = await _token(gw, reader["phone"], PASSWORD)
    before = (await _counters(gw, "item", item["code"], month)).get("guide_views", 0)
    first = await gw.post(f"{E}/guide-views", json={"item_code": item["code"]}, headers=headers)
    again = await gw.post(f"{E}/guide-views", json={"item_code": item["code"]}, headers=headers)
    assert first.status_code == again.status_code == 202
    assert (first.json()["counted"], again.json()["counted"]) == (True, False)
    assert first.json()["month"] == month

    async def one_more() -> bool:
        return (await _counters(gw, "item", item["code"], month)).get("guide_views", 0) == before + 1

    await _until(one_more, "the counted view never reached the counters")

    # The same reader posting views of many items: the service slows them down.
    answers = [
        await gw.post(f"{E}/guide-views", json={"item_code": f"FLOOD-{i:03d}"}, headers=headers)
        for i in range(40)
    ]
    limited = [a for a in answers if a.status_code == 429]
    assert limited and all(a.status_code in (202, 429) for a in answers)
    problem = assert_problem(limited[0], 429, "evaluation.guide_views_rate_limited")
    assert int(limited[0].headers["retry-after"]) >= 1 and "秒后再试" in str(problem["detail"])
    assert (await _counters(gw, "item", item["code"], month)).get("guide_views", 0) == before + 1
    _rebuild(platform)
