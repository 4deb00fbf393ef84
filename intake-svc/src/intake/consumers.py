"""Handlers for the events intake-svc consumes. The runner records handled event ids, and each
handler is an upsert that never lets older data win, so a redelivery has one effect. The session
is the runner's transaction (typed as the routes' `SessionDep`: handlers build no SQL)."""

from __future__ import annotations

from yiwang_shared.db import SessionDep
from yiwang_shared.events import EventEnvelope
from yiwang_shared.events.consumer import Consumer
from yiwang_shared.orm import utcnow

from .services.bundles import record_bundle_published
from .services.catalogue import record_published, record_retired
from .services.escalation_staff import upsert_staff
from .services.grants import record_revoked
from .services.orgs import upsert_org_unit
from .services.proactive import offer_for_age
from .services.proactive_worker import proactive_settings


async def on_item_published(session: SessionDep, event: EventEnvelope) -> None:
    """catalog.item.published.v1 → the catalogue read model (the version and its elements)."""
    await record_published(session, dict(event.data))


async def on_item_retired(session: SessionDep, event: EventEnvelope) -> None:
    """catalog.item.retired.v1 → the item takes no new applications."""
    await record_retired(session, dict(event.data))


async def on_bundle_published(session: SessionDep, event: EventEnvelope) -> None:
    """catalog.bundle.published.v1 → the bundles read model (一件事 applied for in one submission)."""
    await record_bundle_published(session, dict(event.data))


async def on_org_unit_changed(session: SessionDep, event: EventEnvelope) -> None:
    """identity.org_unit.changed.v1 → the organisation read model."""
    await upsert_org_unit(session, dict(event.data))


async def on_grant_revoked(session: SessionDep, event: EventEnvelope) -> None:
    """identity.grant.revoked.v1 → the agent no longer sees or acts on the enterprise's cases."""
    await record_revoked(session, dict(event.data))


async def on_staff_changed(session: SessionDep, event: EventEnvelope) -> None:
    """identity.staff.changed.v1 → the staff read model (whom reminders and escalations name)."""
    await upsert_staff(session, dict(event.data))


async def on_age_reached(session: SessionDep, event: EventEnvelope) -> None:
    """identity.person.age_reached.v1 → 免申即享 offers of the items the person became eligible for."""
    await offer_for_age(
        session,
        dict(event.data),
        event_id=event.event_id,
        now=utcnow(),
        valid_days=proactive_settings().offer_valid_days,
    )


CONSUMERS = [
    Consumer(
        name="intake__item_published",
        stream="CATALOG",
        subject="catalog.item.published.v1",
        handler=on_item_published,
    ),
    Consumer(
        name="intake__item_retired",
        stream="CATALOG",
        subject="catalog.item.retired.v1",
        handler=on_item_retired,
    ),
    Consumer(
        name="intake__bundle_published",
        stream="CATALOG",
        subject="catalog.bundle.published.v1",
        handler=on_bundle_published,
    ),
    Consumer(
        name="intake__org_unit_changed",
        stream="IDENTITY",
        subject="identity.org_unit.changed.v1",
        handler=on_org_unit_changed,
    ),
    Consumer(
        name="intake__grant_revoked",
        stream="IDENTITY",
        subject="identity.grant.revoked.v1",
        handler=on_grant_revoked,
    ),
    Consumer(
        name="intake__staff_changed",
        stream="IDENTITY",
        subject="identity.staff.changed.v1",
        handler=on_staff_changed,
    ),
    Consumer(
        name="intake__age_reached",
        stream="IDENTITY",
        subject="identity.person.age_reached.v1",
        handler=on_age_reached,
    ),
]
