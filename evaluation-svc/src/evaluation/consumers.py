"""Handlers for the events evaluation-svc consumes (durable and idempotent: the runner records
handled event ids in the same transaction, so a redelivery has one effect).

Intake and hotline events move the indicator counters (`indicators.event_increments`, the same
function `evaluation.rebuild` replays the streams with); completed applications and closed
tickets also become rateable service events. A delivered application counts the visits its
delivery added (evaluation's own `evaluation.service.visits_counted.v1`, in the completion's
month). Dispatched and responded tickets keep the response obligations 响应率 is read from
(`responses.py`). identity's org units and staff and catalog's published items feed read models. A
payload missing what evaluation needs raises `PayloadRejected`, a `PermanentError`: the shared
runner dead-letters it at once (DEADLETTER stream, reason in the `Yiwang-Error` header) and
keeps nothing of the transaction.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.events import EventEnvelope
from yiwang_shared.events.consumer import Consumer, Handler

from . import responses
from .config import Settings
from .indicators import apply_event
from .services.ratings import count_delivery, register_service_event
from .sources import catalog, hotline, identity, intake

#: (durable name, stream, subject filter) of every consumer; `evaluation.rebuild` replays the
#: counter-moving ones and keeps to the events these durables have handled.
INTAKE_CONSUMER = ("evaluation__intake_application", "INTAKE", "intake.application.>")
HOTLINE_CONSUMER = ("evaluation__hotline_ticket", "HOTLINE", "hotline.ticket.>")
ORG_CONSUMER = ("evaluation__org_unit_changed", "IDENTITY", identity.ORG_UNIT_CHANGED)
STAFF_CONSUMER = ("evaluation__staff_changed", "IDENTITY", identity.STAFF_CHANGED)
CATALOG_CONSUMER = ("evaluation__item_published", "CATALOG", catalog.ITEM_PUBLISHED)


def make_handler(settings: Settings) -> Handler:
    """The handler for every consumed event, with this deployment's rating window."""

    async def handle(session: AsyncSession, event: EventEnvelope) -> None:
        subject = event.subject
        data = dict(event.data)
        if subject == identity.ORG_UNIT_CHANGED:
            await identity.upsert_org_unit(session, data)
            return
        if subject == identity.STAFF_CHANGED:
            await identity.upsert_staff(session, data)
            return
        if subject == catalog.ITEM_PUBLISHED:
            await catalog.upsert_item(session, data)
            return
        if subject == intake.DELIVERED:
            await count_delivery(session, intake.parse_delivered(data))
            return
        if subject not in intake.SUBJECTS and subject not in hotline.SUBJECTS:
            return  # an event type evaluation does not use
        if subject in hotline.OBLIGATIONS:
            await responses.apply(session, subject, data)
            return
        fields = None
        if subject == intake.COMPLETED:
            done = intake.parse_completed(data)
            named = await catalog.name_from_intake(
                session, done.item_code, done.item_name, done.owner_unit_code
            )
            fields = intake.service_fields(done) | {"item_name": named}
        elif subject == hotline.CLOSED:
            fields = hotline.service_fields(hotline.parse_closed(data))
        await apply_event(session, subject, data)
        if fields is not None:
            await register_service_event(
                session,
                fields=fields,
                rating_window_days=settings.rating_window_days,
                name_item=subject != intake.COMPLETED,  # already named just above
            )

    return handle


def consumers(settings: Settings) -> list[Consumer]:
    """evaluation's durable consumers: org units, published items, every application and ticket event."""
    handler = make_handler(settings)
    return [
        Consumer(name=name, stream=stream, subject=subject, handler=handler)
        for name, stream, subject in (
            ORG_CONSUMER,
            STAFF_CONSUMER,
            CATALOG_CONSUMER,
            INTAKE_CONSUMER,
            HOTLINE_CONSUMER,
        )
    ]
