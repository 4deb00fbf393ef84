"""Handlers for the events evaluation-svc consumes (durable and idempotent: the runner records
handled event ids in the same transaction, so a redelivery has one effect).

Each consumed event of interest is appended to the fact journal (which drives the indicators and
`evaluation.rebuild`); completed applications and closed tickets also become rateable service
events. A payload missing what evaluation needs is parked in `rejected_events` with the reason
and acknowledged: retrying would never fix it.
"""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.events import EventEnvelope
from yiwang_shared.events.consumer import Consumer, Handler

from .config import Settings
from .indicators import record_fact
from .models import RejectedEvent
from .services.ratings import register_service_event
from .sources import PayloadRejected, hotline, identity, intake

log = logging.getLogger("evaluation.consumers")


def make_handler(settings: Settings) -> Handler:
    """The handler for intake and hotline events, with this deployment's rating window."""

    async def handle(session: AsyncSession, event: EventEnvelope) -> None:
        subject = event.subject
        data = dict(event.data)
        if subject == identity.ORG_UNIT_CHANGED:
            try:
                await identity.upsert_org_unit(session, data)
            except PayloadRejected as exc:
                session.add(
                    RejectedEvent(event_id=event.event_id, subject=subject, reason=str(exc), payload=data)
                )
            return
        if subject not in intake.SUBJECTS and subject not in hotline.SUBJECTS:
            return  # an event type evaluation does not use
        try:
            fields = None
            if subject == intake.COMPLETED:
                fields = intake.service_fields(intake.parse_completed(data))
            elif subject == hotline.CLOSED:
                fields = hotline.service_fields(hotline.parse_closed(data))
            await record_fact(session, subject, data)
        except PayloadRejected as exc:
            log.error("rejected %s %s: %s", subject, event.event_id, exc)
            session.add(
                RejectedEvent(event_id=event.event_id, subject=subject, reason=str(exc), payload=data)
            )
            return
        if fields is not None:
            await register_service_event(
                session, fields=fields, rating_window_days=settings.rating_window_days
            )

    return handle


def consumers(settings: Settings) -> list[Consumer]:
    """evaluation's durable consumers: org units, every application and ticket event, in order."""
    handler = make_handler(settings)
    return [
        Consumer(
            name="evaluation__org_unit_changed",
            stream="IDENTITY",
            subject="identity.org_unit.changed.v1",
            handler=handler,
        ),
        Consumer(
            name="evaluation__intake_application",
            stream="INTAKE",
            subject="intake.application.>",
            handler=handler,
        ),
        Consumer(
            name="evaluation__hotline_ticket",
            stream="HOTLINE",
            subject="hotline.ticket.>",
            handler=handler,
        ),
    ]
