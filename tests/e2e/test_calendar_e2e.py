"""The calendar runs out (issue 14, point 11): 2027 is not in `chinesecalendar`, so before anyone
acts 1 January 2027 counts as a working day everywhere and every service's gauge says next year is
not covered. An administrator imports the 2027 arrangement once, through the gateway at
identity-svc, its one owner; every service receives it by event, and the counts and deadlines
over its holidays change in each: identity's and intake's working-day counts, a hotline ticket's
extended time limit, an evaluation bad-review case's deadline; every gauge says 2027 is covered.

The file imported is tests/e2e/data/calendar-2027.test.yaml: invented TEST DATA (no package and
no notice we could read held the real 2027 arrangement), marked so in its header. The hotline
and evaluation deadlines are aimed at the first of its holidays after today, so the test means
the same whatever day it runs; it is skipped once the installed package covers 2027.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from devstack import SERVICES, Platform
from helpers import assert_problem
from test_hotline_e2e import STREET, H, _create_when_area_known
from test_intake_e2e import token

from yiwang_shared.calendar import SHANGHAI, WorkingCalendar, package_exceptions, package_years
from yiwang_shared.testing.process import running_service

TEST_FILE = Path(__file__).resolve().parent / "data" / "calendar-2027.test.yaml"
ID = "/api/identity/v1"
E = "/api/evaluation/v1"
YEAR = 2027
SERVICE_NAMES = [s.name for s in SERVICES]
EVALUATION = next(s for s in SERVICES if s.name == "evaluation")


def _package_calendar(extra: dict[date, bool] | None = None) -> WorkingCalendar:
    """What the installed package says, plus `extra` days: the oracle the services must match."""
    exceptions: dict[date, bool] = {}
    for year in package_years():
        exceptions.update({d: w for d, (w, _) in (package_exceptions(year) or {}).items()})
    exceptions.update(extra or {})
    return WorkingCalendar(exceptions)


def _arrangement_days() -> dict[date, bool]:
    """The test file's exceptions to Monday–Friday, read here without identity's code."""
    data = yaml.safe_load(TEST_FILE.read_text(encoding="utf-8"))
    days: dict[date, bool] = {}
    for holiday in data["holidays"]:
        day = holiday["from"]
        while day <= holiday["to"]:
            if day.year == YEAR and day.weekday() < 5:
                days[day] = False
            day += timedelta(days=1)
        for worked in holiday.get("make_up_days", []):
            days[worked] = True
    return days


BEFORE = _package_calendar()
AFTER = _package_calendar(_arrangement_days())


def _next_holiday_after(day: date) -> date:
    """The first weekday the arrangement gives off after `day` (a day the import changes)."""
    found = sorted(d for d, working in _arrangement_days().items() if not working and d > day)
    if not found:
        pytest.skip(f"no holiday of the 2027 test arrangement lies after {day}: nothing left to change")
    return found[0]


def _today() -> date:
    return datetime.now(SHANGHAI).date()


async def _metrics(platform: Platform) -> dict[str, dict[str, float]]:
    """Every service's calendar gauges, read from its own /metrics."""
    out: dict[str, dict[str, float]] = {}
    async with httpx.AsyncClient(timeout=5) as client:
        for name in SERVICE_NAMES:
            text = (await client.get(platform.service_url(name) + "/metrics")).text
            gauges = {}
            for line in text.splitlines():
                if line.startswith("yiwang_calendar_") and f'service="{name}"' in line:
                    metric, value = line.split("{", 1)[0], line.rsplit(" ", 1)[1]
                    gauges[metric] = float(value)
            out[name] = gauges
    return out


async def _until_every_service(platform: Platform, last_covered: int, timeout: float = 45) -> dict[str, Any]:
    """Wait until every service's gauges show `last_covered` as the latest year covered."""
    deadline = time.monotonic() + timeout
    while True:
        gauges = await _metrics(platform)
        if all(g.get("yiwang_calendar_last_covered_year") == last_covered for g in gauges.values()):
            return gauges
        assert time.monotonic() < deadline, f"not every service shows {last_covered}: {gauges}"
        await asyncio.sleep(0.5)


def _expected_next_year_covered(covered: set[int]) -> float:
    return float(_today().year + 1 in covered)


