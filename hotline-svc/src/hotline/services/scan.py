"""The background scan: tickets past their time limit (one overdue event each), expired
knowledge-base entries (withdrawn), then the escalation rules (催办/督办, `escalation_scan`):
where an overdue ticket goes. Safe with several replicas: each ticket is claimed by a conditional
UPDATE (only the replica whose update hits the row publishes), and the event is written to the
outbox in the same transaction; the escalation pass raises each reminder and escalation once."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.calendar import local_date
from yiwang_shared.db import Database
from yiwang_shared.orm import utcnow
from yiwang_shared.periodic import PeriodicTask

from ..config import Settings
from ..events import TicketOverdue
from ..lifecycles import KB_ENTRY, OPEN_STATUSES
from ..repositories.kb import KbRepository
from ..repositories.tickets import TicketRepository
from . import escalation_scan
from .common import emit, event_fields, record

log = logging.getLogger("hotline.scan")


async def mark_overdue(session: AsyncSession, now: datetime | None = None, *, batch: int = 200) -> list[str]:
    """Mark open tickets past their due time overdue, once each; the ids marked."""
    now = now or utcnow()
    repo = TicketRepository(session)
    marked = []
    for ticket_id in await repo.past_due_unflagged(sorted(OPEN_STATUSES), now, limit=batch):
        if not await repo.claim_overdue(ticket_id, now):
            continue  # another replica got there first
        ticket = await repo.get(ticket_id)
        assert ticket is not None
        await repo.refresh(ticket)
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
    repo = KbRepository(session)
    ids = await repo.expired_published(today)
    # Every state that may be withdrawn ("published") leads to the same one ("withdrawn").
    sources = KB_ENTRY.sources("withdraw")
    target = KB_ENTRY.target(sources[0], "withdraw")
    for entry_id in ids:
        if await repo.claim_expired(entry_id, utcnow(), sources=list(sources), target=target):
            await repo.delete_terms(entry_id)
    return ids


async def scan_once(db: Database, now: datetime | None = None) -> tuple[int, int]:
    """One pass in one transaction: (tickets marked overdue, entries withdrawn)."""
    async with db.transaction() as session:
        overdue = await mark_overdue(session, now)
        expired = await withdraw_expired(session, now)
    return len(overdue), len(expired)


def scan_task(db: Database, settings: Settings) -> PeriodicTask:
    """Scan every `scan_seconds`: overdue tickets and expired entries, then the escalation rules;
    each step on its own (a failing one is logged and retried on the next pass)."""

    async def overdue_and_expiry_scan() -> None:
        overdue, expired = await scan_once(db)
        if overdue or expired:
            log.info("scan: %d ticket(s) overdue, %d entry(ies) expired", overdue, expired)

    async def escalation_pass() -> None:
        raised = await escalation_scan.scan(db, settings)
        if raised.reminded or raised.escalated:
            log.info("escalation: %d reminder(s), %d escalation(s)", raised.reminded, raised.escalated)

    return PeriodicTask(
        "hotline-scan", overdue_and_expiry_scan, escalation_pass, seconds=settings.scan_seconds, log=log
    )
