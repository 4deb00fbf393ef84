"""Writing to the transactional outbox: the event row commits with the state change."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ..db import OUTBOX_DIRTY
from ..tables import outbox
from .envelope import EventEnvelope, envelope_json, make_event


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
