"""Handlers for the events licence-svc consumes (durable and idempotent: the runner records handled
event ids in the same transaction, so a redelivery has one effect); what each event does is
`services.consumed`'s."""

from __future__ import annotations

from yiwang_shared.db import SessionDep
from yiwang_shared.events import EventEnvelope
from yiwang_shared.events.consumer import Consumer, Handler

from .services.consumed import CONSUMERS, apply_consumed
from .services.signing import KeyRing


def make_handler(keys: KeyRing) -> Handler:
    """The handler for every consumed event, signing with the process's key."""

    async def handle(session: SessionDep, event: EventEnvelope) -> None:
        await apply_consumed(session, event.subject, dict(event.data), keys=keys)

    return handle


def consumers(keys: KeyRing) -> list[Consumer]:
    """licence's durable consumers: published items, registered persons, completed applications."""
    handler = make_handler(keys)
    return [
        Consumer(name=name, stream=stream, subject=subject, handler=handler)
        for name, stream, subject in CONSUMERS
    ]
