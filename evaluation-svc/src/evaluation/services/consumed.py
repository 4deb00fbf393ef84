"""Applying the events evaluation consumes (in the consumer's transaction; the runner records the
handled event ids in it, so a redelivery has one effect).

Intake and hotline events move the indicator counters (`indicators.event_increments`, the same
function `services.rebuild` replays the streams with); completed applications and closed
tickets also become rateable service events. A delivered application counts the visits its
delivery added (evaluation's own `evaluation.service.visits_counted.v1`, in the completion's
month). Dispatched and responded tickets keep the response obligations 响应率 is read from
(`hotline_responses`). identity's org units and staff and catalog's published items feed read
models. A payload missing what evaluation needs raises `PayloadRejected`, a `PermanentError`: the
shared runner dead-letters it at once (DEADLETTER stream, reason in the `Yiwang-Error` header) and
keeps nothing of the transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ..clients import catalog, hotline, identity, intake
from . import hotline_responses, read_models
from .indicators import apply_event
from .ratings import count_delivery, register_service_event

#: (durable name, stream, subject filter) of every consumer; `services.rebuild` replays the
#: counter-moving ones and keeps to the events these durables have handled.
INTAKE_CONSUMER = ("evaluation__intake_application", "INTAKE", "intake.application.>")
HOTLINE_CONSUMER = ("evaluation__hotline_ticket", "HOTLINE", "hotline.ticket.>")
ORG_CONSUMER = ("evaluation__org_unit_changed", "IDENTITY", identity.ORG_UNIT_CHANGED)
STAFF_CONSUMER = ("evaluation__staff_changed", "IDENTITY", identity.STAFF_CHANGED)
CATALOG_CONSUMER = ("evaluation__item_published", "CATALOG", catalog.ITEM_PUBLISHED)
CONSUMERS = (ORG_CONSUMER, STAFF_CONSUMER, CATALOG_CONSUMER, INTAKE_CONSUMER, HOTLINE_CONSUMER)


async def _to_read_model(session: AsyncSession, subject: str, data: dict[str, Any]) -> bool:
    """Apply an org unit, staff or item event to its read model; False for any other event."""
    if subject == identity.ORG_UNIT_CHANGED:
        await read_models.upsert_org_unit(session, data)
    elif subject == identity.STAFF_CHANGED:
        await read_models.upsert_staff(session, data)
    elif subject == catalog.ITEM_PUBLISHED:
        await read_models.upsert_item(session, data)
    else:
        return False
    return True


async def apply_consumed(
    session: AsyncSession, subject: str, data: dict[str, Any], *, rating_window_days: int
) -> None:
    """Apply one consumed event; an event type evaluation does not use changes nothing."""
    if await _to_read_model(session, subject, data):
        return
    if subject == intake.DELIVERED:
        await count_delivery(session, intake.parse_delivered(data))
        return
    if subject not in intake.SUBJECTS and subject not in hotline.SUBJECTS:
        return  # an event type evaluation does not use
    if subject in hotline.OBLIGATIONS:
        await hotline_responses.apply(session, subject, data)
        return
    fields = None
    if subject == intake.COMPLETED:
        done = intake.parse_completed(data)
        named = await read_models.name_from_intake(
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
            rating_window_days=rating_window_days,
            name_item=subject != intake.COMPLETED,  # already named just above
        )