@contextlib.asynccontextmanager
async def _evaluation_giving(platform: Platform, days: int) -> AsyncIterator[httpx.AsyncClient]:
    """Another evaluation-svc process on the platform's database whose bad-review deadline is
    `days` working days (EVALUATION_CASE_DEADLINE_WORKING_DAYS), off NATS: the platform's own
    evaluation-svc keeps consuming, so the calendar it counts on is the one the event brought."""
    config = {
        "database_url": platform.database_url(EVALUATION),
        "nats_url": platform.nats_url,
        "nats_enabled": "false",
        "jwks_url": platform.service_url("identity") + "/v1/auth/jwks",
        "case_deadline_working_days": str(days),
    }
    async with (
        running_service("evaluation", config) as base,
        httpx.AsyncClient(base_url=base + "/v1", timeout=30) as client,
    ):
        yield client


async def _bad_review_deadline(gw: httpx.AsyncClient, evaluation: httpx.AsyncClient) -> datetime:
    """A window visit rated 非常不满意 at the counter's rating pad: the deadline of the case it opens."""
    visit = await evaluation.post(
        "/window-visits", json={"item_name": "高龄老年人津贴"}, headers=await token(gw, "clerk")
    )
    assert visit.status_code == 201, visit.text
    event = visit.json()
    pad = await evaluation.post(
        "/rating-devices", json={"window_code": event["window_code"]}, headers=await token(gw, "evaluator")
    )
    assert pad.status_code == 201, pad.text
    shown = await evaluation.post(
        f"/rating-devices/{pad.json()['device']['id']}/code", json={"secret": pad.json()["secret"]}
    )
    assert shown.status_code == 200 and shown.json()["service_event_id"] == event["id"], shown.text
    rating = await evaluation.post(
        f"/service-events/{event['id']}/rating",
        json={
            "level": 5,
            "channel": "device",
            "code": shown.json()["rating_code"],
            "comment": "等候时间太长",
        },
    )
    assert rating.status_code == 201, rating.text
    cases = await gw.get(f"{E}/bad-reviews", params={"limit": 200}, headers=await token(gw, "supervisor"))
    assert cases.status_code == 200, cases.text
    (case,) = [c for c in cases.json()["items"] if c["rating_id"] == rating.json()["id"]]
    return datetime.fromisoformat(case["deadline_at"])


async def _ticket(gw: httpx.AsyncClient) -> tuple[str, date]:
    """A new noise complaint: its id and the day its time limit falls due (Asia/Shanghai)."""
    ticket = await _create_when_area_known(
        gw,
        await token(gw, "agent"),
        {
            "request_type": "complaint",
            "channel": "phone",
            "category_code": "noise",
            "title": "夜间施工噪音",
            "description": "小区旁工地夜间施工，噪音扰民。",
            "caller_name": "王芳",
            "caller_phone": "13810000003",
            "street_code": STREET,
            "attributes": {"noise_period": "night"},
        },
    )
    return ticket["id"], datetime.fromisoformat(ticket["due_at"]).astimezone(SHANGHAI).date()


async def _extend(gw: httpx.AsyncClient, ticket_id: str, days: int) -> date:
    """Extend a ticket's time limit by `days` working days (延期); the new due date."""
    resp = await gw.post(
        f"{H}/tickets/{ticket_id}/extend",
        json={"amount": days, "unit": "working_days", "reason": "需协调施工单位，延期办理"},
        headers=await token(gw, "dispatcher"),
    )
    assert resp.status_code == 200, resp.text
    return datetime.fromisoformat(resp.json()["due_at"]).astimezone(SHANGHAI).date()


async def _count(gw: httpx.AsyncClient, service: str, start: date, end: date) -> int:
    resp = await gw.get(
        f"/api/{service}/v1/calendar/between", params={"from": start.isoformat(), "to": end.isoformat()}
    )
    assert resp.status_code == 200, resp.text
    return int(resp.json()["working_days"])


