"""Handlers for the events catalog-svc consumes (idempotent: the runner records handled ids,
and the handler itself is an upsert, so a redelivery has one effect)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared import org_read_model
from yiwang_shared.events import EventEnvelope
from yiwang_shared.events.consumer import Consumer

from .models import OrgUnit


async def upsert_org_unit(session: AsyncSession, data: dict[str, Any]) -> OrgUnit:
    """Create or update the read-model row of an org unit (an older event never wins)."""
    return await org_read_model.upsert_org_unit(session, OrgUnit, data)


async def on_org_unit_changed(session: AsyncSession, event: EventEnvelope) -> None:
    """identity.org_unit.changed.v1 → the `org_units` read model."""
    await upsert_org_unit(session, dict(event.data))


CONSUMERS = [
    Consumer(
        name="catalog__org_unit_changed",
        stream="IDENTITY",
        subject="identity.org_unit.changed.v1",
        handler=on_org_unit_changed,
    )
]
