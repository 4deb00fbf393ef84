"""Handling: respond, reply, call-back, reopen, close; extensions; the overdue scan (once, even
with two replicas scanning at the same time)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import httpx
from fastapi import FastAPI
from hotline_support import D, People, act, create
from sqlalchemy import func, select, update

from hotline.models import Ticket
from hotline.services.scan import scan_once
from yiwang_shared.orm import utcnow
from yiwang_shared.tables import outbox


async def test_full_cycle_with_a_reopening(hl: httpx.AsyncClient, people: People) -> None:
    t = await create(hl, people.agent)
    unit = people.handler(f"{D}001-FWZX")
    await act(hl, t["id"], "respond", unit, {"note": "已电话联系王女士"})
    await act(hl, t["id"], "reply", unit, {"reply": "已联系工地，承诺22点后停工。"})
    called = await act(
        hl, t["id"], "call-back", people.agent, {"resolved": False, "satisfaction": "not", "note": "仍有施工"}
    )
    assert called["status"] == "called_back"
    reopened = await act(hl, t["id"], "reopen", people.agent, {"reason": "回访未解决，重办"})
    assert reopened["status"] == "dispatched" and reopened["reopen_count"] == 1
    assert reopened["lead_unit_code"] == f"{D}001-FWZX" and reopened["reply"] is None
    await act(hl, t["id"], "respond", unit, {})
    await act(hl, t["id"], "reply", unit, {"reply": "联合执法，工地已停止夜间施工。"})
    await act(hl, t["id"], "call-back", people.agent, {"resolved": True, "satisfaction": "satisfied"})
    refused = await act(hl, t["id"], "reopen", people.agent, {"reason": "再来一次"}, expect=409)
    assert refused["code"] == "hotline.not_reopenable"
    closed = await act(hl, t["id"], "close", people.supervisor, {"note": "办结"})
    assert (
        closed["status"] == "closed"
        and closed["close_reason"] == "completed"
        and closed["allowed_actions"] == []
    )
    history = (await hl.get(f"/v1/tickets/{t['id']}/history", headers=people.agent)).json()
    actions = [h["action"] for h in history["items"]]
    assert actions == [
        "create",
        "dispatch",
        "respond",
        "reply",
        "call_back",
        "reopen",
        "respond",
        "reply",
        "call_back",
        "close",
    ]


async def test_who_may_do_each_step(hl: httpx.AsyncClient, people: People) -> None:
    t = await create(hl, people.agent)
    unit = people.handler(f"{D}001-FWZX")
    assert (await act(hl, t["id"], "respond", people.agent, {}, expect=403))[
        "code"
    ] == "hotline.not_your_ticket"
    await act(hl, t["id"], "respond", unit, {})
    await act(hl, t["id"], "reply", unit, {"reply": "已处理"})
    assert (
        await act(hl, t["id"], "call-back", unit, {"resolved": True, "satisfaction": "satisfied"}, expect=403)
    )["code"] == "auth.role_required"
    bad = await act(
        hl, t["id"], "call-back", people.agent, {"resolved": "maybe", "satisfaction": "meh"}, expect=422
    )
    assert {e["field"] for e in bad["errors"]} == {"body.resolved", "body.satisfaction"}


async def test_extension_is_recorded_with_its_reason(hl: httpx.AsyncClient, people: People) -> None:
    t = await create(hl, people.agent)
    unit = people.handler(f"{D}001-FWZX")
    bad = await act(hl, t["id"], "extend", unit, {"amount": 3, "unit": "weeks", "reason": "x"}, expect=422)
    assert bad["errors"][0]["field"] == "body.unit"
    done = await act(
        hl, t["id"], "extend", unit, {"amount": 3, "unit": "working_days", "reason": "需协调物业和施工方"}
    )
    assert datetime.fromisoformat(done["due_at"]) > datetime.fromisoformat(t["due_at"]) + timedelta(days=2)
    history = (await hl.get(f"/v1/tickets/{t['id']}/history", headers=people.agent)).json()["items"]
    assert history[-1]["action"] == "extend" and history[-1]["note"] == "需协调物业和施工方"
    assert history[-1]["to_status"] == "dispatched"


async def _overdue_events(app: FastAPI) -> int:
    async with app.state.db.transaction(write=False) as session:
        n = await session.scalar(
            select(func.count()).select_from(outbox).where(outbox.c.subject == "hotline.ticket.overdue.v1")
        )
    return int(n or 0)


async def test_overdue_is_published_once_even_with_two_scanners(
    app: FastAPI, hl: httpx.AsyncClient, people: People
) -> None:
    t = await create(hl, people.agent)
    late = await create(hl, people.agent)
    async with app.state.db.transaction() as session:
        await session.execute(
            update(Ticket).where(Ticket.id == t["id"]).values(due_at=utcnow() - timedelta(minutes=1))
        )
    results = await asyncio.gather(scan_once(app.state.db), scan_once(app.state.db))
    assert sum(r[0] for r in results) == 1
    assert (await scan_once(app.state.db))[0] == 0
    assert await _overdue_events(app) == 1
    seen = (await hl.get(f"/v1/tickets/{t['id']}", headers=people.agent)).json()
    assert seen["overdue"] is True
    assert (await hl.get(f"/v1/tickets/{late['id']}", headers=people.agent)).json()["overdue"] is False
    listed = (await hl.get("/v1/tickets?overdue=true", headers=people.supervisor)).json()
    assert [x["id"] for x in listed["items"]] == [t["id"]]
