"""Hot topics (热点问题): tickets grouped by topic and place, a topic rising in a street raises one
alert to the district (and its event reaches NATS), a flat one none, a second pass nothing new;
near-duplicates the desk missed are suggested for merging; who may see what."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
import nats
import pytest
from fastapi import FastAPI
from hotline_support import D, People, act, create
from jsonschema import Draft202012Validator
from nats.errors import TimeoutError as NatsTimeout
from sqlalchemy import insert, select

from hotline import events
from hotline.config import Settings
from hotline.models import Ticket
from hotline.services.topic_model import TopicModel, adjusted_rand_index, purity
from hotline.services.topic_scan import analyse, rising
from yiwang_shared.orm import utcnow
from yiwang_shared.tables import outbox
from yiwang_shared.testing.nats import NatsServer

NOW = utcnow()
FLAT = ("广场舞音响声音太大", "楼下空地每天傍晚有人跳广场舞，音响开得很大，孩子没法学习。")
RISING = ("夜间施工噪音扰民", "旁边的工地每天晚上十一点以后还在施工，机器轰鸣，严重影响休息。")
OTHER = ("垃圾清运不及时", "垃圾桶已经满了三天没人清运，垃圾堆在地上，气味很大。")


def _row(title: str, description: str, street: str, at: datetime, **over: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "number": at.strftime("%Y%m%d") + "-" + uuid.uuid4().hex[:8],
        "request_type": "complaint",
        "channel": "phone",
        "category_code": "noise",
        "title": title,
        "description": description,
        "urgent": False,
        "complex": False,
        "anonymous": False,
        "street_code": street,
        "community_code": None,
        "attributes": {},
        "status": "closed",
        "close_reason": "completed",
        "co_unit_codes": [],
        "coordination": False,
        "reopen_count": 0,
        "token": str(uuid.uuid4()),
        "created_by": "test",
        "created_at": at,
        "updated_at": at,
    }
    row.update(over)
    return row


async def _history(app: FastAPI) -> list[str]:
    """Nine weeks: a flat topic in 朝外 (2 a week), a rising one in 建外 (1 a week, then 8 in the last
    seven days), another flat one in 呼家楼; the rising topic's last-week ticket ids."""
    rows, rising_ids = [], []
    for back in range(9):
        for n in range(2):
            at = NOW - timedelta(days=7 * back + 1 + n * 2)
            rows.append(_row(*FLAT, f"{D}001", at))
            rows.append(_row(*OTHER, f"{D}003", at + timedelta(hours=3), category_code="sanitation"))
        if back:
            rows.append(_row(*RISING, f"{D}002", NOW - timedelta(days=7 * back + 3)))
    for n in range(8):
        row = _row(
            *RISING, f"{D}002", NOW - timedelta(hours=5 + n * 12), status="registered", close_reason=None
        )
        rows.append(row)
        rising_ids.append(row["id"])
    async with app.state.db.transaction() as session:
        await session.execute(insert(Ticket), rows)
    return list(reversed(rising_ids))  # oldest first


async def _pull(nats_url: str, alert_id: str, timeout: float = 15) -> list[dict[str, Any]]:
    """The rising-topic events of `alert_id` on the HOTLINE stream (other tests' are there too)."""
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    found: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    try:
        sub = await js.pull_subscribe(
            "hotline.topic.rising.v1", durable="test__" + uuid.uuid4().hex[:10], stream="HOTLINE"
        )
        while not found and time.monotonic() < deadline:
            try:
                msgs = await sub.fetch(50, timeout=0.5)
            except (NatsTimeout, TimeoutError):
                continue
            for m in msgs:
                body = json.loads(m.data)
                if body["data"]["alert_id"] == alert_id:
                    found.append(body)
                await m.ack()
    finally:
        await nc.close()
    return found


async def _doc(hl: httpx.AsyncClient) -> dict[str, Any]:
    return (await hl.get("/openapi.json")).json()  # type: ignore[no-any-return]


def _documented(doc: dict[str, Any], method: str, path: str, resp: httpx.Response) -> None:
    """`resp` is what the service's OpenAPI document promises for that operation and status."""
    answer = doc["paths"][path][method]["responses"][str(resp.status_code)]
    schema = answer["content"]["application/json"]["schema"]
    Draft202012Validator({**schema, "components": doc["components"]}).validate(resp.json())


def test_the_rule() -> None:
    # Flat at 2 a week: 2 is no rise; a new topic (no baseline) needs the minimum count.
    assert not rising(2, [2] * 8, k=3, min_count=5).rising
    assert not rising(4, [0] * 8, k=3, min_count=5).rising
    assert rising(5, [0] * 8, k=3, min_count=5).rising
    # 1 a week with some spread: mean 1, sd 0.5 → above 2.5 and at least 5.
    r = rising(8, [1, 1, 0, 2, 1, 1, 0, 2], k=3, min_count=5)
    assert r.rising and r.mean == 1 and r.sd == pytest.approx(0.7071, abs=1e-4)
    assert r.threshold == pytest.approx(1 + 3 * 0.7071, abs=1e-3)
    assert not rising(6, [6, 4, 8, 6, 5, 7, 6, 6], k=3, min_count=5).rising


