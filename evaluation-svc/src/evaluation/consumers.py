"""Handlers for the events evaluation-svc consumes (durable and idempotent: the runner records
handled event ids in the same transaction, so a redelivery has one effect); what each event does
is `services.consumed`'s."""

from __future__ import annotations

from yiwang_shared.db import SessionDep
from yiwang_shared.events import EventEnvelope
from yiwang_shared.events.consumer import Consumer, Handler

from .config import Settings
from .services.consumed import CONSUMERS, apply_consumed


def make_handler(settings: Settings) -> Handler:
    """The handler for every consumed event, with this deployment's rating window."""

    async def handle(session: SessionDep, event: EventEnvelope) -> None:
        await apply_consumed(
            session, event.subject, dict(event.data), rating_window_days=settings.rating_window_days
        )

    return handle


def consumers(settings: Settings) -> list[Consumer]:
    """evaluation's durable consumers: org units, staff, published items, every application and ticket
    event."""
    handler = make_handler(settings)
    return [
        Consumer(name=name, stream=stream, subject=subject, handler=handler)
        for name, stream, subject in CONSUMERS
    ]
