"""`yiwang_hotline_tickets_overdue`: open tickets past their time limit, flagged by the scan or not."""

from __future__ import annotations

from datetime import timedelta

import httpx
from fastapi import FastAPI
from hotline_support import D, People, act, create
from prometheus_client import REGISTRY
from sqlalchemy import update

from hotline.models import Ticket
from hotline.services.metrics import overdue_tickets, refresh
from yiwang_shared.orm import utcnow


async def _due_in(app: FastAPI, ticket_id: str, delta: timedelta) -> None:
    async with app.state.db.transaction() as session:
        await session.execute(update(Ticket).where(Ticket.id == ticket_id).values(due_at=utcnow() + delta))


async def test_overdue_gauge_counts_open_tickets_past_due(
    app: FastAPI, hl: httpx.AsyncClient, people: People
) -> None:
    late, later, on_time = [await create(hl, people.agent) for _ in range(3)]
    assert await overdue_tickets(app.state.db) == 0
    await _due_in(app, late["id"], timedelta(minutes=-5))
    await _due_in(app, later["id"], timedelta(hours=-2))
    await _due_in(app, on_time["id"], timedelta(hours=1))
    await refresh(app.state.db)
    assert REGISTRY.get_sample_value("yiwang_hotline_tickets_overdue") == 2
    # Closed tickets no longer count, however late they were.
    unit = people.handler(f"{D}001-FWZX")
    await act(hl, later["id"], "respond", unit, {"note": "已联系"})
    await act(hl, later["id"], "reply", unit, {"reply": "已处理。"})
    await refresh(app.state.db)
    assert REGISTRY.get_sample_value("yiwang_hotline_tickets_overdue") == 1
    assert (await overdue_tickets(app.state.db, utcnow() + timedelta(hours=2))) == 2
    assert "yiwang_hotline_tickets_overdue 1.0" in (await hl.get("/metrics")).text