def test_clustering_agrees_with_labels_and_scores() -> None:
    texts = [("a", FLAT), ("b", RISING), ("c", OTHER)] * 5
    model = TopicModel(0, {}, [], threshold=0.25)
    found = [model.assign(title, text)[0].id for _, (title, text) in texts]
    truth = [label for label, _ in texts]
    assert adjusted_rand_index(truth, found) == 1.0 and purity(truth, found) == 1.0
    assert len(model.clusters) == 3
    assert adjusted_rand_index(["a", "a", "b", "b"], ["x", "y", "x", "y"]) < 0.1
    assert purity(["a", "a", "b", "b"], ["x", "x", "x", "x"]) == 0.5


async def test_a_planted_rising_topic_raises_exactly_one_alert(
    app: FastAPI,
    hl: httpx.AsyncClient,
    people: People,
    settings: Settings,
    nats_server: NatsServer,
) -> None:
    rising_ids = await _history(app)
    done = await analyse(app.state.db, settings, NOW)
    assert done.assigned == 2 * 9 * 2 + 8 + 8 and done.topics_created == 3
    # One alert: the rising topic in 建外; the flat topics in 朝外 and 呼家楼 raise none.
    assert done.alerts_raised == 1
    again = await analyse(app.state.db, settings, NOW + timedelta(minutes=5))
    assert (again.assigned, again.alerts_raised) == (0, 0)

    listed = await hl.get("/v1/topic-alerts", headers=people.supervisor)
    _documented(await _doc(hl), "get", "/v1/topic-alerts", listed)
    page = listed.json()
    assert page["total"] == 1, page
    alert = page["items"][0]
    assert alert["street_code"] == f"{D}002" and alert["district_code"] == D
    assert alert["window_count"] == 8 and alert["baseline_weeks"] == 8 and alert["baseline_mean"] == 1
    assert alert["status"] == "open" and "施工" in alert["topic_label"]
    assert [t["id"] for t in alert["tickets"]] == rising_ids
    assert all(t["title"] == RISING[0] and t["similarity"] > 0.5 for t in alert["tickets"])

    # The event: in the outbox, valid against the committed schema, and on NATS.
    async with app.state.db.transaction(write=False) as session:
        rows = (
            await session.execute(
                select(outbox.c.subject, outbox.c.payload).where(
                    outbox.c.subject == "hotline.topic.rising.v1"
                )
            )
        ).all()
    assert len(rows) == 1
    schema = events.HOTLINE.event_schema(events.TopicRising)
    Draft202012Validator(schema).validate(json.loads(rows[0].payload))
    published = await _pull(nats_server.url, alert["id"])
    assert len(published) == 1
    assert published[0]["data"]["ticket_ids"] == rising_ids

    # A dispatcher acknowledges it; again keeps the first; one alert, one detail.
    acked = await hl.post(
        f"/v1/topic-alerts/{alert['id']}/acknowledge",
        json={"note": "已通知街道核查工地"},
        headers=people.dispatcher,
    )
    assert acked.status_code == 200, acked.text
    assert acked.json()["status"] == "acknowledged" and acked.json()["acknowledged_by"] == "dispatcher-sunlei"
    twice = await hl.post(f"/v1/topic-alerts/{alert['id']}/acknowledge", headers=people.supervisor)
    assert (
        twice.json()["acknowledged_by"] == "dispatcher-sunlei"
        and twice.json()["note"] == "已通知街道核查工地"
    )
    one = await hl.get(f"/v1/topic-alerts/{alert['id']}", headers=people.supervisor)
    assert one.json()["status"] == "acknowledged" and len(one.json()["tickets"]) == 8
    open_only = await hl.get("/v1/topic-alerts", params={"status": "open"}, headers=people.supervisor)
    assert open_only.json()["total"] == 0


async def test_topics_counted_by_week_day_and_place(
    app: FastAPI, hl: httpx.AsyncClient, people: People, settings: Settings
) -> None:
    await _history(app)
    await analyse(app.state.db, settings, NOW)
    listed = await hl.get("/v1/topics", headers=people.supervisor)
    _documented(await _doc(hl), "get", "/v1/topics", listed)
    weeks = listed.json()
    assert weeks["period"] == "week" and weeks["total"] == 3
    assert weeks["start"] <= weeks["end"] and datetime.fromisoformat(weeks["start"]).weekday() == 0
    by_label = {t["example_title"]: t for t in weeks["items"]}
    flat = by_label[FLAT[0]]
    assert {c["street_code"] for c in flat["counts"]} == {f"{D}001"}
    assert flat["ticket_count"] == 18 and 14 <= flat["count"] <= 18
    days = await hl.get(
        "/v1/topics", params={"period": "day", "street_code": f"{D}002"}, headers=people.dispatcher
    )
    assert days.status_code == 200, days.text
    only = days.json()["items"]
    assert [t["example_title"] for t in only] == [RISING[0]]
    assert sum(c["count"] for c in only[0]["counts"]) == only[0]["count"] >= 8
    tickets = await hl.get(
        f"/v1/topics/{only[0]['id']}/tickets", params={"limit": 5}, headers=people.supervisor
    )
    assert tickets.json()["total"] == 16 and len(tickets.json()["items"]) == 5
    assert tickets.json()["items"][0]["created_at"] >= tickets.json()["items"][1]["created_at"]


