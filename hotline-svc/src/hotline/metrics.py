"""hotline-svc's own gauges: open tickets past their time limit (超期工单).

Counted from the database on a timer (`HOTLINE_METRICS_REFRESH_SECONDS`): open and past `due_at`
now, whether or not the overdue scan has flagged them yet.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import FastAPI
from prometheus_client import Gauge
from sqlalchemy import func, select

from yiwang_shared.metrics import refreshed_gauges
from yiwang_shared.orm import utcnow

from .lifecycle import OPEN_STATUSES
from .models import Ticket

TICKETS_OVERDUE = Gauge("yiwang_hotline_tickets_overdue", "Open tickets past their time limit")


async def overdue_tickets(app: FastAPI, now: datetime | None = None) -> int:
    """How many open tickets are past their due time."""
    query = select(func.count()).where(
        Ticket.status.in_(OPEN_STATUSES), Ticket.due_at.is_not(None), Ticket.due_at < (now or utcnow())
    )
    async with app.state.db.transaction(write=False) as session:
        return int((await session.execute(query)).scalar_one())


async def refresh(app: FastAPI) -> None:
    """Set `yiwang_hotline_tickets_overdue`."""
    TICKETS_OVERDUE.set(await overdue_tickets(app))


start_metrics, stop_metrics = refreshed_gauges("hotline_overdue", refresh)
