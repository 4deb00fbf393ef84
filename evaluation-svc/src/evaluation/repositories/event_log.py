"""Queries on the shared event tables: the consumed events handled (`processed_events`) and the
outbox of evaluation's own events."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.tables import outbox, processed_events


class EventLogRepository:
    """What the consumers handled and what the outbox holds."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def repeatable_read(self) -> None:
        """Read every following statement from one snapshot (SQLite's read transaction already is one)."""
        await self.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})

    async def handled_by(self, consumer: str) -> set[str]:
        """Ids of the events a durable consumer has handled."""
        ids = await self.session.execute(
            select(processed_events.c.event_id).where(processed_events.c.consumer == consumer)
        )
        return set(ids.scalars())

    async def sent_ids(self) -> set[str]:
        """Ids of our committed events the relay has published."""
        sent = await self.session.execute(select(outbox.c.event_id).where(outbox.c.published_at.is_not(None)))
        return set(sent.scalars())

    async def unsent_payloads(self) -> list[str]:
        """The envelopes (JSON) of our committed events the relay has not published yet."""
        unsent = await self.session.execute(select(outbox.c.payload).where(outbox.c.published_at.is_(None)))
        return list(unsent.scalars())
