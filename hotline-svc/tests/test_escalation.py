"""催办 and 督办 of tickets (issue 14, point 9): escalation rules per ticket state say after how
long whom to remind or escalate to; the scan names people from the staff read model, shows them
in their work lists, records it on the ticket and publishes it once, however many replicas scan."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import nats
from fastapi import FastAPI
from hotline_support import D, People, act, create
from jsonschema import Draft202012Validator
from nats.js.api import StreamConfig
from nats.js.errors import NotFoundError
from sqlalchemy import func, select, update

from hotline import events
from hotline.models import StaffMember, Ticket
from hotline.services.escalation_rules import RuleSpec, TicketState, clock, due, fires_at, level_of
from hotline.services.escalation_scan import scan
from hotline.services.escalation_staff import upsert_staff
from yiwang_shared.events import make_event
from yiwang_shared.tables import outbox, processed_events
from yiwang_shared.testing.nats import NatsServer

CHAOWAI = f"{D}001-FWZX"
OFFICE = f"{D}-ZWGLJ"
T0 = datetime(2026, 11, 16, 1, 0, tzinfo=UTC)  # Monday 09:00 in Beijing


# --- the rules, one by one (no I/O) -------------------------------------------------------------


def _state(**kw: Any) -> TicketState:
    base: dict[str, Any] = {
        "status": "dispatched",
        "request_type": "complaint",
        "category_code": "noise",
        "round": 1,
        "created_at": T0,
        "round_started_at": T0,
        "dispatched_at": T0,
        "response_due_at": T0 + timedelta(hours=24),
        "responded_at": None,
        "due_at": T0 + timedelta(days=7),
        "replied_at": None,
    }
    return TicketState(**{**base, **kw})


def _rule(**kw: Any) -> RuleSpec:
    base: dict[str, Any] = {
        "kind": "escalation",
        "basis": "reply",
        "statuses": ("dispatched", "in_progress"),
        "after_share": 1.0,
        "plus_hours": 0.0,
        "target": "unit_supervisor",
    }
    return RuleSpec(**{**base, **kw})


def test_a_rule_fires_after_its_share_of_the_limit_plus_hours() -> None:
    reply = clock(_state(), "reply")
    assert reply is not None
    assert fires_at(_rule(after_share=0.8), reply) == T0 + timedelta(days=5.6)
    assert fires_at(_rule(plus_hours=24), reply) == T0 + timedelta(days=8)
    response = clock(_state(), "response")
    assert response is not None and fires_at(
        _rule(basis="response", after_share=0.75), response
    ) == T0 + timedelta(hours=18)
    rule = _rule(after_share=0.8)
    assert due(rule, _state(), T0 + timedelta(days=5.5)) is None
    assert due(rule, _state(), T0 + timedelta(days=5.6)) == reply


def test_a_rule_watches_its_states_its_clock_and_its_scope() -> None:
    late = T0 + timedelta(days=9)
    assert due(_rule(), _state(status="returned"), late) is None  # a state it does not watch
    assert due(_rule(), _state(status="returned"), late) is None
    assert due(_rule(), _state(replied_at=late), late) is None  # replied: the reply clock stopped
    assert due(_rule(basis="response"), _state(responded_at=T0), late) is None  # contacted
    assert due(_rule(request_type="report"), _state(), late) is None
    assert due(_rule(category_code="water"), _state(), late) is None
    assert due(_rule(category_code="noise", request_type="complaint"), _state(), late) is not None
    assert due(_rule(active=False), _state(), late) is None


def test_a_new_round_or_deadline_is_a_new_cycle_and_levels_follow_the_target() -> None:
    first = clock(_state(), "reply")
    extended = clock(_state(due_at=T0 + timedelta(days=10)), "reply")
    reopened = clock(
        _state(round=2, round_started_at=T0 + timedelta(days=8), due_at=T0 + timedelta(days=15)), "reply"
    )
    assert first and extended and reopened
    assert len({first.cycle, extended.cycle, reopened.cycle}) == 3
    # A reopened round measures from the reopening.
    assert fires_at(_rule(after_share=0.5), reopened) == T0 + timedelta(days=11.5)
    assert (
        level_of("reminder", "handler"),
        level_of("escalation", "unit"),
        level_of("escalation", "district_office"),
    ) == (
        0,
        1,
        2,
    )


# --- through the service ---------------------------------------------------------------------------


async def _staff(app: FastAPI, staff_id: str, name: str, unit: str, roles: list[str], **extra: Any) -> None:
    """A staff member in the read model, as identity.staff.changed.v1 would put them."""
    async with app.state.db.transaction() as session:
        await upsert_staff(
            session,
            {
                "staff_id": staff_id,
                "username": staff_id,
                "name": name,
                "org_unit_id": None,
                "org_unit_code": unit,
                "roles": roles,
                "status": "active",
                "change": "created",
                "changed_at": "2026-09-01T00:00:00+00:00",
                **extra,
            },
        )


async def _people_on_duty(app: FastAPI) -> None:
    await _staff(app, "handler-zhou", "周洋", CHAOWAI, ["handler"])
    await _staff(app, "handler-ma", "马兰", CHAOWAI, ["handler"])
    await _staff(app, "sup-chaowai", "王督", CHAOWAI, ["supervisor"])
    await _staff(app, "sup-district", "吴芳", OFFICE, ["supervisor"])
    await _staff(app, "disp-sun", "孙磊", OFFICE, ["dispatcher"])


async def _mine(hl: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    resp = await hl.get("/v1/escalations/mine", params=params, headers=headers)
    assert resp.status_code == 200, resp.text
    return list(resp.json()["items"])


async def _outbox(app: FastAPI, ticket_id: str) -> list[dict[str, Any]]:
    async with app.state.db.transaction(write=False) as session:
        rows = (
            await session.execute(
                select(outbox.c.payload)
                .where(outbox.c.subject.in_(["hotline.ticket.reminded.v1", "hotline.ticket.escalated.v1"]))
                .order_by(outbox.c.id)
            )
        ).scalars()
        found = [json.loads(p) for p in rows]
    return [e for e in found if e["data"]["ticket_id"] == ticket_id]


def _at(ticket: dict[str, Any], field: str) -> datetime:
    return datetime.fromisoformat(ticket[field])


async def test_default_rules_remind_the_handler_then_escalate_to_the_unit_and_the_district(
    app: FastAPI, hl: httpx.AsyncClient, people: People
) -> None:
    await _people_on_duty(app)
    zhou = people.staff("handler", CHAOWAI, "handler-zhou")
    wang = people.staff("supervisor", CHAOWAI, "sup-chaowai")
    wu = people.staff("supervisor", OFFICE, "sup-district")
    t = await create(hl, people.agent)
    assert t["lead_unit_code"] == CHAOWAI
    dispatched, created, due_at = (
        _at(t, "response_due_at") - timedelta(hours=24),
        _at(t, "created_at"),
        _at(t, "due_at"),
    )
    db, settings = app.state.db, app.state.settings

    assert (await scan(db, settings, dispatched + timedelta(hours=17))).reminded == 0
    # Three quarters of the response limit: 响应催办 to the lead unit's handlers (no one acted yet).
    counts = await scan(db, settings, dispatched + timedelta(hours=18, minutes=1))
    assert (counts.reminded, counts.escalated) == (1, 0)
    [reminder] = await _mine(hl, zhou)
    assert reminder["rule_name"] == "响应催办" and reminder["basis"] == "response" and reminder["level"] == 0
    assert sorted(r["name"] for r in reminder["recipients"]) == ["周洋", "马兰"]
    assert (
        reminder["message"].startswith(f"【催办】工单 {t['number']}")
        and "首次联系时限" in reminder["message"]
    )

    # 周洋 calls the caller back: from now on the ticket is his.
    await act(hl, t["id"], "respond", zhou, {"note": "已电话联系王女士"})
    assert (await scan(db, settings, dispatched + timedelta(hours=30))).escalated == 0  # contacted in time
    counts = await scan(db, settings, created + (due_at - created) * 0.8 + timedelta(minutes=1))
    assert (counts.reminded, counts.escalated) == (1, 0)
    reply_reminder = (await _mine(hl, zhou))[0]
    assert reply_reminder["rule_name"] == "办理催办"
    assert [(r["staff_id"], r["role"]) for r in reply_reminder["recipients"]] == [("handler-zhou", "handler")]
    assert len(await _mine(hl, people.staff("handler", CHAOWAI, "handler-ma"))) == 1  # only the first one

    # Past the deadline: 督办 to the centre's supervisor, 24 hours later to the district office.
    counts = await scan(db, settings, due_at + timedelta(minutes=1))
    assert (counts.reminded, counts.escalated) == (0, 1)
    [unit] = await _mine(hl, wang)
    assert unit["level"] == 1 and unit["target"] == "unit_supervisor" and unit["unit_code"] == CHAOWAI
    assert [r["name"] for r in unit["recipients"]] == ["王督"] and unit["ticket_status"] == "in_progress"
    assert unit["message"].startswith("【督办】") and "朝外街道政务服务中心尚未办理并答复" in unit["message"]
    assert await _mine(hl, wu) == []
    assert (await scan(db, settings, due_at + timedelta(hours=23))).escalated == 0
    counts = await scan(db, settings, due_at + timedelta(hours=24, minutes=1))
    assert counts.escalated == 1
    [district] = await _mine(hl, wu)
    assert (
        district["level"] == 2
        and district["rule_name"] == "超期升级（区级督办）"
        and district["unit_code"] == OFFICE
    )
    assert [(r["staff_id"], r["name"]) for r in district["recipients"]] == [("sup-district", "吴芳")]
    again = await scan(db, settings, due_at + timedelta(days=3))
    assert (again.reminded, again.escalated) == (0, 0)  # each once

    # Recorded on the ticket: its history and its own list.
    history = (await hl.get(f"/v1/tickets/{t['id']}/history", headers=people.agent)).json()["items"]
    assert [h["action"] for h in history if h["action"] in ("remind", "escalate")] == [
        "remind",
        "remind",
        "escalate",
        "escalate",
    ]
    assert history[-1]["actor"] == "system" and history[-1]["data"]["recipients"] == ["sup-district"]
    listed = (await hl.get(f"/v1/tickets/{t['id']}/escalations", headers=zhou)).json()
    assert [e["level"] for e in listed["items"]] == [2, 1, 0, 0]

    # Published once each, valid against the committed schemas.
    raised = await _outbox(app, t["id"])
    assert [e["type"] for e in raised] == ["hotline.ticket.reminded"] * 2 + ["hotline.ticket.escalated"] * 2
    for event in raised:
        payload = next(p for p in events.EVENTS if event["type"] == p.TYPE)
        Draft202012Validator(events.HOTLINE.event_schema(payload)).validate(event)
    assert raised[2]["data"]["recipients"] == [
        {"staff_id": "sup-chaowai", "name": "王督", "org_unit_code": CHAOWAI, "role": "supervisor"}
    ]

    # Acknowledged by the person named; nobody else may.
    other = await hl.post(f"/v1/escalations/{unit['id']}/acknowledge", json={}, headers=wu)
    assert other.status_code == 403 and other.json()["code"] == "hotline.not_escalation_recipient"
    done = await hl.post(
        f"/v1/escalations/{unit['id']}/acknowledge", json={"note": "已约谈，明日办结"}, headers=wang
    )
    assert done.status_code == 200 and done.json()["recipients"][0]["note"] == "已约谈，明日办结"
    assert await _mine(hl, wang, acknowledged="false") == []


async def test_waiting_for_dispatch_reminds_the_dispatchers_and_an_extension_rearms(
    app: FastAPI, hl: httpx.AsyncClient, people: People
) -> None:
    await _people_on_duty(app)
    db, settings = app.state.db, app.state.settings
    t = await create(hl, people.agent)
    await act(hl, t["id"], "return", people.handler(CHAOWAI), {"reason": "不属于街道职责范围"})
    due_at = _at(t, "due_at")
    # Returned (退单): the next step is the dispatch desk's, so the district rule still watches it.
    counts = await scan(db, settings, due_at + timedelta(hours=25))
    assert counts.escalated == 1  # only 超期升级 watches returned tickets
    [district] = await _mine(hl, people.staff("supervisor", OFFICE, "sup-district"))
    assert district["ticket_status"] == "returned"

    other = await create(hl, people.agent)
    extended = await act(
        hl,
        other["id"],
        "extend",
        people.handler(CHAOWAI),
        {"amount": 3, "unit": "natural_days", "reason": "需协调"},
    )
    await scan(db, settings, _at(other, "due_at") + timedelta(minutes=1))  # the old deadline: not yet
    assert [
        e for e in await _outbox(app, other["id"]) if e["data"]["rule_name"] == "超期督办（承办单位）"
    ] == []
    await scan(db, settings, _at(extended, "due_at") + timedelta(minutes=1))
    assert [
        e["data"]["rule_name"] for e in await _outbox(app, other["id"]) if e["type"].endswith("escalated")
    ] == [
        "响应超时督办",  # never contacted: the response clock ran out at the first pass
        "超期督办（承办单位）",
    ]


async def test_supervisors_administer_rules_that_name_a_person(
    app: FastAPI, hl: httpx.AsyncClient, people: People
) -> None:
    await _people_on_duty(app)
    listed = (await hl.get("/v1/escalation-rules", headers=people.handler(CHAOWAI))).json()
    assert listed["total"] == 5 and [r["level"] for r in listed["items"]] == [0, 0, 1, 1, 2]
    assert listed["items"][0]["name"] in ("响应催办", "办理催办")
    rule = {
        "name": "供水故障即时督办",
        "kind": "escalation",
        "basis": "response",
        "statuses": ["dispatched"],
        "after_share": 0,
        "target": "staff",
        "target_staff_id": "sup-district",
        "category_code": "water",
    }
    assert (await hl.post("/v1/escalation-rules", json=rule, headers=people.dispatcher)).status_code == 403
    unknown = await hl.post(
        "/v1/escalation-rules", json={**rule, "target_staff_id": "nobody"}, headers=people.supervisor
    )
    assert unknown.status_code == 422 and unknown.json()["code"] == "hotline.unknown_staff"
    incomplete = await hl.post(
        "/v1/escalation-rules",
        json={**rule, "target": "unit", "target_staff_id": None},
        headers=people.supervisor,
    )
    assert incomplete.status_code == 422 and incomplete.json()["code"] == "hotline.escalation_rule_incomplete"
    wrong = await hl.post(
        "/v1/escalation-rules", json={**rule, "kind": "reminder"}, headers=people.supervisor
    )
    assert wrong.status_code == 422 and "催办规则只能提醒承办人" in wrong.text
    bad_state = await hl.post(
        "/v1/escalation-rules", json={**rule, "statuses": ["closed"]}, headers=people.supervisor
    )
    assert bad_state.status_code == 422
    made = await hl.post(
        "/v1/escalation-rules", json=rule, headers={**people.supervisor, "X-Forwarded-Prefix": "/api/hotline"}
    )
    assert made.status_code == 201, made.text
    assert made.headers["location"] == f"/api/hotline/v1/escalation-rules/{made.json()['id']}"
    assert made.json()["level"] == 1 and made.json()["updated_by"] == "supervisor-wufang"

    water = await create(hl, people.agent, category_code="water", attributes={})
    noise = await create(hl, people.agent)
    counts = await scan(app.state.db, app.state.settings)
    assert counts.escalated == 1
    [named] = await _mine(hl, people.staff("supervisor", OFFICE, "sup-district"))
    assert named["ticket_id"] == water["id"] and named["rule_name"] == "供水故障即时督办"
    assert named["recipients"][0]["role"] == "staff" and named["recipients"][0]["name"] == "吴芳"
    assert await _outbox(app, noise["id"]) == []

    rule_id = made.json()["id"]
    changed = await hl.put(
        f"/v1/escalation-rules/{rule_id}", json={**rule, "active": False}, headers=people.supervisor
    )
    assert changed.status_code == 200 and changed.json()["active"] is False
    assert (await hl.delete(f"/v1/escalation-rules/{rule_id}", headers=people.supervisor)).status_code == 204
    gone = await hl.get(f"/v1/escalation-rules/{rule_id}", headers=people.supervisor)
    assert gone.status_code == 404 and gone.json()["code"] == "hotline.escalation_rule_not_found"
    # What it raised stays, with the rule's name.
    still = await hl.get(f"/v1/escalations/{named['id']}", headers=people.supervisor)
    assert still.status_code == 200 and still.json()["rule_name"] == "供水故障即时督办"


async def test_two_replicas_scanning_at_once_raise_each_once(
    app: FastAPI, hl: httpx.AsyncClient, people: People
) -> None:
    await _people_on_duty(app)
    tickets = [await create(hl, people.agent) for _ in range(3)]
    late = max(_at(t, "due_at") for t in tickets) + timedelta(hours=25)
    results = await asyncio.gather(*(scan(app.state.db, app.state.settings, late) for _ in range(3)))
    # Per ticket: the two escalations of the reply clock, and the response one (never contacted).
    assert sum(r.escalated for r in results) == 9
    for t in tickets:
        kinds = sorted(
            e["data"]["rule_name"] for e in await _outbox(app, t["id"]) if e["type"].endswith("escalated")
        )
        assert kinds == sorted(["响应超时督办", "超期督办（承办单位）", "超期升级（区级督办）"])


async def test_who_sees_what(app: FastAPI, hl: httpx.AsyncClient, people: People) -> None:
    await _people_on_duty(app)
    t = await create(hl, people.agent)
    await scan(app.state.db, app.state.settings, _at(t, "due_at") + timedelta(minutes=1))
    board = (await hl.get("/v1/escalations", params={"level": 1}, headers=people.supervisor)).json()
    assert board["total"] == 2  # 响应超时督办 and 超期督办 at the centre
    mine = (await hl.get("/v1/escalations", headers=people.handler(CHAOWAI))).json()
    assert mine["total"] == 4  # and the two reminders
    elsewhere = people.handler(f"{D}002-FWZX")
    assert (await hl.get("/v1/escalations", headers=elsewhere)).json()["total"] == 0
    hidden = await hl.get(f"/v1/escalations/{board['items'][0]['id']}", headers=elsewhere)
    assert hidden.status_code == 404 and hidden.json()["code"] == "hotline.escalation_not_found"
    assert (await hl.get(f"/v1/tickets/{t['id']}/escalations", headers=elsewhere)).status_code == 404
    refused = await hl.get("/v1/escalations/mine", headers=people.citizen)
    assert refused.status_code == 403 and refused.json()["code"] == "hotline.staff_only"
    assert (await hl.post("/v1/escalations/scan", headers=people.handler(CHAOWAI))).status_code == 403
    ran = await hl.post("/v1/escalations/scan", headers=people.supervisor)
    assert ran.status_code == 200 and set(ran.json()) == {"reminded", "escalated"}
    wrong = await hl.get("/v1/escalations/mine", params={"kind": "shout"}, headers=people.supervisor)
    assert wrong.status_code == 422


async def test_staff_events_feed_the_read_model_once(
    app: FastAPI, hl: httpx.AsyncClient, nats_server: NatsServer
) -> None:
    nc = await nats.connect(nats_server.url)
    try:
        js = nc.jetstream()
        try:
            await js.stream_info("IDENTITY")
        except NotFoundError:
            await js.add_stream(StreamConfig(name="IDENTITY", subjects=["identity.>"]))
        staff_id = str(uuid.uuid4())
        data = {
            "staff_id": staff_id,
            "username": "qianmin",
            "name": "钱敏",
            "org_unit_id": str(uuid.uuid4()),
            "org_unit_code": CHAOWAI,
            "roles": ["supervisor"],
            "status": "active",
            "change": "created",
            "changed_at": "2026-11-20T08:00:00+00:00",
        }
        created = make_event("identity.staff.changed", 1, data, producer="identity")
        body = created.model_dump_json().encode()
        # The same event twice (a redelivery JetStream could not deduplicate).
        for suffix in ("a", "b"):
            await js.publish(created.subject, body, headers={"Nats-Msg-Id": f"{created.event_id}:{suffix}"})
        disabled = make_event(
            "identity.staff.changed",
            1,
            {**data, "status": "disabled", "change": "disabled", "changed_at": "2026-11-21T08:00:00+00:00"},
            producer="identity",
        )
        # An older event arriving after the newer one changes nothing.
        stale = make_event(
            "identity.staff.changed",
            1,
            {**data, "name": "钱旧", "changed_at": "2026-11-19T08:00:00+00:00"},
            producer="identity",
        )
        await js.publish(
            disabled.subject, disabled.model_dump_json().encode(), headers={"Nats-Msg-Id": disabled.event_id}
        )
        await js.publish(
            stale.subject, stale.model_dump_json().encode(), headers={"Nats-Msg-Id": stale.event_id}
        )
    finally:
        await nc.close()
    deadline = asyncio.get_running_loop().time() + 20
    while True:
        async with app.state.db.transaction(write=False) as session:
            handled = await session.scalar(
                select(func.count())
                .select_from(processed_events)
                .where(processed_events.c.event_id.in_([created.event_id, disabled.event_id, stale.event_id]))
            )
        if handled == 3 or asyncio.get_running_loop().time() > deadline:
            break
        await asyncio.sleep(0.2)
    assert handled == 3
    async with app.state.db.transaction(write=False) as session:
        rows = list((await session.execute(select(StaffMember).where(StaffMember.id == staff_id))).scalars())
    assert len(rows) == 1 and (rows[0].name, rows[0].status, rows[0].roles) == (
        "钱敏",
        "disabled",
        ["supervisor"],
    )


async def test_a_reopened_ticket_is_measured_from_its_reopening(
    app: FastAPI, hl: httpx.AsyncClient, people: People
) -> None:
    await _people_on_duty(app)
    zhou = people.staff("handler", CHAOWAI, "handler-zhou")
    t = await create(hl, people.agent)
    # Registered three days before it was reopened: the new round must not count those days.
    async with app.state.db.transaction() as session:
        await session.execute(
            update(Ticket)
            .where(Ticket.id == t["id"])
            .values(created_at=_at(t, "created_at") - timedelta(days=3))
        )
    await act(hl, t["id"], "respond", zhou, {})
    await act(hl, t["id"], "reply", zhou, {"reply": "已协调工地停止夜间施工"})
    await act(hl, t["id"], "call-back", people.agent, {"resolved": False, "satisfaction": "not"})
    reopened = await act(hl, t["id"], "reopen", people.agent, {"reason": "工地仍在夜间施工"})
    assert reopened["reopen_count"] == 1
    history = (await hl.get(f"/v1/tickets/{t['id']}/history", headers=people.agent)).json()["items"]
    started = max(datetime.fromisoformat(h["at"]) for h in history if h["action"] == "reopen")
    due_at = _at(reopened, "due_at")
    share = started + (due_at - started) * 0.8
    assert (await scan(app.state.db, app.state.settings, share - timedelta(minutes=5))).reminded <= 1
    reminders = [e for e in await _outbox(app, t["id"]) if e["data"]["rule_name"] == "办理催办"]
    assert reminders == []  # four fifths of the new round have not passed yet
    assert (await scan(app.state.db, app.state.settings, share + timedelta(minutes=1))).reminded >= 1
    [second] = [e for e in await _outbox(app, t["id"]) if e["data"]["rule_name"] == "办理催办"]
    assert second["data"]["round"] == 2 and second["data"]["deadline"].startswith(due_at.isoformat()[:16])
