"""Service events, rating codes and ratings (一事一评)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.orm import as_utc, utcnow

from .. import errors
from ..events import RatingSubmitted, ServiceRegistered, ServiceVisitsCounted
from ..indicators import publish_counted
from ..models import Rating, RatingCode, ServiceEvent
from ..sources import intake, month_of
from ..sources.catalog import item_name
from .cases import open_case

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed on devices


def hash_code(code: str) -> str:
    """SHA-256 of a normalised rating code."""
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


async def register_service_event(
    session: AsyncSession, *, fields: dict[str, Any], rating_window_days: int, name_item: bool = True
) -> ServiceEvent:
    """Create the rateable service event (idempotent on kind + source id) and announce it.

    With `name_item` the item's name comes from the catalogue's read model when it is there.
    """
    existing = (
        await session.execute(
            select(ServiceEvent).where(
                ServiceEvent.kind == fields["kind"], ServiceEvent.source_id == fields["source_id"]
            )
        )
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    served_at = as_utc(fields["served_at"])
    code = fields.get("item_code")
    named = await item_name(session, code) if code and name_item else None
    event = ServiceEvent(
        **{**fields, "served_at": served_at, "item_name": named or fields.get("item_name")},
        rateable_until=served_at + timedelta(days=rating_window_days),
        month=month_of(served_at),
    )
    session.add(event)
    await session.flush()
    await publish_counted(
        session,
        ServiceRegistered(
            service_event_id=event.id,
            service_kind=event.kind,
            source_id=event.source_id,
            item_code=event.item_code,
            unit_code=event.unit_code,
            window_code=event.window_code,
            staff_id=event.staff_id,
            month=event.month,
            served_at=event.served_at,
            rateable_until=event.rateable_until,
        ),
    )
    return event


class CompletionPending(Exception):
    """A delivery arrived before its application's completion was handled: retried, not dropped.

    Not a `PermanentError`: the consumer runner redelivers it with backoff, and by then the
    completion (an earlier event on the same stream) has normally been applied.
    """


async def count_delivery(session: AsyncSession, delivered: intake.Delivered) -> ServiceVisitsCounted:
    """Count what a delivery added to its application's visits (跑动次数), where the completion counted.

    The completion counted the visits so far in its month, for its unit, window, staff member and
    item; a window pickup after it is one more visit of the same case. The difference goes into
    the same counters through evaluation's own event, so the replay of the EVALUATION stream
    computes it too, and the service event keeps the total (a repeated delivery adds nothing).
    """
    event = (
        await session.execute(
            select(ServiceEvent)
            .where(ServiceEvent.kind == "application", ServiceEvent.source_id == delivered.application_id)
            .with_for_update()
        )
    ).scalar_one_or_none()
    if event is None:
        raise CompletionPending(f"application {delivered.application_id} delivered before its completion")
    own, total = intake.delivery_visits(delivered)
    before = event.visits if event.visits is not None else max(total - own, 0)
    event.visits = total
    counted = ServiceVisitsCounted(
        service_event_id=event.id,
        service_kind=event.kind,
        source_id=event.source_id,
        item_code=event.item_code,
        unit_code=event.unit_code,
        window_code=event.window_code,
        staff_id=event.staff_id,
        month=event.month,
        visits_before=before,
        visits_total=total,
        delivery_mode=delivered.delivery_mode,
        delivered_at=delivered.delivered_at,
    )
    await publish_counted(session, counted)
    return counted


async def issue_code(session: AsyncSession, event: ServiceEvent, *, issued_by: str | None) -> str:
    """A new one-time rating code for `event` (only its hash is kept)."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    session.add(RatingCode(code_hash=hash_code(code), service_event_id=event.id, issued_by=issued_by))
    await session.flush()
    return code


async def get_service_event(session: AsyncSession, event_id: str) -> ServiceEvent:
    """The service event, or 404."""
    event = await session.get(ServiceEvent, event_id)
    if event is None:
        raise errors.service_event_not_found(event_id)
    return event


async def submit_rating(
    session: AsyncSession,
    *,
    event_id: str,
    principal: Principal | None,
    code: str | None,
    level: int,
    channel: str,
    aspects: list[str],
    comment: str | None,
    case_deadline_days: int,
    now: datetime | None = None,
) -> Rating:
    """Record the one rating of a service event; a bad review (4–5) opens a case."""
    now = now or utcnow()
    event = await get_service_event(session, event_id)
    rater: str | None = None
    code_row: RatingCode | None = None
    if code:
        code_row = await session.get(RatingCode, hash_code(code))
        if code_row is None or code_row.service_event_id != event.id or code_row.used_at is not None:
            raise errors.rating_code_invalid()
        rater = principal.subject if principal is not None and not principal.is_staff else None
    else:
        if principal is None:
            raise errors.not_the_person_served()
        if event.served_subject is None or principal.subject != event.served_subject:
            # Indistinguishable from "no such event" for anyone but the person served.
            raise errors.service_event_not_found(event_id)
        rater = principal.subject
    if (await session.execute(select(Rating.id).where(Rating.service_event_id == event.id))).first():
        raise errors.already_rated(event.id)
    if now > as_utc(event.rateable_until):
        raise errors.rating_window_closed(event.id, as_utc(event.rateable_until))
    if code_row is not None:
        code_row.used_at = now
    rating = Rating(
        service_event_id=event.id,
        level=level,
        channel=channel,
        aspects=aspects,
        comment=comment,
        item_code=event.item_code,
        unit_code=event.unit_code,
        window_code=event.window_code,
        staff_id=event.staff_id,
        rater_subject=rater,
        real_name=rater is not None,
        month=event.month,
        submitted_at=now,
    )
    try:
        # A savepoint: a concurrent rating of the same event (PostgreSQL, read committed) trips
        # the unique constraint here and becomes a 409, not a 500.
        async with session.begin_nested():
            session.add(rating)
            await session.flush()
    except IntegrityError as exc:
        raise errors.already_rated(event.id) from exc
    await publish_counted(
        session,
        RatingSubmitted(
            rating_id=rating.id,
            service_event_id=event.id,
            service_kind=event.kind,
            source_id=event.source_id,
            level=level,
            channel=channel,
            item_code=event.item_code,
            unit_code=event.unit_code,
            window_code=event.window_code,
            staff_id=event.staff_id,
            real_name=rating.real_name,
            month=event.month,
            submitted_at=now,
        ),
    )
    if level >= 4:
        await open_case(session, rating=rating, event=event, deadline_days=case_deadline_days, now=now)
    return rating