async def test_who_sees_topics_and_bad_input(
    app: FastAPI, hl: httpx.AsyncClient, people: People, settings: Settings
) -> None:
    for headers in (people.handler(f"{D}001-FWZX"), people.agent, people.citizen):
        refused = await hl.get("/v1/topic-alerts", headers=headers)
        assert refused.status_code == 403 and refused.json()["code"] == "auth.role_required"
        assert (await hl.get("/v1/topics", headers=headers)).status_code == 403
    assert (await hl.post("/v1/topics/scan", headers=people.dispatcher)).status_code == 403
    long = await hl.get(
        "/v1/topics",
        params={"period": "day", "from": "2026-01-01", "to": "2026-06-30"},
        headers=people.supervisor,
    )
    assert long.status_code == 422 and long.json()["code"] == "hotline.topic_range_too_long"
    assert "按日统计最多 92 天" in long.json()["detail"]
    bad = await hl.get("/v1/topics", params={"period": "month"}, headers=people.supervisor)
    assert bad.status_code == 422
    missing = await hl.get(f"/v1/topics/{uuid.uuid4()}/tickets", headers=people.supervisor)
    assert missing.status_code == 404 and missing.json()["code"] == "hotline.topic_not_found"
    gone = await hl.post(f"/v1/topic-alerts/{uuid.uuid4()}/acknowledge", headers=people.supervisor)
    assert gone.status_code == 404 and gone.json()["code"] == "hotline.topic_alert_not_found"


async def test_duplicates_the_desk_missed_are_suggested_for_merge(
    hl: httpx.AsyncClient, people: People
) -> None:
    first = await create(hl, people.agent)
    again = await create(
        hl,
        people.agent,
        caller_name="李先生",
        caller_phone="13900001111",
        title="夜间施工噪声扰民",
        description="小区旁工地每晚十一点后仍在施工，严重影响休息，请尽快处理。",
    )
    elsewhere = await create(hl, people.agent, street_code=f"{D}002", caller_phone="13900002222")
    other = await create(
        hl,
        people.agent,
        category_code="water",
        attributes={},
        title="家里停水",
        description="家里停水两天了，没有任何通知。",
        caller_phone="13900003333",
    )
    scan = await hl.post("/v1/topics/scan", headers=people.supervisor)
    assert scan.status_code == 200 and scan.json()["assigned"] == 4, scan.text
    topics = (await hl.get("/v1/topics", headers=people.supervisor)).json()["items"]
    noise = next(t for t in topics if t["example_title"] == "夜间施工噪声扰民")
    assert noise["count"] == 3
    url = f"/v1/topics/{noise['id']}/merge-suggestions"
    page = (await hl.get(url, headers=people.dispatcher)).json()
    # Only the pair in one street: 建外's call is the same words, another place.
    assert [(s["ticket"]["id"], s["into"]["id"]) for s in page["items"]] == [(again["id"], first["id"])]
    assert page["items"][0]["into"]["score"] >= 0.6 and "similar_text" in page["items"][0]["into"]["reasons"]
    assert elsewhere["id"] not in {s["ticket"]["id"] for s in page["items"]} and other["id"]
    assert (await hl.get(url, headers=people.supervisor)).status_code == 403
    # Merged the way the desk merges: the suggestion is gone.
    await act(hl, again["id"], "merge", people.dispatcher, {"into_ticket_id": first["id"]})
    assert (await hl.get(url, headers=people.dispatcher)).json()["total"] == 0


async def test_the_periodic_pass_places_new_tickets(
    app: FastAPI, hl: httpx.AsyncClient, people: People, settings: Settings
) -> None:
    from hotline.services.topic_scan import topic_task

    await create(hl, people.agent)
    task = topic_task(app.state.db, settings.model_copy(update={"topic_scan_seconds": 0.2}))
    task.start()
    try:
        for _ in range(50):
            topics = (await hl.get("/v1/topics", headers=people.supervisor)).json()
            if topics["total"]:
                break
            await asyncio.sleep(0.1)
    finally:
        await task.stop()
    assert topics["total"] == 1 and topics["items"][0]["count"] == 1
