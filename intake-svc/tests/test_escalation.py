"""催办 and 督办 (issue 14, point 9): a running case is reminded to the person handling it before
its due date, escalated to its unit's supervisor when it turns red and to the district
supervision office when it stays red; each names people from the staff read model, shows in their
work lists, is traced on the case and published once, however many replicas scan."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import date
from typing import Any

import nats
import pytest
from intake_support import DISTRICT, Env, unit_id
from jsonschema import Draft202012Validator
from nats.js.api import StreamConfig
from nats.js.errors import NotFoundError
from sqlalchemy import func, select

from intake.events import ESCALATION_EVENTS, INTAKE
from intake.models.escalation import StaffMember
from intake.services.escalation_rules import due_now
from intake.services.escalation_scan import scan
from intake.services.escalation_settings import EscalationSettings
from intake.services.escalation_staff import active_in_unit, upsert_staff
from yiwang_shared.calendar import WorkingCalendar
from yiwang_shared.events import make_event
from yiwang_shared.tables import outbox, processed_events
from yiwang_shared.testing.nats import NatsServer

SCJ = f"{DISTRICT}-SCJGJ"
OFFICE = f"{DISTRICT}-ZWGLJ"
DEFAULTS = EscalationSettings(reminder_working_days=2, district_escalation_working_days=2)


# --- the rules, one by one (no I/O) -------------------------------------------------------------

WEEKDAYS = WorkingCalendar({})  # Monday to Friday, no holidays: easy to count by hand
DUE = date(2026, 11, 18)  # a Wednesday


def _kinds(
    today: date, *, raised: set[str] | None = None, unit_on: date | None = None, **kw: int
) -> list[str]:
    settings = EscalationSettings(**{**DEFAULTS.model_dump(), **kw})
    return [
        d.kind
        for d in due_now(WEEKDAYS, today, DUE, settings, raised=raised or set(), unit_escalated_on=unit_on)
    ]


def test_a_reminder_is_due_within_the_lead_time_and_not_before() -> None:
    assert _kinds(date(2026, 11, 13)) == []  # Friday: 3 working days left
    assert _kinds(date(2026, 11, 16)) == ["reminder"]  # Monday: 2 left
    assert _kinds(DUE) == ["reminder"]  # the due date itself: 0 left
    assert _kinds(date(2026, 11, 16), reminder_working_days=0) == []
    assert _kinds(date(2026, 11, 16), raised={"reminder"}) == []  # once per due date


def test_red_goes_to_the_unit_then_after_the_delay_to_the_district() -> None:
    thursday = date(2026, 11, 19)
    assert _kinds(thursday) == ["unit_supervisor"]  # red: no reminder any more, the unit's supervisor
    raised = {"reminder", "unit_supervisor"}
    assert _kinds(date(2026, 11, 20), raised=raised, unit_on=thursday) == []  # 1 working day later
    assert _kinds(date(2026, 11, 22), raised=raised, unit_on=thursday) == []  # Sunday: still 1
    assert _kinds(date(2026, 11, 23), raised=raised, unit_on=thursday) == ["district_office"]  # 2 later
    assert _kinds(date(2026, 11, 23), raised=raised | {"district_office"}, unit_on=thursday) == []
    # No delay: both levels at once.
    assert _kinds(thursday, district_escalation_working_days=0) == ["unit_supervisor", "district_office"]


def test_the_working_days_counted_are_left_before_and_past_the_due_date() -> None:
    [reminder] = due_now(WEEKDAYS, date(2026, 11, 16), DUE, DEFAULTS, raised=set(), unit_escalated_on=None)
    assert (reminder.level, reminder.working_days) == (0, 2)
    [unit] = due_now(WEEKDAYS, date(2026, 11, 23), DUE, DEFAULTS, raised={"reminder"}, unit_escalated_on=None)
    assert (unit.level, unit.working_days) == (1, 3)


# --- through the service ---------------------------------------------------------------------------


async def _staff(env: Env, staff_id: str, name: str, unit: str, roles: list[str], **extra: Any) -> None:
    """A staff member in the read model, as identity.staff.changed.v1 would put them."""
    async with env.db.transaction() as session:
        await upsert_staff(
            session,
            {
                "staff_id": staff_id,
                "username": staff_id,
                "name": name,
                "org_unit_id": unit_id(unit),
                "org_unit_code": unit,
                "roles": roles,
                "status": "active",
                "change": "created",
                "changed_at": "2026-09-01T00:00:00+00:00",
                **extra,
            },
        )


async def _calendar(env: Env) -> WorkingCalendar:
    async with env.db.transaction(write=False) as session:
        return await WorkingCalendar.load(session)


async def _escalation_scan(env: Env) -> dict[str, Any]:
    resp = await env.client.post("/v1/escalations/scan", headers=env.supervisor)
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


async def _mine(env: Env, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    resp = await env.client.get("/v1/escalations/mine", params=params, headers=headers)
    assert resp.status_code == 200, resp.text
    return list(resp.json()["items"])


async def _events(env: Env, subject: str, application_id: str) -> list[dict[str, Any]]:
    async with env.db.transaction(write=False) as session:
        rows = (
            await session.execute(
                select(outbox.c.payload).where(outbox.c.subject == subject).order_by(outbox.c.id)
            )
        ).scalars()
        found = [json.loads(p) for p in rows]
    return [e for e in found if e["data"]["application_id"] == application_id]


async def _reviewed_by(env: Env, approver: dict[str, str]) -> dict[str, Any]:
    """A case accepted at the window, handed over, and reviewed by `approver` (the person on it)."""
    app = await env.to_review()
    await env.post(app["id"], "steps", approver, {"kind": "review", "opinion": "材料齐全，正在审查"})
    return app


async def test_reminder_then_unit_supervisor_then_district_office_each_named_once(env: Env) -> None:
    await _staff(env, "approver-chen", "陈刚", SCJ, ["approver"])
    await _staff(env, "sup-scj", "钱敏", SCJ, ["supervisor"])
    await _staff(env, "sup-scj-old", "孙旧", SCJ, ["supervisor"], status="disabled", change="disabled")
    await _staff(env, "sup-district", "吴芳", OFFICE, ["supervisor"])
    chen = env.staff("approver", SCJ, "approver-chen")
    qian = env.staff("supervisor", SCJ, "sup-scj")
    wu = env.staff("supervisor", OFFICE, "sup-district")
    app = await _reviewed_by(env, chen)
    due = date.fromisoformat(app["due_on"])
    calendar = await _calendar(env)

    env.clock.set(calendar.add_working_days(due, -3).isoformat())
    assert await _escalation_scan(env) == {"reminded": 0, "escalated_to_unit": 0, "escalated_to_district": 0}

    # Two working days before the due date: 催办 to the approver who is handling it.
    env.clock.set(calendar.add_working_days(due, -2).isoformat())
    assert (await _escalation_scan(env))["reminded"] == 1
    assert (await _escalation_scan(env))["reminded"] == 0  # once
    [reminder] = await _mine(env, chen)
    assert (
        reminder["kind"] == "reminder" and reminder["level"] == 0 and reminder["application_id"] == app["id"]
    )
    assert reminder["working_days"] == 2 and reminder["unit_code"] == SCJ
    assert [(r["staff_id"], r["name"], r["role"]) for r in reminder["recipients"]] == [
        ("approver-chen", "陈刚", "handler")
    ]
    assert (
        reminder["message"].startswith("【催办】办件 " + app["application_no"])
        and "剩余2个工作日" in reminder["message"]
    )
    assert await _mine(env, qian) == []

    # Red the day after: 督办 to the unit's supervisor (the disabled one is never named).
    red_day = calendar.add_working_days(due, 1)
    env.clock.set(red_day.isoformat())
    assert await _escalation_scan(env) == {"reminded": 0, "escalated_to_unit": 1, "escalated_to_district": 0}
    [unit] = await _mine(env, qian)
    assert unit["kind"] == "unit_supervisor" and unit["level"] == 1 and unit["case_status"] == "under_review"
    assert [r["name"] for r in unit["recipients"]] == ["钱敏"] and unit["fallback"] is False
    assert unit["message"].startswith("【督办】") and "超期1个工作日" in unit["message"]
    assert await _mine(env, wu) == []

    # One working day later it is still the unit's; two later, the district office's.
    env.clock.set(calendar.add_working_days(red_day, 1).isoformat())
    assert (await _escalation_scan(env))["escalated_to_district"] == 0
    env.clock.set(calendar.add_working_days(red_day, 2).isoformat())
    assert (await _escalation_scan(env))["escalated_to_district"] == 1
    assert await _escalation_scan(env) == {"reminded": 0, "escalated_to_unit": 0, "escalated_to_district": 0}
    [district] = await _mine(env, wu)
    assert district["kind"] == "district_office" and district["unit_code"] == OFFICE
    assert [(r["staff_id"], r["name"]) for r in district["recipients"]] == [("sup-district", "吴芳")]
    assert "区政务服务管理局督办" in district["message"]

    # Recorded on the case: its trace and its own list.
    trace = (await env.client.get(f"/v1/applications/{app['id']}/trace", headers=chen)).json()["items"]
    assert [e["action"] for e in trace if e["action"] in ("reminded", "escalated")] == [
        "reminded",
        "escalated",
        "escalated",
    ]
    escalated = next(e for e in trace if e["action"] == "escalated")
    assert escalated["data"]["recipients"] == ["sup-scj"] and escalated["actor"] == "system"
    case = (await env.client.get(f"/v1/applications/{app['id']}/escalations", headers=chen)).json()
    assert [e["kind"] for e in case["items"]] == ["district_office", "unit_supervisor", "reminder"]
    verified = (await env.client.get(f"/v1/applications/{app['id']}/trace/verify", headers=chen)).json()
    assert verified["valid"] is True

    # Published once each, valid against the committed schemas.
    reminded = await _events(env, "intake.application.reminded.v1", app["id"])
    escalations = await _events(env, "intake.application.escalated.v1", app["id"])
    assert len(reminded) == 1 and [e["data"]["level"] for e in escalations] == [1, 2]
    for payload, event in [(ESCALATION_EVENTS[0], reminded[0])] + [
        (ESCALATION_EVENTS[1], e) for e in escalations
    ]:
        Draft202012Validator(
            INTAKE.event_schema(payload), format_checker=Draft202012Validator.FORMAT_CHECKER
        ).validate(event)
    assert reminded[0]["data"]["recipients"] == [
        {"staff_id": "approver-chen", "name": "陈刚", "org_unit_code": SCJ, "role": "handler"}
    ]
    assert (
        escalations[0]["data"]["recipients"][0]["name"] == "钱敏"
        and escalations[0]["data"]["staff_id"] is None
    )


async def test_work_lists_acknowledgement_and_who_may_see_what(env: Env) -> None:
    await _staff(env, "approver-li", "李强", SCJ, ["approver"])
    await _staff(env, "sup-scj", "钱敏", SCJ, ["supervisor"])
    li = env.staff("approver", SCJ, "approver-li")
    qian = env.staff("supervisor", SCJ, "sup-scj")
    app = await _reviewed_by(env, li)
    calendar = await _calendar(env)
    env.clock.set(calendar.add_working_days(date.fromisoformat(app["due_on"]), 1).isoformat())
    await _escalation_scan(env)
    [unit] = await _mine(env, qian)
    assert await _mine(env, qian, acknowledged="true") == []

    # Only the people named acknowledge it; again keeps the first time.
    other = await env.client.post(
        f"/v1/escalations/{unit['id']}/acknowledge", json={}, headers=env.supervisor
    )
    assert other.status_code == 403 and other.json()["code"] == "intake.not_escalation_recipient"
    done = await env.client.post(
        f"/v1/escalations/{unit['id']}/acknowledge", json={"note": "已约谈承办人，明日办结"}, headers=qian
    )
    assert done.status_code == 200, done.text
    [me] = done.json()["recipients"]
    assert me["acknowledged_at"] is not None and me["note"] == "已约谈承办人，明日办结"
    again = await env.client.post(f"/v1/escalations/{unit['id']}/acknowledge", headers=qian)
    assert again.json()["recipients"][0]["acknowledged_at"] == me["acknowledged_at"]
    assert [e["id"] for e in await _mine(env, qian, acknowledged="true")] == [unit["id"]]
    assert await _mine(env, qian, acknowledged="false") == []

    # The supervisors' board sees every case's; a unit that has nothing to do with the case does not.
    board = (
        await env.client.get("/v1/escalations", params={"kind": "unit_supervisor"}, headers=env.supervisor)
    ).json()
    assert [e["id"] for e in board["items"]] == [unit["id"]]
    stranger = env.staff("approver", f"{DISTRICT}-MZJ")
    assert (await env.client.get("/v1/escalations", headers=stranger)).json()["total"] == 0
    hidden = await env.client.get(f"/v1/escalations/{unit['id']}", headers=stranger)
    assert hidden.status_code == 404 and hidden.json()["code"] == "intake.escalation_not_found"
    assert (await env.client.get(f"/v1/escalations/{unit['id']}", headers=qian)).status_code == 200
    # Citizens have no work list, and do not see the case's escalations.
    refused = await env.client.get("/v1/escalations/mine", headers=env.citizen)
    assert refused.status_code == 403 and refused.json()["code"] == "intake.staff_only"
    assert refused.json()["detail"].startswith("催办督办事项只向工作人员展示")
    assert (
        await env.client.get(f"/v1/applications/{app['id']}/escalations", headers=env.citizen)
    ).status_code == 403
    wrong = await env.client.get("/v1/escalations/mine", params={"kind": "shout"}, headers=qian)
    assert wrong.status_code == 422 and "'reminder'" in wrong.json()["errors"][0]["message"]
    # Only supervisors and administrators run the pass.
    assert (await env.client.post("/v1/escalations/scan", headers=qian)).status_code == 200
    assert (await env.client.post("/v1/escalations/scan", headers=li)).status_code == 403
    # Once the case is completed it leaves the open work list, and stays in the full one.
    await env.post(app["id"], "approve", li)
    assert await _mine(env, qian) == []
    assert [e["id"] for e in await _mine(env, qian, open_only="false")] == [unit["id"]]


async def test_who_is_named_when_the_person_or_the_supervisor_is_missing(env: Env) -> None:
    await _staff(env, "sup-district", "吴芳", OFFICE, ["supervisor"])
    await _staff(env, "approver-gone", "赵离", SCJ, ["approver"], status="disabled", change="disabled")
    await _staff(env, "approver-a", "安宁", SCJ, ["approver"])
    await _staff(env, "handler-b", "白露", SCJ, ["handler"])
    await _staff(env, "clerk-c", "程窗", SCJ, ["window_clerk"])
    calendar = await _calendar(env)
    # The approver on the case left (disabled): every active approver and handler of the unit.
    gone = await _reviewed_by(env, env.staff("approver", SCJ, "approver-gone"))
    # The approver on this one is not in the read model yet: named by id, the case says where.
    unknown = await _reviewed_by(env, env.staff("approver", SCJ, "approver-new"))
    env.clock.set(calendar.add_working_days(date.fromisoformat(gone["due_on"]), -1).isoformat())
    assert (await _escalation_scan(env))["reminded"] == 2
    lines = (
        await env.client.get("/v1/escalations", params={"kind": "reminder"}, headers=env.supervisor)
    ).json()
    named = {
        e["application_id"]: sorted((r["staff_id"], r["name"]) for r in e["recipients"])
        for e in lines["items"]
    }
    assert named[gone["id"]] == [("approver-a", "安宁"), ("handler-b", "白露")]
    assert named[unknown["id"]] == [("approver-new", None)]
    assert len(await _mine(env, env.staff("approver", SCJ, "approver-new"))) == 1
    # 区市场监管局 and the district above it have no supervisor: the district office is named at
    # level 1, and says so.
    env.clock.set(calendar.add_working_days(date.fromisoformat(gone["due_on"]), 1).isoformat())
    assert (await _escalation_scan(env))["escalated_to_unit"] == 2
    wu = env.staff("supervisor", OFFICE, "sup-district")
    fallbacks = await _mine(env, wu, kind="unit_supervisor")
    assert len(fallbacks) == 2 and all(e["fallback"] and e["unit_code"] == OFFICE for e in fallbacks)
    assert "未设督办人员" in fallbacks[0]["message"]


async def test_a_new_due_date_rearms_and_a_paused_case_is_left_alone(env: Env) -> None:
    await _staff(env, "approver-chen", "陈刚", SCJ, ["approver"])
    chen = env.staff("approver", SCJ, "approver-chen")
    app = await _reviewed_by(env, chen)
    paused = await _reviewed_by(env, chen)
    await env.post(paused["id"], "pause", chen, {"procedure": "inspection", "reason": "需现场勘查"})
    calendar = await _calendar(env)
    due = date.fromisoformat(app["due_on"])
    env.clock.set(calendar.add_working_days(due, -1).isoformat())
    assert (await _escalation_scan(env))["reminded"] == 1  # the paused case's clock stands still
    # Extended by five working days: a new due date, reminded again when it comes close.
    extended = await env.post(app["id"], "extend", chen, {"working_days": 5, "reason": "需补充征求意见"})
    new_due = date.fromisoformat(extended["due_on"])
    assert new_due > due
    assert (await _escalation_scan(env))["reminded"] == 0
    env.clock.set(calendar.add_working_days(new_due, -2).isoformat())
    assert (await _escalation_scan(env))["reminded"] == 1
    assert [e["due_on"] for e in await _mine(env, chen)] == [new_due.isoformat(), due.isoformat()]
    assert await _events(env, "intake.application.reminded.v1", paused["id"]) == []


async def test_two_replicas_scanning_at_once_raise_each_once(env: Env) -> None:
    await _staff(env, "approver-chen", "陈刚", SCJ, ["approver"])
    await _staff(env, "sup-district", "吴芳", OFFICE, ["supervisor"])
    chen = env.staff("approver", SCJ, "approver-chen")
    cases = [await _reviewed_by(env, chen) for _ in range(3)]
    calendar = await _calendar(env)
    env.clock.set(calendar.add_working_days(date.fromisoformat(cases[0]["due_on"]), 1).isoformat())
    settings = EscalationSettings(district_escalation_working_days=0)
    counts = await asyncio.gather(
        *(scan(env.db, env.app.state.settings, settings, env.clock()) for _ in range(3))
    )
    assert sum(c.escalated_to_unit for c in counts) == 3 and sum(c.escalated_to_district for c in counts) == 3
    for case in cases:
        escalated = await _events(env, "intake.application.escalated.v1", case["id"])
        assert sorted(e["data"]["level"] for e in escalated) == [1, 2]


@pytest.mark.parametrize("path", ["/v1/escalations/nope", "/v1/applications/nope/escalations"])
async def test_unknown_ids_are_404(env: Env, path: str) -> None:
    resp = await env.client.get(path, headers=env.supervisor)
    assert resp.status_code == 404, resp.text


async def test_a_case_not_yet_handed_over_is_the_accepting_clerks(env: Env) -> None:
    window = f"{DISTRICT}-ZWFW-W01"
    clerk = env.staff("window_clerk", window)
    await _staff(env, env.staff_subject(clerk), "刘静", window, ["window_clerk"])
    app = await env.submit(clerk)
    accepted = await env.post(app["id"], "accept", clerk)
    calendar = await _calendar(env)
    env.clock.set(calendar.add_working_days(date.fromisoformat(accepted["due_on"]), -1).isoformat())
    assert (await _escalation_scan(env))["reminded"] == 1
    [reminder] = await _mine(env, clerk)
    assert reminder["case_status"] == "accepted" and reminder["unit_code"] == window
    assert [(r["name"], r["org_unit_code"]) for r in reminder["recipients"]] == [("刘静", window)]
    assert "剩余1个工作日" in reminder["message"]


async def test_staff_events_feed_the_read_model_once(env: Env, nats_server: NatsServer) -> None:
    staff_id = str(uuid.uuid4())
    data = {
        "staff_id": staff_id,
        "username": "qianmin",
        "name": "钱敏",
        "org_unit_id": unit_id(SCJ),
        "org_unit_code": SCJ,
        "roles": ["supervisor"],
        "status": "active",
        "change": "created",
        "changed_at": "2026-09-20T08:00:00+00:00",
    }
    created = make_event("identity.staff.changed", 1, data, producer="identity")
    moved = make_event(
        "identity.staff.changed",
        1,
        {
            **data,
            "org_unit_code": OFFICE,
            "org_unit_id": unit_id(OFFICE),
            "change": "updated",
            "changed_at": "2026-09-21T08:00:00+00:00",
        },
        producer="identity",
    )
    stale = make_event(
        "identity.staff.changed",
        1,
        {**data, "name": "钱旧", "changed_at": "2026-09-19T08:00:00+00:00"},
        producer="identity",
    )
    nc = await nats.connect(nats_server.url)
    try:
        js = nc.jetstream()
        try:
            await js.stream_info("IDENTITY")
        except NotFoundError:
            await js.add_stream(StreamConfig(name="IDENTITY", subjects=["identity.>"]))
        # The same event twice (a redelivery JetStream could not deduplicate), then a newer one and
        # an older one arriving late.
        for event, suffix in ((created, "a"), (created, "b"), (moved, ""), (stale, "")):
            await js.publish(
                event.subject,
                event.model_dump_json().encode(),
                headers={"Nats-Msg-Id": f"{event.event_id}:{suffix}"},
            )
    finally:
        await nc.close()
    ids = [created.event_id, moved.event_id, stale.event_id]
    deadline = asyncio.get_running_loop().time() + 20
    handled = 0
    while handled < 3 and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.2)
        async with env.db.transaction(write=False) as session:
            handled = int(
                await session.scalar(
                    select(func.count())
                    .select_from(processed_events)
                    .where(processed_events.c.event_id.in_(ids))
                )
                or 0
            )
    assert handled == 3
    async with env.db.transaction(write=False) as session:
        rows = list((await session.execute(select(StaffMember).where(StaffMember.id == staff_id))).scalars())
    assert [(r.name, r.org_unit_code, r.roles, r.status) for r in rows] == [
        ("钱敏", OFFICE, ["supervisor"], "active")
    ]
    # Moved to the district office: named there now, no longer at 区市场监管局.
    async with env.db.transaction(write=False) as session:
        assert [s.id for s in await active_in_unit(session, OFFICE, ("supervisor",))] == [staff_id]
        assert await active_in_unit(session, SCJ, ("supervisor",)) == []
