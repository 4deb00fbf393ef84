"""The service hall queue through the API: hall configuration and who may change it, taking
numbers at the kiosk (anonymous, bounded), appointment check-in ahead of walk-ins, calling at a
window (next, 重呼, serving, 办结, 过号) and who may, the big screen, the waiting-time indicator,
and the events through the outbox onto JetStream."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, datetime

import nats
from jsonschema import Draft202012Validator
from nats.errors import TimeoutError as NatsTimeout
from queue_support import CENTRE, HALL, HOURS, QueueEnv

from intake.events import INTAKE, QUEUE_EVENTS
from intake.services.queue_limits import RateLimiter
from yiwang_shared.testing.nats import NatsServer

# --- configuration ----------------------------------------------------------------------------


async def test_only_admins_configure_and_supervisors_read(qenv: QueueEnv) -> None:
    place_id = await qenv.hall()
    got = await qenv.client.get(f"/v1/places/{place_id}/queue", headers=qenv.supervisor)
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["configured"] and body["wait_limit_minutes"] == 20
    assert [(w["number"], w["name"], w["unit_code"]) for w in body["windows"]] == [
        ("1", "综合受理窗口1", f"{CENTRE}-W01"),
        ("2", "2号窗口", f"{CENTRE}-W02"),
    ]
    for headers in (qenv.supervisor, qenv.clerk1, qenv.citizen("alice")):
        r = await qenv.client.put(f"/v1/places/{place_id}/queue", json=HALL, headers=headers)
        assert r.status_code == 403, r.text
        assert r.json()["code"] == "intake.role_required" and "管理员" in r.json()["detail"]
    for headers in (qenv.clerk1, qenv.citizen("alice")):
        assert (await qenv.client.get(f"/v1/places/{place_id}/queue", headers=headers)).status_code == 403
    assert (await qenv.client.get(f"/v1/places/{place_id}/queue")).status_code == 401
    r = await qenv.client.put(
        f"/v1/places/{place_id}/queue", json={**HALL, "wait_limit_minutes": 15}, headers=qenv.admin
    )
    assert r.status_code == 200 and r.json()["wait_limit_minutes"] == 15


async def test_bad_configurations_say_what_to_fix(qenv: QueueEnv) -> None:
    place_id = await qenv.hall()
    path = f"/v1/places/{place_id}/queue"
    cases = [
        ({**HALL, "wait_limit_minutes": 0}, 422, "validation_failed"),
        (
            {**HALL, "categories": [{"code": "a1", "name": "x", "item_codes": ["*"]}]},
            422,
            "validation_failed",
        ),
        (
            {**HALL, "windows": [{"unit_code": "110105-MZJ-W01", "number": "1", "category_codes": ["A"]}]},
            422,
            "intake.queue_config_invalid",
        ),
        (
            {**HALL, "windows": [{"unit_code": f"{CENTRE}-W01", "number": "1", "category_codes": ["Z"]}]},
            422,
            "intake.queue_config_invalid",
        ),
        (
            {
                **HALL,
                "categories": [
                    {"code": "A", "name": "x", "item_codes": ["I-1"]},
                    {"code": "B", "name": "y", "item_codes": ["I-1"]},
                ],
            },
            422,
            "intake.queue_config_invalid",
        ),
    ]
    for body, status, code in cases:
        r = await qenv.client.put(path, json=body, headers=qenv.admin)
        assert r.status_code == status and r.json()["code"] == code, r.text
        assert any("\u4e00" <= ch <= "\u9fff" for ch in r.text), r.text
    missing = await qenv.client.put("/v1/places/nope/queue", json=HALL, headers=qenv.admin)
    assert missing.status_code == 404
    # A window unit belongs to one hall.
    other = await qenv.client.post(
        "/v1/places",
        json={"code": "HALL-2", "name": "另一大厅", "org_unit_code": CENTRE, "address": "a", "hours": HOURS},
        headers=qenv.admin,
    )
    taken = await qenv.client.put(f"/v1/places/{other.json()['id']}/queue", json=HALL, headers=qenv.admin)
    assert taken.status_code == 422 and "另一个大厅" in taken.json()["detail"]


# --- taking numbers ---------------------------------------------------------------------------


async def test_numbers_per_category_and_day_for_anyone(qenv: QueueEnv) -> None:
    await qenv.hall()
    await qenv.publish_item("RSJ-0001", "养老保险关系转移")
    await qenv.publish_item("MZJ-0001")
    a1 = await qenv.take()  # the kiosk: no login
    a2 = await qenv.take(qenv.citizen("alice"), item_code="MZJ-0001")
    b1 = await qenv.take(item_code="RSJ-0001")
    assert (a1["ticket_no"], a2["ticket_no"], b1["ticket_no"]) == ("A001", "A002", "B001")
    assert a1["channel"] == "kiosk" and a2["channel"] == "online" and a2["item_name"] == "事项MZJ-0001"
    assert b1["category_name"] == "社保业务" and b1["item_name"] == "养老保险关系转移"
    assert a2["waiting_ahead"] == 1 and a2["status"] == "waiting" and a2["wait_limit_minutes"] == 20
    assert a2["expected_wait_minutes"] == 5  # 1 ahead, two windows at the 10-minute default
    # The person sees their own ticket; a stranger does not; the hall's clerk does.
    mine = await qenv.client.get(f"/v1/queue/tickets/{a2['id']}", headers=qenv.citizen("alice"))
    assert mine.status_code == 200 and mine.json()["ticket_no"] == "A002"
    assert (
        await qenv.client.get(f"/v1/queue/tickets/{a2['id']}", headers=qenv.citizen("bob"))
    ).status_code == 404
    assert (await qenv.client.get(f"/v1/queue/tickets/{a1['id']}", headers=qenv.clerk1)).status_code == 200
    # The next day starts at 001 again.
    qenv.clock.set("2026-09-22")
    assert (await qenv.take())["ticket_no"] == "A001"


async def test_bad_numbers_are_refused_in_chinese(qenv: QueueEnv) -> None:
    place_id = await qenv.hall()
    path = f"/v1/places/{place_id}/queue/tickets"
    for body, code in (
        ({}, "validation_failed"),
        ({"category_code": "A", "item_code": "X"}, "validation_failed"),
        ({"category_code": "Q"}, "intake.queue_category_unknown"),
        ({"item_code": "NOPE"}, "intake.item_not_found"),
    ):
        r = await qenv.client.post(path, json=body)
        assert r.status_code == 422 and r.json()["code"] == code, r.text
        assert any(
            "\u4e00" <= ch <= "\u9fff" for ch in r.json().get("detail", "") + str(r.json().get("errors"))
        )
    assert (
        await qenv.client.post("/v1/places/nope/queue/tickets", json={"category_code": "A"})
    ).status_code == 404
    # A place without a queue, and a paused one.
    plain = await qenv.client.post(
        "/v1/places",
        json={"code": "P-2", "name": "无叫号场所", "org_unit_code": CENTRE, "address": "a", "hours": HOURS},
        headers=qenv.admin,
    )
    r = await qenv.client.post(f"/v1/places/{plain.json()['id']}/queue/tickets", json={"category_code": "A"})
    assert r.status_code == 409 and r.json()["code"] == "intake.queue_not_configured"
    await qenv.client.put(f"/v1/places/{place_id}/queue", json={**HALL, "active": False}, headers=qenv.admin)
    r = await qenv.client.post(path, json={"category_code": "A"})
    assert (
        r.status_code == 409
        and r.json()["code"] == "intake.queue_closed"
        and "暂停取号" in r.json()["detail"]
    )


async def test_the_kiosk_is_bounded(qenv: QueueEnv) -> None:
    place_id = await qenv.hall(config={**HALL, "max_waiting": 3})
    for _ in range(3):
        await qenv.take()
    full = await qenv.client.post(f"/v1/places/{place_id}/queue/tickets", json={"category_code": "A"})
    assert (
        full.status_code == 409
        and full.json()["code"] == "intake.queue_full"
        and "等候上限" in full.json()["detail"]
    )
    # One client taking numbers faster than a kiosk gives them: 429 with Retry-After.
    qenv.app.state.queue_limiter = RateLimiter(2)
    statuses = []
    for _ in range(3):
        r = await qenv.client.post(
            f"/v1/places/{place_id}/queue/tickets",
            json={"category_code": "B"},
            headers={"X-Forwarded-For": "10.1.1.1"},
        )
        statuses.append(r.status_code)
    assert statuses == [409, 409, 429], statuses  # the limit comes first, the hall's bound next
    assert (
        r.status_code == 429 and int(r.headers["retry-after"]) >= 1 and "取号过于频繁" in r.json()["detail"]
    )
    other = await qenv.client.post(
        f"/v1/places/{place_id}/queue/tickets",
        json={"category_code": "B"},
        headers={"X-Forwarded-For": "10.1.1.2"},
    )
    assert other.status_code == 409, other.text


def test_rate_limiter_refills() -> None:
    limiter = RateLimiter(60)
    assert all(limiter.take("k", now=0.0) == 0 for _ in range(60))
    assert limiter.take("k", now=0.0) > 0
    assert limiter.take("k", now=1.0) == 0  # one a second comes back


# --- appointments -----------------------------------------------------------------------------


async def _booking(qenv: QueueEnv, place_id: str, person: str = "alice") -> dict[str, object]:
    await qenv.publish_item("MZJ-0001")
    r = await qenv.client.post(
        f"/v1/places/{place_id}/slots/generate",
        json={"item_code": "MZJ-0001", "capacity": 5, "days": 7},
        headers=qenv.admin,
    )
    assert r.status_code == 200, r.text
    slots = (await qenv.client.get(f"/v1/places/{place_id}/slots", params={"limit": 1})).json()["items"]
    r = await qenv.client.post(
        "/v1/appointments",
        json={"slot_id": slots[0]["id"], "phone": "13812345678"},
        headers=qenv.citizen(person),
    )
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(UTC)


async def test_a_checked_in_appointment_goes_ahead_of_walk_ins(qenv: QueueEnv) -> None:
    place_id = await qenv.hall()
    booking = await _booking(qenv, place_id)
    qenv.clock.now = _at(str(booking["starts_at"]))
    walk_in = await qenv.take()
    # Not the person's booking: as if absent.
    stranger = await qenv.client.post(
        f"/v1/appointments/{booking['id']}/check-in", headers=qenv.citizen("bob")
    )
    assert stranger.status_code == 404
    checked = await qenv.client.post(
        f"/v1/appointments/{booking['id']}/check-in", headers=qenv.citizen("alice")
    )
    assert checked.status_code == 201, checked.text
    ticket = checked.json()
    assert (
        ticket["priority"]
        and ticket["channel"] == "appointment"
        and ticket["appointment_id"] == booking["id"]
    )
    assert ticket["waiting_ahead"] == 0 and ticket["ticket_no"] == "A002"
    again = await qenv.client.post(
        f"/v1/appointments/{booking['id']}/check-in", headers=qenv.citizen("alice")
    )
    assert again.status_code == 409 and again.json()["code"] == "intake.appointment_checked_in"
    assert "A002" in again.json()["detail"]
    called = await qenv.call(qenv.clerk1)
    assert called.status_code == 200 and called.json()["ticket_no"] == "A002"
    second = await qenv.call(qenv.clerk2)
    assert second.json()["id"] == walk_in["id"]


async def test_kiosk_check_in_needs_the_booking_number_and_mobile(qenv: QueueEnv) -> None:
    place_id = await qenv.hall()
    booking = await _booking(qenv, place_id)
    path = f"/v1/places/{place_id}/queue/check-ins"
    early = await qenv.client.post(path, json={"booking_no": booking["booking_no"], "phone": "13812345678"})
    assert early.status_code == 409 and early.json()["code"] == "intake.appointment_not_today"
    qenv.clock.now = _at(str(booking["starts_at"]))
    wrong = await qenv.client.post(path, json={"booking_no": booking["booking_no"], "phone": "13900000000"})
    assert wrong.status_code == 404 and "预约号" in wrong.json()["detail"]
    bad = await qenv.client.post(path, json={"booking_no": booking["booking_no"], "phone": "12"})
    assert bad.status_code == 422
    ok = await qenv.client.post(path, json={"booking_no": booking["booking_no"], "phone": "13812345678"})
    assert ok.status_code == 201 and ok.json()["priority"] is True, ok.text
    assert ok.headers["location"] == f"/v1/queue/tickets/{ok.json()['id']}"
    # After the slot: an ordinary number instead.
    other = await _booking(qenv, place_id, "carol")
    qenv.clock.now = _at(str(other["ends_at"]))
    late = await qenv.client.post(path, json={"booking_no": other["booking_no"], "phone": "13812345678"})
    assert late.status_code == 409 and "普通号" in late.json()["detail"]


# --- calling ----------------------------------------------------------------------------------


async def test_calling_serving_and_who_may(qenv: QueueEnv) -> None:
    place_id = await qenv.hall()
    first = await qenv.take()
    second = await qenv.take()
    # Only window clerks call, and only at a window of a hall.
    for headers in (qenv.admin, qenv.supervisor, qenv.citizen("alice")):
        r = await qenv.call(headers)
        assert r.status_code == 403 and r.json()["code"] == "intake.role_required", r.text
    nowhere = await qenv.call(qenv.clerk("clerk-9", "110105-MZJ"))
    assert nowhere.status_code == 403 and nowhere.json()["code"] == "intake.queue_not_at_window"
    assert (await qenv.client.post("/v1/queue/window/call-next")).status_code == 401

    qenv.later(25)
    called = await qenv.call(qenv.clerk1)
    assert called.status_code == 200, called.text
    ticket = called.json()
    assert ticket["id"] == first["id"] and ticket["status"] == "called" and ticket["window_number"] == "1"
    assert ticket["wait_minutes"] == 25.0 and ticket["call_count"] == 1
    busy = await qenv.call(qenv.clerk1)
    assert busy.status_code == 409 and busy.json()["code"] == "intake.queue_window_busy"
    # The other window may not act on it; 重呼 at the calling window.
    r = await qenv.act(first["id"], "complete", qenv.clerk2)
    assert r.status_code == 403 and r.json()["code"] == "intake.queue_not_your_ticket"
    recalled = await qenv.act(first["id"], "recall", qenv.clerk1)
    assert recalled.status_code == 200 and recalled.json()["call_count"] == 2
    window = await qenv.client.get("/v1/queue/window", headers=qenv.clerk1)
    assert window.status_code == 200 and window.json()["current"]["id"] == first["id"]
    assert window.json()["waiting"] == 1 and window.json()["window"]["name"] == "综合受理窗口1"
    started = await qenv.act(first["id"], "start", qenv.clerk1)
    assert started.json()["status"] == "serving"
    qenv.later(6)
    done = await qenv.act(first["id"], "complete", qenv.clerk1)
    assert done.status_code == 200 and done.json()["status"] == "completed"
    again = await qenv.act(first["id"], "complete", qenv.clerk1)
    assert (
        again.status_code == 409
        and again.json()["code"] == "intake.queue_ticket_state"
        and "已办结" in again.json()["detail"]
    )
    # 过号 only for a called number.
    r = await qenv.act(second["id"], "no-show", qenv.clerk1)
    assert r.status_code == 409
    assert (await qenv.call(qenv.clerk2)).json()["id"] == second["id"]
    missed = await qenv.act(second["id"], "no-show", qenv.clerk2)
    assert missed.status_code == 200 and missed.json()["status"] == "no_show"
    empty = await qenv.call(qenv.clerk1)
    assert empty.status_code == 409 and empty.json()["code"] == "intake.queue_empty"
    # A clerk of another hall may not touch this hall's tickets.
    other = await qenv.hall(
        "HALL-3",
        {
            "categories": [{"code": "A", "name": "综合", "item_codes": ["*"]}],
            "windows": [{"unit_code": f"{CENTRE}-W05", "number": "5", "category_codes": ["A"]}],
        },
    )
    assert other != place_id
    r = await qenv.act(second["id"], "recall", qenv.clerk("clerk-5", f"{CENTRE}-W05"))
    assert r.status_code == 403 and r.json()["code"] == "intake.queue_not_hall_clerk"
    assert (await qenv.act("nope", "recall", qenv.clerk1)).status_code == 404
    # The hall's list, for its clerks and overseers.
    listed = await qenv.client.get(f"/v1/places/{place_id}/queue/tickets", headers=qenv.clerk1)
    assert listed.status_code == 200 and [t["ticket_no"] for t in listed.json()["items"]] == ["A001", "A002"]
    done_only = await qenv.client.get(
        f"/v1/places/{place_id}/queue/tickets", params={"status": "completed"}, headers=qenv.supervisor
    )
    assert done_only.json()["total"] == 1
    foreign = await qenv.client.get(
        f"/v1/places/{place_id}/queue/tickets", headers=qenv.clerk("clerk-5", f"{CENTRE}-W05")
    )
    assert foreign.status_code == 403


# --- the screen and the indicator -------------------------------------------------------------


async def test_the_display_shows_calls_queues_and_a_measured_wait(qenv: QueueEnv) -> None:
    place_id = await qenv.hall()
    tickets = [await qenv.take() for _ in range(5)]
    screen = await qenv.client.get(f"/v1/places/{place_id}/queue/display")
    assert screen.status_code == 200, screen.text
    body = screen.json()
    a = next(c for c in body["categories"] if c["code"] == "A")
    assert a == {
        "code": "A",
        "name": "综合受理",
        "waiting": 5,
        "windows_open": 2,
        "expected_wait_minutes": 25,  # 5 × 10 minutes (the default) over two windows
        "estimate": "default",
    }
    assert body["recent_calls"] == []
    # Window 1 serves in 4 minutes, window 2 in 4: measured, no longer the default.
    for clerk in (qenv.clerk1, qenv.clerk2):
        t = (await qenv.call(clerk)).json()
        qenv.later(4)
        assert (await qenv.act(t["id"], "complete", clerk)).status_code == 200
    t = (await qenv.call(qenv.clerk1)).json()
    await qenv.act(t["id"], "recall", qenv.clerk1)
    body = (await qenv.client.get(f"/v1/places/{place_id}/queue/display", params={"last": 2})).json()
    a = next(c for c in body["categories"] if c["code"] == "A")
    assert a["waiting"] == 2 and a["estimate"] == "measured" and a["expected_wait_minutes"] == 4
    assert [(c["ticket_no"], c["window_number"], c["recalled"]) for c in body["recent_calls"]] == [
        (tickets[2]["ticket_no"], "1", True),
        (tickets[1]["ticket_no"], "2", False),
    ]
    assert "person" not in json.dumps(body) and "phone" not in json.dumps(body)
    assert (
        await qenv.client.get(f"/v1/places/{place_id}/queue/display", params={"last": 99})
    ).status_code == 422


async def test_waiting_time_indicator(qenv: QueueEnv) -> None:
    place_id = await qenv.hall()
    quick = await qenv.take()
    slow = await qenv.take()
    await qenv.take()  # never called
    qenv.later(10)
    t = (await qenv.call(qenv.clerk1)).json()
    assert t["id"] == quick["id"]
    await qenv.act(t["id"], "complete", qenv.clerk1)
    qenv.later(20)  # slow waited 30 minutes, over the 20-minute limit
    t = (await qenv.call(qenv.clerk1)).json()
    assert t["id"] == slow["id"]
    path = "/v1/supervision/queue-waits"
    params = {"place_id": place_id, "from": "2026-09-21", "to": "2026-09-21"}
    for headers in (qenv.supervisor, qenv.evaluator, qenv.admin):
        r = await qenv.client.get(path, params=params, headers=headers)
        assert r.status_code == 200, r.text
    body = r.json()
    assert (body["tickets"], body["called"], body["over_limit"], body["never_called"]) == (3, 2, 1, 1)
    assert body["average_wait_minutes"] == 20.0 and body["over_limit_rate"] == 0.5
    assert body["wait_limit_minutes"] == 20 and body["from_day"] == "2026-09-21"
    for headers in (qenv.clerk1, qenv.citizen("alice")):
        r = await qenv.client.get(path, params=params, headers=headers)
        assert r.status_code == 403 and r.json()["code"] == "intake.role_required"
    empty = await qenv.client.get(
        path, params={**params, "from": "2026-01-01", "to": "2026-01-31"}, headers=qenv.supervisor
    )
    assert empty.json()["called"] == 0 and empty.json()["over_limit_rate"] is None
    reversed_ = await qenv.client.get(path, params={**params, "from": "2026-09-22"}, headers=qenv.supervisor)
    assert reversed_.status_code == 422
    too_long = await qenv.client.get(path, params={**params, "from": "2024-01-01"}, headers=qenv.supervisor)
    assert too_long.status_code == 422 and "366" in too_long.json()["detail"]


# --- events -----------------------------------------------------------------------------------


async def test_queue_events_validate_and_reach_jetstream(qenv: QueueEnv, nats_server: NatsServer) -> None:
    await qenv.hall()
    first = await qenv.take()
    second = await qenv.take()
    for t in (first, second):
        assert (await qenv.call(qenv.clerk1)).json()["id"] == t["id"]
        await qenv.act(t["id"], "recall", qenv.clerk1)
        await qenv.act(t["id"], "complete" if t is first else "no-show", qenv.clerk1)
    rows = await qenv.outbox_events()
    validators = {
        p.subject(): Draft202012Validator(
            json.loads(INTAKE.schema_path(p).read_text(encoding="utf-8")),
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )
        for p in QUEUE_EVENTS
    }
    for subject, payload, _ in rows:
        assert not [e.message for e in validators[subject].iter_errors(payload)], subject
    subjects = [s.split(".")[2] for s, _, _ in rows]
    assert sorted(subjects) == sorted(["taken"] * 2 + ["called"] * 4 + ["completed", "no_show"])
    called = [p["data"] for s, p, _ in rows if s.endswith("called.v1")]
    assert sorted(c["call_count"] for c in called) == [1, 1, 2, 2]
    assert all(c["window_unit_code"] == f"{CENTRE}-W01" and c["called_by"] == "clerk-1" for c in called)

    nc = await nats.connect(nats_server.url)
    try:
        sub = await nc.jetstream().pull_subscribe("intake.queue_ticket.>", stream="INTAKE")
        wanted = {eid for _, _, eid in rows}
        got: set[str] = set()
        deadline = time.monotonic() + 15
        while not wanted <= got and time.monotonic() < deadline:
            try:
                msgs = await sub.fetch(100, timeout=0.5)
            except (NatsTimeout, TimeoutError):
                await asyncio.sleep(0.1)
                continue
            for msg in msgs:
                await msg.ack()
                assert msg.headers and msg.headers["Nats-Msg-Id"] == json.loads(msg.data)["event_id"]
                got.add(json.loads(msg.data)["event_id"])
        assert wanted <= got
        await sub.unsubscribe()
    finally:
        await nc.close()
