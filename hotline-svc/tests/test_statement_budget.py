"""The SQL statements of each write step of a ticket's round (issue 19: at most 8 per request, the
view it answers with included, SQLite's BEGIN counted as bench/floor counts it), driven through the
app on the test database: create (dispatched by the catalogue), respond, reply, call-back, close as
bench/floor drives them, and beside that path a reopened round, a dispute and a dispatch by hand,
an extension, merges, a diversion and a registration with attachments.

Statement counts are deterministic, so they are asserted here; what a step costs in time is
bench/floor's to measure. `HOTLINE_LOG_SQL=1` prints each request's statements."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from hotline_support import D, People, ticket_body

from yiwang_shared.testing.statements import STATEMENTS, counting_on

#: At most this many statements per write request (issue 19), BEGIN included on SQLite.
BUDGET = 8
#: A registration with attachments writes a seventh table (the ticket, its contact, its attachments,
#: history, dispatches, the response owed, the outbox, after the read models' one check): held to the
#: budget without SQLite's BEGIN (the statements PostgreSQL sends).
BEYOND_BEGIN = frozenset({"create with attachments"})


@contextmanager
def counting(app: FastAPI) -> Iterator[None]:
    """Record the statements every request of the block sends (in its own task)."""
    with counting_on(app.state.db.engine):
        yield


class Steps:
    """Posts each step and keeps the statements it sent."""

    def __init__(self, app: FastAPI, client: httpx.AsyncClient) -> None:
        self.client = client
        self.begin = 1 if app.state.db.sqlite else 0
        self.counts: dict[str, int] = {}

    async def post(
        self, name: str, path: str, headers: dict[str, str], body: Any, *, expect: int = 200
    ) -> dict[str, Any]:
        seen: list[str] = []
        token = STATEMENTS.set(seen)
        try:
            resp = await self.client.post(path, json=body, headers=headers)
        finally:
            STATEMENTS.reset(token)
        assert resp.status_code == expect, resp.text
        self.counts[name] = len(seen)
        if os.environ.get("HOTLINE_LOG_SQL") == "1":
            print(f"\n--- {name}: {len(seen)} statements")
            for s in seen:
                print("   ", s)
        return resp.json()  # type: ignore[no-any-return]

    def over_budget(self) -> dict[str, int]:
        return {
            name: n
            for name, n in self.counts.items()
            if n - (self.begin if name in BEYOND_BEGIN else 0) > BUDGET
        }


async def test_every_step_of_a_round_stays_within_the_statement_budget(
    app: FastAPI, hl: httpx.AsyncClient, people: People
) -> None:
    steps = Steps(app, hl)
    handler = people.handler(f"{D}001-FWZX")
    with counting(app):
        # Warm the process's read-model caches as a running service has them.
        await steps.post("warm-up", "/v1/tickets", people.agent, ticket_body(), expect=201)
        created = await steps.post("create", "/v1/tickets", people.agent, ticket_body(), expect=201)
        path = f"/v1/tickets/{created['id']}"
        responded = await steps.post("respond", path + "/respond", handler, {"note": "已联系"})
        replied = await steps.post("reply", path + "/reply", handler, {"reply": "已约谈施工方。"})
        called = await steps.post(
            "call-back", path + "/call-back", people.agent, {"resolved": True, "satisfaction": "satisfied"}
        )
        closed = await steps.post("close", path + "/close", people.supervisor, {})
    del steps.counts["warm-up"]
    assert [s["status"] for s in (created, responded, replied, called, closed)] == [
        "dispatched",
        "in_progress",
        "replied",
        "called_back",
        "closed",
    ]
    # The view answered with is the whole ticket, built from what the step has.
    assert [(d["unit_code"], d["role"]) for d in closed["dispatches"]] == [
        (f"{D}001-FWZX", "lead"),
        (f"{D}-SCJGJ", "co"),
    ]
    assert [c["phone"] for c in closed["contacts"]] == ["13812345678"]
    assert closed["reply"] == "已约谈施工方。" and closed["close_reason"] == "completed"
    assert steps.over_budget() == {}, steps.counts


async def test_a_reopened_round_stays_within_the_statement_budget(
    app: FastAPI, hl: httpx.AsyncClient, people: People
) -> None:
    steps = Steps(app, hl)
    handler = people.handler(f"{D}001-FWZX")
    with counting(app):
        await steps.post("warm-up", "/v1/tickets", people.agent, ticket_body(), expect=201)
        created = await steps.post("create", "/v1/tickets", people.agent, ticket_body(), expect=201)
        path = f"/v1/tickets/{created['id']}"
        await steps.post("respond", path + "/respond", handler, {})
        await steps.post("reply", path + "/reply", handler, {"reply": "已处理。"})
        await steps.post(
            "call-back unsatisfied",
            path + "/call-back",
            people.agent,
            {"resolved": False, "satisfaction": "not"},
        )
        reopened = await steps.post("reopen", path + "/reopen", people.supervisor, {"reason": "仍有噪声"})
        responded = await steps.post("respond again", path + "/respond", handler, {})
        await steps.post("reply again", path + "/reply", handler, {"reply": "已停工。"})
        await steps.post(
            "call-back again",
            path + "/call-back",
            people.agent,
            {"resolved": True, "satisfaction": "basically"},
        )
        closed = await steps.post("close", path + "/close", people.supervisor, {})
    del steps.counts["warm-up"]
    assert reopened["status"] == "dispatched" and reopened["reopen_count"] == 1
    assert responded["status"] == "in_progress" and closed["status"] == "closed"
    assert steps.over_budget() == {}, steps.counts


async def test_disputes_extensions_diversions_and_merges_stay_within_the_statement_budget(
    app: FastAPI, hl: httpx.AsyncClient, people: People
) -> None:
    steps = Steps(app, hl)
    centre = people.handler(f"{D}001-FWZX")
    with counting(app):
        await steps.post("warm-up", "/v1/tickets", people.agent, ticket_body(), expect=201)
        first = await steps.post("create", "/v1/tickets", people.agent, ticket_body(), expect=201)
        path = f"/v1/tickets/{first['id']}"
        await steps.post("return", path + "/return", centre, {"reason": "不属于本中心职责"})
        await steps.post("dispatch by hand", path + "/dispatch", people.dispatcher, {"unit_code": f"{D}-ZJW"})
        extended = await steps.post(
            "extend",
            path + "/extend",
            people.handler(f"{D}-ZJW"),
            {"amount": 2, "unit": "natural_days", "reason": "需协调施工单位"},
        )
        second = await steps.post("create 2", "/v1/tickets", people.agent, ticket_body(), expect=201)
        merged = await steps.post(
            "merge", f"/v1/tickets/{second['id']}/merge", people.agent, {"into_ticket_id": first["id"]}
        )
        last = await steps.post(
            "create 3", "/v1/tickets", people.agent, ticket_body(caller_phone="13900001111"), expect=201
        )
        # The first ticket, with the second merged into it, joins the third: both follow it.
        again = await steps.post(
            "merge again", path + "/merge", people.dispatcher, {"into_ticket_id": last["id"]}
        )
        enquiry = await steps.post(
            "create enquiry", "/v1/tickets", people.agent, ticket_body(request_type="enquiry"), expect=201
        )
        diverted = await steps.post(
            "divert",
            f"/v1/tickets/{enquiry['id']}/divert",
            people.dispatcher,
            {"reason": "emergency", "note": "已转110"},
        )
    followed = (await hl.get(f"/v1/tickets/{second['id']}", headers=people.agent)).json()
    primary = (await hl.get(f"/v1/tickets/{last['id']}", headers=people.agent)).json()
    del steps.counts["warm-up"]
    assert extended["lead_unit_code"] == f"{D}-ZJW" and len(extended["dispatches"]) == 3
    assert merged["status"] == "merged" and merged["merged_into_number"] == first["number"]
    assert again["merged_into_number"] == followed["merged_into_number"] == last["number"]
    assert [c["source_ticket_id"] for c in primary["contacts"]] == [
        last["id"],
        first["id"],
        second["id"],
    ]
    assert diverted["status"] == "closed"
    assert steps.over_budget() == {}, steps.counts


async def test_a_registration_with_attachments_stays_within_the_statement_budget(
    app: FastAPI, hl: httpx.AsyncClient, people: People
) -> None:
    steps = Steps(app, hl)
    photo = {"file_name": "现场.jpg", "media_type": "image/jpeg", "size_bytes": 1024, "url": "https://f/1"}
    with counting(app):
        await steps.post("warm-up", "/v1/tickets", people.agent, ticket_body(), expect=201)
        created = await steps.post(
            "create with attachments",
            "/v1/tickets",
            people.agent,
            ticket_body(attachments=[photo, {**photo, "file_name": "噪声.mp3", "url": "https://f/2"}]),
            expect=201,
        )
        responded = await steps.post(
            "respond", f"/v1/tickets/{created['id']}/respond", people.handler(f"{D}001-FWZX"), {}
        )
    del steps.counts["warm-up"]
    assert [a["file_name"] for a in responded["attachments"]] == ["现场.jpg", "噪声.mp3"]
    assert created["attachments"] == responded["attachments"]
    assert steps.over_budget() == {}, steps.counts
