"""Writing to the transactional outbox: the event row commits with the state change.

The rows written are also listed in the session (`OUTBOX_ROWS`), so that after the commit the
relay is handed them and publishes them without reading them back; a rollback forgets them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy.ext.asyncio import AsyncSession

from ..db import OUTBOX_DIRTY, OUTBOX_ROWS, list_for_handoff
from ..tables import outbox
from .envelope import EventEnvelope, envelope_json, make_event

#: The outbox INSERT, built once (building it per row cost more than sending it); several rows go
#: out as one executemany.
_INSERT = outbox.insert()


class OutboxRow(NamedTuple):
    """An outbox row as the relay publishes it."""

    event_id: str
    subject: str
    payload: bytes


def _list_for_relay(session: AsyncSession, rows: list[OutboxRow]) -> None:
    """Note the rows written for the hand-off after commit (see `Database.add_handoff_hook`)."""
    session.info[OUTBOX_DIRTY] = True
    list_for_handoff(session, OUTBOX_ROWS, rows)


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
    row = OutboxRow(envelope.event_id, envelope.subject, envelope_json(envelope))
    await session.execute(
        _INSERT,
        {
            "event_id": row.event_id,
            "subject": row.subject,
            "payload": row.payload,
            "created_at": envelope.occurred_at,
        },
    )
    _list_for_relay(session, [row])
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
        rows = [OutboxRow(e.event_id, e.subject, envelope_json(e)) for e in envelopes]
        values = [r._asdict() | {"created_at": e.occurred_at} for r, e in zip(rows, envelopes, strict=True)]
        await session.execute(_INSERT, values)
        _list_for_relay(session, rows)
    return envelopes
