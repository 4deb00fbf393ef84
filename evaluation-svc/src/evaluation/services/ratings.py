"""Service events, rating codes and ratings (一事一评); the served person's rating over a code rating;
bursts of ratings on one clerk's visits flagged for the evaluation office."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.orm import as_utc, utcnow

from .. import errors
from ..events import RatingSubmitted, RatingWithdrawn, ServiceRegistered, ServiceVisitsCounted
from ..indicators import publish_counted
from ..models import BadReviewCase, Rating, RatingCode, RatingFlag, ServiceEvent
from ..sources import intake, month_of
from ..sources.catalog import item_name
from .cases import close_withdrawn, open_case

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed on devices


@dataclass(frozen=True)
class Burst:
    """How many ratings on one clerk's window visits, within how many minutes, flag them."""

    ratings: int
    minutes: int


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


async def current_rating(session: AsyncSession, event_id: str, *, lock: bool = False) -> Rating | None:
    """The rating in force of a service event (not superseded), if any."""
    stmt = select(Rating).where(Rating.service_event_id == event_id, Rating.superseded_at.is_(None))
    if lock:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


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
    burst: Burst | None = None,
    now: datetime | None = None,
) -> Rating:
    """Record the rating of a service event; a bad review (4–5) opens a case.

    The person served, logged in (an application's applicant, a ticket's caller, a visitor named
    at the window), rates with no code, and their rating stands over one given with a code: that
    one is superseded (kept, out of the indicators, its case closed as superseded). Ratings on the
    window visits of one clerk that come in a burst are flagged for the evaluation office.
    """
    now = now or utcnow()
    event = await get_service_event(session, event_id)
    served = (
        principal is not None
        and not principal.is_staff
        and event.served_subject is not None
        and principal.subject == event.served_subject
    )
    code_row: RatingCode | None = None
    if code:
        code_row = await session.get(RatingCode, hash_code(code))
        if code_row is None or code_row.service_event_id != event.id or code_row.used_at is not None:
            raise errors.rating_code_invalid()
        rater = principal.subject if principal is not None and not principal.is_staff else None
    else:
        if principal is None:
            raise errors.not_the_person_served()
        if not served:
            # Indistinguishable from "no such event" for anyone but the person served.
            raise errors.service_event_not_found(event_id)
        rater = principal.subject
    if now > as_utc(event.rateable_until):
        raise errors.rating_window_closed(event.id, as_utc(event.rateable_until))
    current = await current_rating(session, event.id, lock=True)
    if current is not None:
        if not served or current.rater_subject == event.served_subject:
            raise errors.already_rated(event.id)
        # The person served stands over a rating given with a code (by staff at the pad, or anyone).
        await withdraw(session, current, reason="superseded", now=now)
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
        by_code=code_row is not None and not served,
        month=event.month,
        submitted_at=now,
    )
    try:
        # A savepoint: a concurrent rating of the same event (PostgreSQL, read committed) trips
        # the unique index here and becomes a 409, not a 500.
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
    if burst is not None and event.kind == "visit" and event.staff_id:
        await flag_burst(session, clerk=event.staff_id, unit_code=event.unit_code, burst=burst, now=now)
    return rating


async def withdraw(session: AsyncSession, rating: Rating, *, reason: str, now: datetime) -> None:
    """Take a rating out of the indicators for good (superseded, or forged), closing its case."""
    case = (
        await session.execute(select(BadReviewCase).where(BadReviewCase.rating_id == rating.id))
    ).scalar_one_or_none()
    counted = not rating.excluded
    if reason == "superseded":
        rating.superseded_at = now
    rating.excluded = True
    rating.held = False
    await session.flush()  # the superseded rating leaves the unique index before its successor comes
    await publish_counted(
        session,
        RatingWithdrawn(
            rating_id=rating.id,
            service_event_id=rating.service_event_id,
            service_kind=(await get_service_event(session, rating.service_event_id)).kind,
            reason=reason,
            level=rating.level,
            item_code=rating.item_code,
            unit_code=rating.unit_code,
            window_code=rating.window_code,
            staff_id=rating.staff_id,
            month=rating.month,
            counted=counted,
            # What an upheld appeal already undid is not undone twice (`counted` is false then).
            called_back=case is not None and case.called_back_at is not None,
            rectified=case is not None and case.rectified_at is not None,
            explained=case is not None and case.resolution == "explain",
            response_level=case.response_level if case is not None else None,
            withdrawn_at=now,
        ),
    )
    if case is not None and not case.closed:
        await close_withdrawn(session, case, reason=reason, now=now)


async def flag_burst(
    session: AsyncSession, *, clerk: str, unit_code: str, burst: Burst, now: datetime
) -> RatingFlag | None:
    """Flag the ratings on `clerk`'s window visits when `burst.ratings` came within `burst.minutes`.

    Every rating in force of those visits in the span joins the clerk's open flag (or a new one) and
    is held out of the rankings until the evaluation office decides (`decide_flag`).
    """
    since = now - timedelta(minutes=burst.minutes)
    in_span = (
        select(Rating.id)
        .join(ServiceEvent, ServiceEvent.id == Rating.service_event_id)
        .where(
            Rating.staff_id == clerk,  # the event's staff member, copied: indexed with the time
            Rating.submitted_at >= since,
            ServiceEvent.kind == "visit",
            Rating.superseded_at.is_(None),
            Rating.excluded.is_(False),
        )
    )
    count = select(func.count()).select_from(in_span.subquery())
    if int((await session.execute(count)).scalar_one()) < burst.ratings:
        return None
    # Only those not in a flag yet: the ones an earlier burst flagged (or the office decided) stay.
    loose = (
        (
            await session.execute(
                select(Rating)
                .where(Rating.id.in_(in_span), Rating.flag_id.is_(None))
                .order_by(Rating.submitted_at, Rating.id)
            )
        )
        .scalars()
        .all()
    )
    # Two raters at once may each open a flag for the clerk: the office sees both; later ratings
    # join the older one.
    flag = (
        await session.execute(
            select(RatingFlag)
            .where(RatingFlag.staff_id == clerk, RatingFlag.status == "open")
            .order_by(RatingFlag.created_at, RatingFlag.id)
            .limit(1)
        )
    ).scalar_one_or_none()
    if flag is None:
        flag = RatingFlag(
            staff_id=clerk,
            unit_code=unit_code,
            status="open",
            first_at=as_utc(loose[0].submitted_at) if loose else now,
            last_at=now,
            created_at=now,
        )
        session.add(flag)
        await session.flush()
    for rating in loose:
        rating.flag_id = flag.id
        rating.held = True
    flag.last_at = now
    return flag


async def decide_flag(
    session: AsyncSession, flag: RatingFlag, *, actor: Principal, genuine: bool, note: str, now: datetime
) -> RatingFlag:
    """The evaluation office decides a flag: genuine ratings count in the rankings again; forged ones
    leave the indicators (kept, never deleted) and their cases close as withdrawn."""
    if flag.status != "open":
        raise errors.flag_decided(flag.id, flag.status)
    held = (
        (await session.execute(select(Rating).where(Rating.flag_id == flag.id, Rating.held.is_(True))))
        .scalars()
        .all()
    )
    for rating in held:
        if genuine:
            rating.held = False
        else:
            await withdraw(session, rating, reason="forged", now=now)
    flag.status = "cleared" if genuine else "rejected"
    flag.decided_by = actor.subject
    flag.decided_at = now
    flag.note = note
    return flag
