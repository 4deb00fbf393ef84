"""Handlers for the events catalog-svc consumes (idempotent: the runner records handled ids,
and the handler itself is an upsert, so a redelivery has one effect)."""

from __future__ import annotations

from yiwang_shared.db import SessionDep
from yiwang_shared.events import EventEnvelope
from yiwang_shared.events.consumer import Consumer

from .services.org_units import upsert_org_unit
from .services.outcomes import record_completed, record_submitted

__all__ = [
    "CONSUMERS",
    "on_application_completed",
    "on_application_submitted",
    "on_org_unit_changed",
    "upsert_org_unit",
]


async def on_org_unit_changed(session: SessionDep, event: EventEnvelope) -> None:
    """identity.org_unit.changed.v1 → the `org_units` read model."""
    await upsert_org_unit(session, dict(event.data))


async def on_application_submitted(session: SessionDep, event: EventEnvelope) -> None:
    """intake.application.submitted.v1 → what the applicant brought (the halving report)."""
    await record_submitted(session, dict(event.data))


async def on_application_completed(session: SessionDep, event: EventEnvelope) -> None:
    """intake.application.completed.v1 → the working days the application took."""
    await record_completed(session, dict(event.data))


CONSUMERS = [
    Consumer(
        name="catalog__org_unit_changed",
        stream="IDENTITY",
        subject="identity.org_unit.changed.v1",
        handler=on_org_unit_changed,
    ),
    Consumer(
        name="catalog__application_submitted",
        stream="INTAKE",
        subject="intake.application.submitted.v1",
        handler=on_application_submitted,
    ),
    Consumer(
        name="catalog__application_completed",
        stream="INTAKE",
        subject="intake.application.completed.v1",
        handler=on_application_completed,
    ),
]
