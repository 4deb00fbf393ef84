"""Handlers for the events hotline-svc consumes. The runner records handled event ids (a
redelivery has one effect) and each handler is an upsert besides."""

from __future__ import annotations

from yiwang_shared.db import SessionDep
from yiwang_shared.events import EventEnvelope
from yiwang_shared.events.consumer import Consumer, Handler

from .config import Settings
from .services.escalation_staff import upsert_staff
from .services.kb import retire_catalog_entry, upsert_catalog_entry
from .services.orgs import upsert_org_unit
from .services.transfers import register_bad_review


async def on_org_unit_changed(session: SessionDep, event: EventEnvelope) -> None:
    """identity.org_unit.changed.v1 → the `org_units` read model."""
    await upsert_org_unit(session, dict(event.data))


async def on_item_published(session: SessionDep, event: EventEnvelope) -> None:
    """catalog.item.published.v1 → the item becomes answerable from the knowledge base."""
    await upsert_catalog_entry(session, dict(event.data))


async def on_item_retired(session: SessionDep, event: EventEnvelope) -> None:
    """catalog.item.retired.v1 → its knowledge-base entry is withdrawn."""
    await retire_catalog_entry(session, dict(event.data))


async def on_staff_changed(session: SessionDep, event: EventEnvelope) -> None:
    """identity.staff.changed.v1 → the `staff_members` read model (whom escalations name)."""
    await upsert_staff(session, dict(event.data))


def on_bad_review_transferred(settings: Settings) -> Handler:
    """evaluation.bad_review.transferred.v1 → a complaint ticket for the rated unit."""

    async def handle(session: SessionDep, event: EventEnvelope) -> None:
        await register_bad_review(session, dict(event.data), settings)

    return handle


def consumers(settings: Settings) -> list[Consumer]:
    """Every durable consumer of hotline-svc."""
    return [
        *CONSUMERS,
        Consumer(
            name="hotline__bad_review_transferred",
            stream="EVALUATION",
            subject="evaluation.bad_review.transferred.v1",
            handler=on_bad_review_transferred(settings),
        ),
    ]


CONSUMERS = [
    Consumer(
        name="hotline__org_unit_changed",
        stream="IDENTITY",
        subject="identity.org_unit.changed.v1",
        handler=on_org_unit_changed,
    ),
    Consumer(
        name="hotline__item_published",
        stream="CATALOG",
        subject="catalog.item.published.v1",
        handler=on_item_published,
    ),
    Consumer(
        name="hotline__item_retired",
        stream="CATALOG",
        subject="catalog.item.retired.v1",
        handler=on_item_retired,
    ),
    Consumer(
        name="hotline__staff_changed",
        stream="IDENTITY",
        subject="identity.staff.changed.v1",
        handler=on_staff_changed,
    ),
]
