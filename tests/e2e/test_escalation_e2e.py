"""Overdue goes somewhere (issue 14, point 9), through the gateway with real processes.

An application passes its deadline: two working days before it the approver handling it finds a
催办 reminder in his work list; the day after it the supervisor an administrator just added to 区民政局
finds the 督办 escalation naming her; two working days later, still red, it reaches the district
supervision office's supervisor — raised once although two replicas scanned at the same moment.
A hotline escalation rule a supervisor adds names the street centre's supervisor on a ticket.

Days cannot pass during a test: extra intake-svc processes on the platform's own database and NATS,
each with `INTAKE_CLOCK_OFFSET_SECONDS`, stand in for later days (as in test_intake_deadlines_e2e);
what they raise is read through the gateway from the platform's own processes.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from datetime import UTC, date, datetime
from typing import Any

import httpx
import nats
from devstack import Platform
from helpers import PASSWORD, bearer, login, register
from test_intake_deadlines_e2e import add_working_days, intake_at
from test_intake_e2e import API, MZJ, _complete, _demo_item, token

H = "/api/hotline/v1"
ID = "/api/identity/v1"
OFFICE = "110105-ZWGLJ"


def _morning(day: str) -> datetime:
    """10:00 in Beijing on `day`."""
    return datetime.fromisoformat(day).replace(hour=2, tzinfo=UTC)


async def _new_staff(gw: httpx.AsyncClient, name: str, unit_code: str, role: str) -> dict[str, Any]:
    """An administrator adds a staff member (identity publishes identity.staff.changed.v1)."""
    admin = await token(gw, "admin")
    unit = await gw.get(f"{ID}/org-units/{unit_code}", headers=admin)
    assert unit.status_code == 200, unit.text
    username = f"{role[:4]}-{uuid.uuid4().hex[:8]}"
    resp = await gw.post(
        f"{ID}/staff",
        json={
            "username": username,
            "name": name,
            "org_unit_id": unit.json()["id"],
            "roles": [role],
            "password": PASSWORD,
        },
        headers=admin,
    )
    assert resp.status_code == 201, resp.text
    return {**resp.json(), "username": username}


async def _read_model_has(platform: Platform, durable: str, staff_id: str, timeout: float = 30) -> None:
    """Wait until `durable` (a service's consumer of identity.staff.changed.v1) has handled the
    event about `staff_id`: its ack floor passed the event's stream sequence."""
    nc = await nats.connect(platform.nats_url)
    try:
        js = nc.jetstream()
        sub = await js.subscribe("identity.staff.changed.v1", ordered_consumer=True)
        seq = None
        deadline = time.monotonic() + timeout
        while seq is None:
            left = deadline - time.monotonic()
            assert left > 0, f"no identity.staff.changed.v1 for {staff_id}"
            try:
                msg = await sub.next_msg(timeout=left)
            except TimeoutError:  # nats.errors.TimeoutError, or the bare one an empty fetch raises
                continue
            if json.loads(msg.data)["data"]["staff_id"] == staff_id:
                seq = msg.metadata.sequence.stream
        await sub.unsubscribe()
        while (await js.consumer_info("IDENTITY", durable)).ack_floor.stream_seq < seq:
            assert time.monotonic() < deadline, f"{durable} never handled the event about {staff_id}"
            await asyncio.sleep(0.2)
    finally:
        await nc.close()


async def _events(
    platform: Platform, subject: str, key: str, value: str, wait: float = 3.0
) -> list[dict[str, Any]]:
    """The events on JetStream of `subject` whose data[key] is `value`."""
    nc = await nats.connect(platform.nats_url)
    try:
        js = nc.jetstream()
        sub = await js.subscribe(subject, ordered_consumer=True)
        found = []
        deadline = asyncio.get_running_loop().time() + wait
        while (left := deadline - asyncio.get_running_loop().time()) > 0:
            try:
                msg = await sub.next_msg(timeout=left)
            except TimeoutError:  # nats.errors.TimeoutError, or the bare one an empty fetch raises
                break
            body = json.loads(msg.data)
            if body["data"].get(key) == value:
                found.append(body)
        await sub.unsubscribe()
        return found
    finally:
        await nc.close()


async def _scan(gw: httpx.AsyncClient, svc: httpx.AsyncClient) -> dict[str, Any]:
    resp = await svc.post("/escalations/scan", headers=await token(gw, "supervisor"))
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


async def _mine(
    gw: httpx.AsyncClient, headers: dict[str, str], base: str, key: str, value: str
) -> list[dict[str, Any]]:
    resp = await gw.get(f"{base}/escalations/mine", params={"limit": 200}, headers=headers)
    assert resp.status_code == 200, resp.text
    return [e for e in resp.json()["items"] if e[key] == value]


async def _act(
    gw: httpx.AsyncClient, user: str, app_id: str, action: str, body: Any = None
) -> dict[str, Any]:
    resp = await gw.post(
        f"{API}/applications/{app_id}/{action}", json=body or {}, headers=await token(gw, user)
    )
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


async def test_an_overdue_case_is_reminded_then_escalated_to_named_supervisors(
    gw: httpx.AsyncClient, platform: Platform
) -> None:
    # 区民政局 gets a supervisor of its own: the administrator adds 钱敏.
    qian = await _new_staff(gw, "钱敏", MZJ, "supervisor")
    item = await _demo_item(gw)
    person = await register(gw, "赵丽")
    citizen = bearer((await login(gw, person["phone"]))["access_token"])
    submitted = await gw.post(
        f"{API}/applications",
        json={
            "item_code": item["code"],
            "applicant": {"name": "赵丽", "phone": person["phone"]},
            "materials": _complete(item),
        },
        headers=citizen,
    )
    assert submitted.status_code == 201, submitted.text
    app_id = submitted.json()["id"]
    # 陈刚 (approver at 区民政局) accepts, hands over and reviews: the case is his.
    accepted = await _act(gw, "approver", app_id, "accept")
    await _act(gw, "approver", app_id, "hand-over")
    await _act(gw, "approver", app_id, "steps", {"kind": "review", "opinion": "材料齐全，正在审查"})
    due = accepted["due_on"]
    await _read_model_has(platform, "intake__staff_changed", qian["id"])

    # Two working days before the due date: 催办 in 陈刚's work list.
    remind_day = await add_working_days(gw, due, -2)
    assert date.fromisoformat(remind_day) > date.fromisoformat(accepted["accepted_at"][:10])
    async with intake_at(platform, _morning(remind_day)) as svc:
        assert (await _scan(gw, svc))["reminded"] >= 1
    [reminder] = await _mine(gw, await token(gw, "approver"), API, "application_id", app_id)
    assert reminder["kind"] == "reminder" and reminder["working_days"] == 2
    assert [r["name"] for r in reminder["recipients"]] == ["陈刚"]
    assert reminder["message"].startswith("【催办】办件 " + accepted["application_no"])

    # The day after the due date the case is red: 督办 naming 钱敏, in her work list.
    red_day = await add_working_days(gw, due, 1)
    async with intake_at(platform, _morning(red_day)) as svc:
        assert (await _scan(gw, svc))["escalated_to_unit"] >= 1
    qian_token = bearer((await login(gw, qian["username"]))["access_token"])
    [unit] = await _mine(gw, qian_token, API, "application_id", app_id)
    assert unit["kind"] == "unit_supervisor" and unit["unit_code"] == MZJ and unit["fallback"] is False
    assert [(r["staff_id"], r["name"]) for r in unit["recipients"]] == [(qian["id"], "钱敏")]
    acked = await gw.post(
        f"{API}/escalations/{unit['id']}/acknowledge",
        json={"note": "已督促承办人今日办结"},
        headers=qian_token,
    )
    assert acked.status_code == 200 and acked.json()["recipients"][0]["acknowledged_at"]

    # Still red two working days later: the district supervision office, raised once although two
    # replicas scan at the same moment.
    district_day = await add_working_days(gw, red_day, 2)
    async with (
        intake_at(platform, _morning(district_day)) as one,
        intake_at(platform, _morning(district_day)) as two,
    ):
        supervisor = await token(gw, "supervisor")
        results = await asyncio.gather(
            one.post("/escalations/scan", headers=supervisor),
            two.post("/escalations/scan", headers=supervisor),
        )
        assert all(r.status_code == 200 for r in results), [r.text for r in results]
    [district] = await _mine(gw, await token(gw, "supervisor"), API, "application_id", app_id)
    assert district["kind"] == "district_office" and district["unit_code"] == OFFICE
    assert "吴芳" in [r["name"] for r in district["recipients"]]

    # On the case for everyone who sees it, and published once each.
    case = await gw.get(f"{API}/applications/{app_id}/escalations", headers=await token(gw, "approver"))
    assert [e["kind"] for e in case.json()["items"]] == ["district_office", "unit_supervisor", "reminder"]
    escalated = await _events(platform, "intake.application.escalated.v1", "application_id", app_id)
    assert sorted(e["data"]["level"] for e in escalated) == [1, 2]
    assert len(await _events(platform, "intake.application.reminded.v1", "application_id", app_id)) == 1
    citizen = bearer((await login(gw, person["phone"]))["access_token"])  # tokens live a few seconds
    trace = await gw.get(f"{API}/applications/{app_id}/trace", headers=citizen)
    assert [e["action"] for e in trace.json()["items"]].count("escalated") == 2


async def test_a_hotline_rule_names_the_lead_units_supervisor(
    gw: httpx.AsyncClient, platform: Platform
) -> None:
    agent = await token(gw, "agent")
    ticket = None
    deadline = time.monotonic() + 30
    while ticket is None:  # streets reach hotline's org read model through identity's events
        resp = await gw.post(
            f"{H}/tickets",
            json={
                "request_type": "complaint",
                "channel": "phone",
                "category_code": "noise",
                "title": "广场舞噪声扰民",
                "description": "小区广场每晚十点后仍有音响外放。",
                "caller_name": "李先生",
                "caller_phone": "13912345678",
                "street_code": "110105001",
                "attributes": {"noise_period": "night"},
            },
            headers=agent,
        )
        if resp.status_code == 201:
            ticket = resp.json()
        else:
            assert resp.json().get("code") == "hotline.unknown_area" and time.monotonic() < deadline, (
                resp.text
            )
            await asyncio.sleep(0.3)
    lead = ticket["lead_unit_code"]
    sup = await _new_staff(gw, "郑督", lead, "supervisor")
    await _read_model_has(platform, "hotline__staff_changed", sup["id"])
    supervisor = await token(gw, "supervisor")
    rule = await gw.post(
        f"{H}/escalation-rules",
        json={
            "name": "噪声投诉派单即督办",
            "kind": "escalation",
            "basis": "response",
            "statuses": ["dispatched"],
            "after_share": 0,
            "target": "unit_supervisor",
            "category_code": "noise",
            "request_type": "complaint",
        },
        headers=supervisor,
    )
    assert rule.status_code == 201, rule.text
    assert rule.headers["location"] == f"{H}/escalation-rules/{rule.json()['id']}"
    try:
        scanned = await gw.post(f"{H}/escalations/scan", headers=await token(gw, "supervisor"))
        assert scanned.status_code == 200, scanned.text
        mine = bearer((await login(gw, sup["username"]))["access_token"])
        [named] = await _mine(gw, mine, H, "ticket_id", ticket["id"])
        assert named["rule_name"] == "噪声投诉派单即督办" and named["unit_code"] == lead
        assert [(r["staff_id"], r["name"]) for r in named["recipients"]] == [(sup["id"], "郑督")]
        history = await gw.get(f"{H}/tickets/{ticket['id']}/history", headers=await token(gw, "agent"))
        assert "escalate" in [h["action"] for h in history.json()["items"]]
        events = await _events(platform, "hotline.ticket.escalated.v1", "ticket_id", ticket["id"])
        assert [e["data"]["rule_name"] for e in events] == ["噪声投诉派单即督办"]
    finally:
        deleted = await gw.delete(
            f"{H}/escalation-rules/{rule.json()['id']}", headers=await token(gw, "supervisor")
        )
        assert deleted.status_code == 204
