"""The demo loader: idempotent; its rules dispatch over the demo tree; its entries answer; its year
of tickets shows one rising topic."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from hotline_support import D, People, create, seed_units

from hotline.config import Settings
from hotline.demo import DEMO_OPEN311_KEY, demo_rules, load_demo
from hotline.demo.history import PLANTED_COUNT, PLANTED_STREET


async def test_demo_loads_once_and_works(
    settings: Settings, app: FastAPI, client: httpx.AsyncClient, people: People
) -> None:
    first = await load_demo(settings.database_url)
    assert (first.rules, first.entries, first.keys) == (len(demo_rules()), 5, 1)
    # A year of tickets about everyday topics, one of them planted rising: one alert.
    assert first.tickets > 1000 and 10 <= first.topics <= 16 and first.alerts == 1
    again = await load_demo(settings.database_url)
    assert (again.rules, again.entries, again.keys, again.tickets, again.alerts) == (0, 0, 0, 0, 0)
    alerts = (await client.get("/v1/topic-alerts", headers=people.supervisor)).json()["items"]
    assert [a["street_code"] for a in alerts] == [PLANTED_STREET] and "施工" in alerts[0]["topic_label"]
    assert alerts[0]["window_count"] >= PLANTED_COUNT
    await seed_units(app)
    t = await create(client, people.agent, street_code=f"{D}003")
    assert t["lead_unit_code"] == f"{D}003-FWZX" and t["co_unit_codes"] == [f"{D}-ZJW"]
    hits = (await client.get("/v1/kb/search", params={"q": "暖气不热"}, headers=people.agent)).json()["items"]
    assert hits and hits[0]["question"].startswith("本市供暖期")
    posted = await client.post(
        "/open311/v2/requests.json",
        data={"api_key": DEMO_OPEN311_KEY, "service_code": "water", "address_id": f"{D}002"},
    )
    assert posted.status_code == 201, posted.text
