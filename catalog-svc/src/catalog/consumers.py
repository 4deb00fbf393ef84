"""Handlers for the events catalog-svc consumes (idempotent: the runner records handled ids,
and the handler itself is an upsert, so a redelivery has one effect)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.events import EventEnvelope
from yiwang_shared.events.consumer import Consumer
from yiwang_shared.orm import as_utc, utcnow

from .models import OrgUnit


async def upsert_org_unit(session: AsyncSession, data: dict[str, Any]) -> OrgUnit:
    """Create or update the read-model row of an org unit from an org_unit.changed payload.

    An older event (by `changed_at`) never overwrites a newer state.
    """
    changed_at = data.get("changed_at")
    at = as_utc(datetime.fromisoformat(changed_at)) if isinstance(changed_at, str) else utcnow()
    unit = await session.get(OrgUnit, data["org_unit_id"])
    if unit is None:
        # A unit code moved from another id (re-created upstream): the newest owner wins.
        clash = (
            await session.execute(select(OrgUnit).where(OrgUnit.code == data["code"]))
        ).scalar_one_or_none()
        if clash is not None:
            await session.delete(clash)
            await session.flush()
        unit = OrgUnit(id=data["org_unit_id"], updated_at=at)
        session.add(unit)
    elif unit.updated_at > at:
        return unit
    unit.code = data["code"]
    unit.name = data["name"]
    unit.kind = data["kind"]
    unit.level = int(data["level"])
    unit.parent_id = data.get("parent_id")
    unit.uscc = data.get("uscc")
    unit.updated_at = at
    await session.flush()
    return unit


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
