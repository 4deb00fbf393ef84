"""The background scan: tickets past their time limit (one overdue event each), expired
knowledge-base entries (withdrawn), then the escalation rules (催办/督办, `hotline.escalation`):
where an overdue ticket goes. Safe with several replicas: each ticket is claimed by a conditional
UPDATE (only the replica whose update hits the row publishes), and the event is written to the
outbox in the same transaction; the escalation pass raises each reminder and escalation once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime

from fastapi import FastAPI
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.calendar import local_date
from yiwang_shared.db import Database
from yiwang_shared.orm import utcnow

from ..escalation import scan as escalation
from ..events import TicketOverdue
from ..lifecycle import OPEN_STATUSES
from ..models import KbEntry, KbTerm, Ticket
from .common import emit, event_fields, record

log = logging.getLogger("hotline.scan")


async def mark_overdue(session: AsyncSession, now: datetime | None = None, *, batch: int = 200) -> list[str]:
    """Mark open tickets past their due time overdue, once each; the ids marked."""
    now = now or utcnow()
    candidates = await session.execute(
        select(Ticket.id)
        .where(
            Ticket.status.in_(OPEN_STATUSES),
            Ticket.due_at.is_not(None),
            Ticket.due_at < now,
            Ticket.overdue_at.is_(None),
        )
        .limit(batch)
    )
    marked = []
    for ticket_id in candidates.scalars().all():
        claimed = await session.execute(
            update(Ticket).where(Ticket.id == ticket_id, Ticket.overdue_at.is_(None)).values(overdue_at=now)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            continue  # another replica got there first
        ticket = await session.get(Ticket, ticket_id)
        assert ticket is not None
        await session.refresh(ticket)
        record(
            session,
            ticket,
            "overdue",
            "system",
            from_status=ticket.status,
            due_at=ticket.due_at.isoformat() if ticket.due_at else None,
        )
        await emit(
            session,
            TicketOverdue(**event_fields(ticket), due_at=ticket.due_at, overdue_at=now, status=ticket.status),  # type: ignore[arg-type]
        )
        marked.append(ticket_id)
    return marked


async def withdraw_expired(session: AsyncSession, now: datetime | None = None) -> list[str]:
    """Withdraw published entries whose expiry day has passed; the ids withdrawn."""
    today = local_date(now or utcnow())
    rows = await session.execute(
        select(KbEntry.id).where(
            KbEntry.status == "published", KbEntry.expires_on.is_not(None), KbEntry.expires_on < today
        )
    )
    ids = list(rows.scalars())
    for entry_id in ids:
        claimed = await session.execute(
            update(KbEntry)
            .where(KbEntry.id == entry_id, KbEntry.status == "published")
            .values(status="withdrawn", withdrawn_reason="expired", updated_at=utcnow())
        )
        if claimed.rowcount == 1:  # type: ignore[attr-defined]
            await session.execute(delete(KbTerm).where(KbTerm.entry_id == entry_id))
    return ids


async def scan_once(db: Database, now: datetime | None = None) -> tuple[int, int]:
    """One pass in one transaction: (tickets marked overdue, entries withdrawn)."""
    async with db.transaction() as session:
        overdue = await mark_overdue(session, now)
        expired = await withdraw_expired(session, now)
    return len(overdue), len(expired)


async def _loop(app: FastAPI, interval: float) -> None:
    while True:
        try:
            overdue, expired = await scan_once(app.state.db)
            if overdue or expired:
                log.info("scan: %d ticket(s) overdue, %d entry(ies) expired", overdue, expired)
        except asyncio.CancelledError:
            raise
        except Exception:  # keep scanning; the next pass retries
            log.exception("overdue/expiry scan failed")
        try:
            raised = await escalation.scan(app.state.db, app.state.settings)
            if raised.reminded or raised.escalated:
                log.info("escalation: %d reminder(s), %d escalation(s)", raised.reminded, raised.escalated)
        except asyncio.CancelledError:
            raise
        except Exception:  # keep scanning; the next pass retries
            log.exception("escalation pass failed")
        await asyncio.sleep(interval)


async def start_scanner(app: FastAPI) -> None:
    """Start the periodic scan (a start-up hook)."""
    app.state.scanner = asyncio.create_task(_loop(app, app.state.settings.scan_seconds), name="hotline-scan")


async def stop_scanner(app: FastAPI) -> None:
    """Stop the periodic scan (a shutdown hook)."""
    task = getattr(app.state, "scanner", None)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
