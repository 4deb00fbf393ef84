"""A person's open worklist (`escalations/mine`) follows the ticket's status through the copy the
recipient rows keep (migration hotline_0006's trigger); test_list_queries.py checks that it reads the
person's entries alone (issue 19: it started from every open ticket, 0.6–1.1 s at 1M tickets)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from hotline_support import People, create
from sqlalchemy import update
from test_escalation import CHAOWAI, _people_on_duty

from hotline.lifecycles import OPEN_STATUSES, TICKET
from hotline.models import Ticket
from hotline.services.escalation_scan import scan


async def _mine(hl: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> list[str]:
    resp = await hl.get("/v1/escalations/mine", params=params, headers=headers)
    assert resp.status_code == 200, resp.text
    assert resp.json()["total"] == len(resp.json()["items"])
    return [e["ticket_id"] for e in resp.json()["items"]]


async def test_the_open_worklist_follows_every_status_change(
    app: FastAPI, hl: httpx.AsyncClient, people: People
) -> None:
    await _people_on_duty(app)
    zhou = people.staff("handler", CHAOWAI, "handler-zhou")
    t = await create(hl, people.agent)
    dispatched = datetime.fromisoformat(t["response_due_at"]) - timedelta(hours=24)
    raised = await scan(app.state.db, app.state.settings, dispatched + timedelta(hours=18, minutes=1))
    assert raised.reminded == 1
    assert await _mine(hl, zhou) == [t["id"]]
    # Every status in turn, there and back (a reopened ticket is open again), as any writer sets it.
    for status in [*TICKET.states, *reversed(TICKET.states)]:
        async with app.state.db.transaction() as session:
            await session.execute(update(Ticket).where(Ticket.id == t["id"]).values(status=status))
        assert await _mine(hl, zhou) == ([t["id"]] if status in OPEN_STATUSES else []), status
        assert await _mine(hl, zhou, open_only="false") == [t["id"]]
