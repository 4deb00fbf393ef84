"""Writing to the transactional outbox: the event row commits with the state change."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ..db import OUTBOX_DIRTY
from ..tables import outbox
from .envelope import EventEnvelope, envelope_json, make_event

#: The outbox INSERT, built once: several rows go out as one executemany.
_INSERT = outbox.insert()


async def add_event(
    session: AsyncSession,
    type: str,
    version: int,
    data: dict[str, Any],
    *,
    producer: str,
) -> EventEnvelope:
    """Record an event in the session's transaction; the relay publishes it after commit."""
    envelope = make_event(type, version, data, producer=producer)
    await session.execute(
        outbox.insert().values(
            event_id=envelope.event_id,
            subject=envelope.subject,
            payload=envelope_json(envelope),
            created_at=envelope.occurred_at,
        )
    )
    session.info[OUTBOX_DIRTY] = True
    return envelope


async def add_events(
    session: AsyncSession,
    events: Sequence[tuple[str, int, dict[str, Any]]],
    *,
    producer: str,
) -> list[EventEnvelope]:
    """Record a step's events (type, version, data) in one statement, in order: the relay sends
    them in the order of their rows, as if `add_event` had been called for each."""
    envelopes = [make_event(type, version, data, producer=producer) for type, version, data in events]
    if envelopes:
        rows = [
            {
                "event_id": e.event_id,
                "subject": e.subject,
                "payload": envelope_json(e),
                "created_at": e.occurred_at,
            }
            for e in envelopes
        ]
        await session.execute(_INSERT, rows)
        session.info[OUTBOX_DIRTY] = True
    return envelopes
