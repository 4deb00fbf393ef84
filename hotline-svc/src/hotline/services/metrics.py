"""hotline-svc's own gauges: open tickets past their time limit (超期工单).

Counted from the database on a timer (`HOTLINE_METRICS_REFRESH_SECONDS`): open and past `due_at`
now, whether or not the overdue scan has flagged them yet.
"""

from __future__ import annotations

from datetime import datetime

from prometheus_client import Gauge

from yiwang_shared.db import Database
from yiwang_shared.orm import utcnow

from ..lifecycles import OPEN_STATUSES
from ..repositories.tickets import TicketRepository

TICKETS_OVERDUE = Gauge("yiwang_hotline_tickets_overdue", "Open tickets past their time limit")


async def overdue_tickets(db: Database, now: datetime | None = None) -> int:
    """How many open tickets are past their due time."""
    async with db.transaction(write=False) as session:
        return await TicketRepository(session).count_past_due(sorted(OPEN_STATUSES), now or utcnow())


async def refresh(db: Database) -> None:
    """Set `yiwang_hotline_tickets_overdue`."""
    TICKETS_OVERDUE.set(await overdue_tickets(db))
