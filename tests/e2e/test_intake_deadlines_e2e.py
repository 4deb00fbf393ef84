"""Intake deadlines with real processes: a special procedure across the National Day holiday,
容缺 revocation after its correction deadline, and overdue detection emitted exactly once.

Days cannot pass during a test, so extra intake-svc processes on the platform's own database and
NATS stand in for later (or earlier) days: each runs with `INTAKE_CLOCK_OFFSET_SECONDS`, exactly as
the service runs in production otherwise. What they write is then read through the gateway (the
platform's own intake-svc, on the real clock), and the overdue event is counted on JetStream.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import nats
from devstack import SERVICES, Platform
from helpers import PASSWORD, register
from test_intake_e2e import API, _complete, _demo_item, token

from yiwang_shared.testing.process import running_service

INTAKE = next(s for s in SERVICES if s.name == "intake")


@contextlib.asynccontextmanager
async def intake_at(
    platform: Platform, when: datetime | None = None, **settings: str
) -> AsyncIterator[httpx.AsyncClient]:
    """Another intake-svc process whose clock reads `when` now (the real time if None)."""
    offset = 0.0 if when is None else (when - datetime.now(UTC)).total_seconds()
    config = {
        "database_url": platform.database_url(INTAKE),
        "nats_url": platform.nats_url,
        "jwks_url": platform.service_url("identity") + "/v1/auth/jwks",
        "clock_offset_seconds": str(offset),
        "supervision_scan_seconds": "0",  # scanned on demand below
        **settings,
    }
    async with (
        running_service("intake", config) as base,
        httpx.AsyncClient(base_url=base + "/v1", timeout=30) as client,
    ):
        yield client


async def act(
    gw: httpx.AsyncClient,
    svc: httpx.AsyncClient,
    user: str,
    path: str,
    body: Any = None,
    password: str | None = None,
) -> dict[str, Any]:
    """POST to a shifted intake process with a fresh token (e2e tokens live a few seconds)."""
    headers = await token(gw, user, password) if password else await token(gw, user)
    resp = await svc.post(path, json=body if body is not None else {}, headers=headers)
    assert resp.status_code in (200, 201), resp.text
    return dict(resp.json())


async def add_working_days(gw: httpx.AsyncClient, start: str, days: int) -> str:
    resp = await gw.get(f"{API}/calendar/add", params={"start": start, "days": days})
    assert resp.status_code == 200, resp.text
    return str(resp.json()["result"])


async def test_special_procedure_across_the_national_day_holiday(
    gw: httpx.AsyncClient, platform: Platform
) -> None:
    item = await _demo_item(gw)
    person = await register(gw, "张伟")
    body = {
        "item_code": item["code"],
        "applicant": {"name": "张伟", "phone": person["phone"]},
        "materials": _complete(item),
    }
    # 30 September 2026, 10:00 in Beijing: submitted online, accepted, handed over, then paused.
    async with intake_at(platform, datetime(2026, 9, 30, 2, tzinfo=UTC)) as sept30:
        app = await act(gw, sept30, person["phone"], "/applications", body, password=PASSWORD)
        app = await act(gw, sept30, "approver", f"/applications/{app['id']}/accept")
        assert app["accepted_at"].startswith("2026-09-30")
        due_before = app["due_on"]
        await act(gw, sept30, "approver", f"/applications/{app['id']}/hand-over")
        app = await act(
            gw,
            sept30,
            "approver",
            f"/applications/{app['id']}/pause",
            {"procedure": "inspection", "reason": "需现场勘查", "expected_end_on": "2026-10-09"},
        )
        assert app["status"] == "suspended"
    # 9 October: the inspection is over. 1–7 October are holidays: only 8 and 9 October count.
    async with intake_at(platform, datetime(2026, 10, 9, 2, tzinfo=UTC)) as oct9:
        app = await act(gw, oct9, "approver", f"/applications/{app['id']}/resume")
    assert app["pauses"][0]["paused_working_days"] == 2 and app["paused_working_days"] == 2
    assert app["due_on"] == await add_working_days(gw, due_before, 2)
    # The platform's own intake-svc (real clock) shows the same case.
    got = await gw.get(f"{API}/applications/{app['id']}", headers=await token(gw, "approver"))
    assert got.status_code == 200 and got.json()["due_on"] == app["due_on"]


async def _overdue_events(platform: Platform, application_id: str, wait: float = 3.0) -> int:
    """How many intake.application.overdue.v1 events on JetStream name this application."""
    nc = await nats.connect(platform.nats_url)
    try:
        js = nc.jetstream()
        sub = await js.subscribe("intake.application.overdue.v1", ordered_consumer=True)
        count = 0
        deadline = asyncio.get_running_loop().time() + wait
        while (left := deadline - asyncio.get_running_loop().time()) > 0:
            try:
                msg = await sub.next_msg(timeout=left)
            except TimeoutError:  # nats.errors.TimeoutError, or the bare one an empty fetch raises
                break
            if json.loads(msg.data)["data"].get("application_id") == application_id:
                count += 1
        await sub.unsubscribe()
        return count
    finally:
        await nc.close()


async def test_overdue_once_and_deficiency_acceptance_revoked(
    gw: httpx.AsyncClient, platform: Platform
) -> None:
    item = await _demo_item(gw)
    person = await register(gw, "李娜")
    materials = _complete(item)
    owed = materials[0]["name"]
    allow = {"deficiency_item_codes": json.dumps([item["code"]])}
    async with intake_at(platform, **allow) as today:
        # On time so far: accepted and handed over today.
        late = await act(
            gw,
            today,
            person["phone"],
            "/applications",
            {
                "item_code": item["code"],
                "applicant": {"name": "李娜", "phone": person["phone"]},
                "materials": materials,
            },
            password=PASSWORD,
        )
        await act(gw, today, "approver", f"/applications/{late['id']}/accept")
        await act(gw, today, "approver", f"/applications/{late['id']}/hand-over")
        # Accepted with one material owed (容缺受理).
        owing = await act(
            gw,
            today,
            person["phone"],
            "/applications",
            {
                "item_code": item["code"],
                "applicant": {"name": "李娜", "phone": person["phone"]},
                "materials": materials[1:],
            },
            password=PASSWORD,
        )
        owing = await act(
            gw, today, "approver", f"/applications/{owing['id']}/accept", {"with_deficiencies": True}
        )
        assert owing["status"] == "accepted" and [d["material"] for d in owing["deficiencies"]] == [owed]
    # Sixty days later, two replicas scan at the same moment.
    later = datetime.now(UTC) + timedelta(days=60)
    async with intake_at(platform, later, **allow) as one, intake_at(platform, later, **allow) as two:
        supervisor = await token(gw, "supervisor")
        results = await asyncio.gather(
            one.post("/supervision/scan", headers=supervisor),
            two.post("/supervision/scan", headers=supervisor),
        )
        assert all(r.status_code == 200 for r in results), [r.text for r in results]
    assert await _overdue_events(platform, late["id"]) == 1
    approver = await token(gw, "approver")
    trace = (await gw.get(f"{API}/applications/{late['id']}/trace", headers=approver)).json()["items"]
    assert [e["action"] for e in trace].count("overdue") == 1
    revoked = (await gw.get(f"{API}/applications/{owing['id']}", headers=approver)).json()
    assert revoked["status"] == "acceptance_revoked" and owed in revoked["closed_reason"]
