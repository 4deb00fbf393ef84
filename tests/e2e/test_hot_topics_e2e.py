"""Hot topics (热点问题, issue 21 §5) through the gateway with real processes: the demo's year of
tickets is grouped by topic and place, and the topic planted rising in 呼家楼街道 (night building
works at one site) shows as exactly one alert to the district, with the tickets behind it, published
once on NATS; the duplicates among them are suggested for merging; the supervisor acknowledges it."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import httpx
import nats
from devstack import Platform
from helpers import DEMO_PASSWORD, bearer, login
from nats.errors import TimeoutError as NatsTimeout

H = "/api/hotline/v1"
PLANTED_STREET = "110105003"  # hotline.demo.history.PLANTED_STREET
PLANTED_COUNT = 14


async def _as(gw: httpx.AsyncClient, username: str) -> dict[str, str]:
    return bearer((await login(gw, username, DEMO_PASSWORD))["access_token"])


async def _rising_events(nats_url: str, alert_id: str, timeout: float = 20) -> list[dict[str, Any]]:
    """The hotline.topic.rising.v1 events of `alert_id` on the HOTLINE stream."""
    nc = await nats.connect(nats_url)
    found: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    try:
        sub = await nc.jetstream().pull_subscribe(
            "hotline.topic.rising.v1", durable="e2e__" + uuid.uuid4().hex[:10], stream="HOTLINE"
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
        # Anything published twice would be there by now too.
        try:
            for m in await sub.fetch(50, timeout=1):
                if json.loads(m.data)["data"]["alert_id"] == alert_id:
                    found.append(json.loads(m.data))
        except (NatsTimeout, TimeoutError):
            pass
    finally:
        await nc.close()
    return found


async def test_the_demo_planted_rising_topic_shows_one_alert_with_its_tickets(
    gw: httpx.AsyncClient, platform: Platform
) -> None:
    supervisor = await _as(gw, "supervisor")
    # Other tests' tickets (a few, in 朝外街道) raise none; the demo's planted topic raises one.
    resp = await gw.get(f"{H}/topic-alerts", headers=supervisor)
    assert resp.status_code == 200, resp.text
    alerts = resp.json()["items"]
    assert [a["street_code"] for a in alerts if a["street_code"] == PLANTED_STREET] == [PLANTED_STREET]
    alert = next(a for a in alerts if a["street_code"] == PLANTED_STREET)
    assert alert["status"] == "open"
    assert "施工" in alert["topic_label"] and alert["district_code"] == "110105"
    assert alert["window_count"] >= PLANTED_COUNT and alert["window_count"] > alert["threshold"]
    assert len(alert["tickets"]) == alert["window_count"]
    assert all(t["street_code"] == PLANTED_STREET for t in alert["tickets"])
    assert sum("施工" in t["title"] for t in alert["tickets"]) >= PLANTED_COUNT

    # Counted by week, and by day at the planted street, where it leads the last two weeks.
    topics = (await gw.get(f"{H}/topics", params={"period": "week"}, headers=supervisor)).json()
    assert topics["total"] >= 10 and alert["topic_id"] in {t["id"] for t in topics["items"]}
    days = await gw.get(
        f"{H}/topics", params={"period": "day", "street_code": PLANTED_STREET}, headers=supervisor
    )
    assert days.status_code == 200, days.text
    lead = days.json()["items"][0]
    assert lead["id"] == alert["topic_id"] and lead["count"] >= PLANTED_COUNT
    assert {c["street_code"] for c in lead["counts"]} == {PLANTED_STREET}
    tickets = await gw.get(
        f"{H}/topics/{alert['topic_id']}/tickets", params={"street_code": PLANTED_STREET}, headers=supervisor
    )
    assert tickets.status_code == 200 and tickets.json()["total"] > alert["window_count"]

    # Published once to the district's subscribers.
    events = await _rising_events(platform.nats_url, alert["id"])
    assert len(events) == 1 and events[0]["data"]["ticket_ids"] == [t["id"] for t in alert["tickets"]]

    # The calls about the one site the desk did not merge are suggested for merging.
    dispatcher = await _as(gw, "dispatcher")
    suggested = await gw.get(f"{H}/topics/{alert['topic_id']}/merge-suggestions", headers=dispatcher)
    assert suggested.status_code == 200, suggested.text
    pairs = suggested.json()["items"]
    assert any(p["into"]["street_code"] == PLANTED_STREET for p in pairs), pairs
    assert all(p["into"]["street_code"] == p["ticket"]["street_code"] for p in pairs)
    assert all(p["into"]["created_at"] < p["ticket"]["created_at"] for p in pairs)

    # Running the pass again raises nothing new for it this week; a handler sees no alerts.
    again = await gw.post(f"{H}/topics/scan", headers=supervisor)
    assert again.status_code == 200, again.text
    here = await gw.get(f"{H}/topic-alerts", params={"street_code": PLANTED_STREET}, headers=supervisor)
    assert [a["id"] for a in here.json()["items"]] == [alert["id"]]
    handler = await _as(gw, "handler")
    assert (await gw.get(f"{H}/topic-alerts", headers=handler)).status_code == 403

    acked = await gw.post(
        f"{H}/topic-alerts/{alert['id']}/acknowledge",
        json={"note": "已转呼家楼街道核查金台里工地夜间施工"},
        headers=supervisor,
    )
    assert acked.status_code == 200 and acked.json()["status"] == "acknowledged", acked.text