async def test_a_2027_arrangement_imported_once_is_used_by_every_service(
    gw: httpx.AsyncClient, platform: Platform
) -> None:
    if YEAR in package_years():
        pytest.skip("the installed chinesecalendar covers 2027: there is nothing to import")
    package = set(package_years())
    today = _today()
    case_holiday = _next_holiday_after(today)
    case_days = BEFORE.working_days_between(today, case_holiday)
    if case_days > 60:  # EVALUATION_CASE_DEADLINE_WORKING_DAYS goes up to 60
        pytest.skip(f"{case_holiday} is {case_days} working days away, beyond a bad-review deadline's 60")
    text = TEST_FILE.read_text(encoding="utf-8")
    assert text.startswith("# 测试数据 — TEST DATA")

    # Before: 2027 is uncovered, and every service says so.
    years = {
        y["year"]: y for y in (await gw.get(f"{ID}/calendar/years", params={"limit": 200})).json()["items"]
    }
    assert years.get(YEAR, {"covered": False})["covered"] is False
    gauges = await _until_every_service(platform, max(package))
    for name, g in gauges.items():
        assert g["yiwang_calendar_next_year_covered"] == _expected_next_year_covered(package), name
        assert g["yiwang_calendar_days_until_next_year"] == (date(_today().year + 1, 1, 1) - _today()).days, (
            name
        )
    new_years_eve, first_monday = date(2026, 12, 31), date(2027, 1, 4)
    for service in ("identity", "intake"):
        assert await _count(gw, service, new_years_eve, first_monday) == 2, service  # 1 January "worked"

    # Deadlines aimed at the first holiday of the arrangement still ahead of each.
    ticket_id, due = await _ticket(gw)
    holiday = _next_holiday_after(due)
    hotline_days = BEFORE.working_days_between(due, holiday)
    assert await _extend(gw, ticket_id, hotline_days) == holiday  # counted as a working day
    async with _evaluation_giving(platform, case_days) as evaluation:
        case_before = await _bad_review_deadline(gw, evaluation)
        assert case_before.astimezone(SHANGHAI).date() == case_holiday

        # The import: once, by an administrator, through the gateway.
        clerk = await token(gw, "clerk")
        files = {"file": ("calendar-2027.test.yaml", text.encode(), "application/yaml")}
        assert_problem(await gw.post(f"{ID}/calendar/years/{YEAR}/import", files=files, headers=clerk), 403)
        admin = await token(gw, "admin")
        resp = await gw.post(f"{ID}/calendar/years/{YEAR}/import", files=files, headers=admin)
        assert resp.status_code == 200, resp.text
        assert resp.json()["changed"] is True and resp.json()["notice"].startswith("测试数据")
        assert {d["day"]: d["is_working_day"] for d in resp.json()["days"]} == {
            d.isoformat(): w for d, w in _arrangement_days().items()
        }
        # Every service has it: its gauges turn, each from its own table.
        gauges = await _until_every_service(platform, YEAR)
        for name, g in gauges.items():
            assert g["yiwang_calendar_next_year_covered"] == _expected_next_year_covered(package | {YEAR}), (
                name
            )

        # Counts over 1 January: intake (where applications are counted) and identity agree.
        for service in ("identity", "intake"):
            assert await _count(gw, service, new_years_eve, first_monday) == 1, service
        days = (await gw.get("/api/intake/v1/calendar/days", params={"year": YEAR, "limit": 200})).json()[
            "items"
        ]
        assert {d["day"]: (d["is_working_day"], d["source"]) for d in days}["2027-01-01"] == (False, "import")
        years = {y["year"]: y for y in (await gw.get(f"{ID}/calendar/years")).json()["items"]}
        assert years[YEAR]["covered_by"] == "import"

        # Hotline: the same extension of a new ticket now runs past the holiday.
        ticket_id, due = await _ticket(gw)
        extended = await _extend(gw, ticket_id, hotline_days)
        assert extended == AFTER.add_working_days(due, hotline_days) > holiday
        assert extended != BEFORE.add_working_days(due, hotline_days)
        # Evaluation: the same deadline now runs past the holiday too.
        case_after = await _bad_review_deadline(gw, evaluation)
        assert (
            case_after.astimezone(SHANGHAI).date()
            == AFTER.add_working_days(_today(), case_days)
            > case_holiday
        )

    # Imported once: a second import of the same file changes nothing and tells no one.
    again = await gw.post(f"{ID}/calendar/years/{YEAR}/import", files=files, headers=await token(gw, "admin"))
    assert again.status_code == 200 and again.json()["changed"] is False
    # And no service edits its own copy any more: intake's calendar is read-only.
    put = await gw.put(
        "/api/intake/v1/calendar/days/2027-01-01",
        json={"is_working_day": True},
        headers=await token(gw, "admin"),
    )
    assert put.status_code in (404, 405), put.text
