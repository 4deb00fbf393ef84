"""Service events, rating codes and ratings (一事一评); the served person's rating over a code rating;
bursts of ratings on one clerk's visits flagged for the evaluation office."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.lifecycle import TransitionRefused
from yiwang_shared.orm import as_utc, new_id, utcnow
from yiwang_shared.pagination import PageParams

from .. import errors
from ..clients import intake, month_of
from ..events import RatingSubmitted, RatingWithdrawn, ServiceRegistered, ServiceVisitsCounted
from ..lifecycles import FLAG
from ..models import Rating, RatingCode, RatingFlag, ServiceEvent, new_pseudonym
from ..repositories.cases import BadReviewCaseRepository
from ..repositories.ratings import RatingCodeRepository, RatingFlagRepository, RatingRepository
from ..repositories.service_events import ServiceEventRepository
from .cases import close_withdrawn, open_case, unit_scope, unit_visible
from .indicators import publish_counted
from .read_models import item_name, parent_code_of, staff_names

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
    session: AsyncSession,
    *,
    fields: dict[str, Any],
    rating_window_days: int,
    name_item: bool = True,
    new_source: bool = False,
) -> ServiceEvent:
    """Create the rateable service event (idempotent on kind + source id) and announce it.

    With `name_item` the item's name comes from the catalogue's read model when it is there;
    `new_source` says the source id was made just now (a window visit's), so no event can have it.
    """
    repo = ServiceEventRepository(session)
    existing = None if new_source else await repo.find_by_source(fields["kind"], fields["source_id"])
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
    repo.add(event)
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


def staff_sees(principal: Principal, unit_code: str, window_code: str | None) -> bool:
    """True if the principal is staff of the unit or window that served (or the evaluation office)."""
    return unit_visible(principal, unit_code) or bool(window_code and unit_visible(principal, window_code))


async def _visit_unit(session: AsyncSession, window: str, asked: str | None) -> str:
    """The unit a clerk's visit is registered for: the window's unit by default; the window itself or
    that unit when named; any other unit is refused (a clerk cannot open cases against another unit)."""
    parent = await parent_code_of(session, window)
    by_code = window.rsplit("-", 1)[0] if "-" in window else None  # 110105-MZJ-W01 → 110105-MZJ
    if asked is None:
        return parent or window
    if asked in {window, parent, by_code}:
        return asked
    raise errors.visit_unit_forbidden(asked, window)


async def register_visit(
    session: AsyncSession,
    *,
    clerk: Principal,
    window: str,
    unit_code: str | None,
    item_code: str | None,
    item_name: str | None,
    served_subject: str | None,
    rating_window_days: int,
) -> ServiceEvent:
    """A window clerk's visit (一次一评) of their window, for their window's unit (or one they name
    that the window belongs to)."""
    return await register_service_event(
        session,
        fields={
            "kind": "visit",
            "source_id": new_id(),
            "reference_no": None,
            "item_code": item_code,
            "item_name": item_name,
            "unit_code": await _visit_unit(session, window, unit_code),
            "window_code": window,
            "staff_id": clerk.subject,
            "served_subject": served_subject,
            "served_at": utcnow(),
        },
        rating_window_days=rating_window_days,
        new_source=True,
    )


async def get_visible_service_event(
    session: AsyncSession, event_id: str, *, viewer: Principal
) -> tuple[ServiceEvent, Rating | None]:
    """The service event and its rating in force, for the person served and the staff of the unit or
    window that served; else 404."""
    event = await ServiceEventRepository(session).find(event_id)
    if event is None or not (
        (event.served_subject is not None and event.served_subject == viewer.subject)
        or staff_sees(viewer, event.unit_code, event.window_code)
    ):
        raise errors.service_event_not_found(event_id)
    return event, await current_rating(session, event.id)


async def service_events_of_source(
    session: AsyncSession, *, source_id: str, viewer: Principal, page: PageParams
) -> tuple[list[tuple[ServiceEvent, Rating | None]], int]:
    """A page of the service events of an application, ticket or visit that the viewer's unit (or
    window) served, each with its rating in force, and how many there are."""
    return await ServiceEventRepository(session).page_of_source(
        source_id, scope=await unit_scope(session, viewer), page=page
    )


async def service_events_served(
    session: AsyncSession, *, viewer: Principal, rated: bool | None, page: PageParams
) -> tuple[list[tuple[ServiceEvent, Rating | None]], int]:
    """A page of the services the viewer was served with, newest first (only rated, or only not
    rated ones, when `rated` says), each with its rating in force, and how many there are."""
    return await ServiceEventRepository(session).page_of_served(viewer.subject, rated=rated, page=page)


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
    event = await ServiceEventRepository(session).find_by_source(
        "application", delivered.application_id, for_update=True
    )
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
    RatingCodeRepository(session).add(
        RatingCode(code_hash=hash_code(code), service_event_id=event.id, issued_by=issued_by)
    )
    await session.flush()
    return code


async def get_service_event(session: AsyncSession, event_id: str) -> ServiceEvent:
    """The service event, or 404."""
    event = await ServiceEventRepository(session).find(event_id)
    if event is None:
        raise errors.service_event_not_found(event_id)
    return event


async def current_rating(session: AsyncSession, event_id: str, *, lock: bool = False) -> Rating | None:
    """The rating in force of a service event (not superseded), if any."""
    return await RatingRepository(session).current_of(event_id, lock=lock)


async def _rater(
    session: AsyncSession,
    event: ServiceEvent,
    *,
    principal: Principal | None,
    code: str | None,
    now: datetime,
) -> tuple[str | None, bool, bool]:
    """(who rates, whether with a code, whether the rater is the person served); refuses anyone else.

    A code is marked used at `now` as it is checked (one statement); a refusal later in the step
    rolls that back with the rest."""
    served = (
        principal is not None
        and not principal.is_staff
        and event.served_subject is not None
        and principal.subject == event.served_subject
    )
    if code:
        if not await RatingCodeRepository(session).claim(hash_code(code), event_id=event.id, at=now):
            raise errors.rating_code_invalid()
        rater = principal.subject if principal is not None and not principal.is_staff else None
        return rater, True, served
    if principal is None:
        raise errors.not_the_person_served()
    if not served:
        # Indistinguishable from "no such event" for anyone but the person served.
        raise errors.service_event_not_found(event.id)
    return principal.subject, False, served


def _submitted(rating: Rating, event: ServiceEvent) -> RatingSubmitted:
    """The event announcing a new rating (never the rater)."""
    return RatingSubmitted(
        rating_id=rating.id,
        service_event_id=event.id,
        service_kind=event.kind,
        source_id=event.source_id,
        level=rating.level,
        channel=rating.channel,
        item_code=event.item_code,
        unit_code=event.unit_code,
        window_code=event.window_code,
        staff_id=event.staff_id,
        real_name=rating.real_name,
        month=event.month,
        submitted_at=rating.submitted_at,
    )


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
    since = now - timedelta(minutes=burst.minutes) if burst is not None else None
    # The event, its rating in force and the clerk's ratings in the burst span: one statement.
    found = await ServiceEventRepository(session).find_for_rating(event_id, burst_since=since)
    if found is None:
        raise errors.service_event_not_found(event_id)
    event, current, in_span = found
    rater, by_code, served = await _rater(session, event, principal=principal, code=code, now=now)
    if now > as_utc(event.rateable_until):
        raise errors.rating_window_closed(event.id, as_utc(event.rateable_until))
    if current is not None:
        current = await RatingRepository(session).relock(current)
    if current is not None:
        if not served or current.rater_subject == event.served_subject:
            raise errors.already_rated(event.id)
        # The person served stands over a rating given with a code (by staff at the pad, or anyone).
        in_span -= _in_span(current, event, since)
        await withdraw(session, current, reason="superseded", now=now)
    rating = _new_rating(event, level=level, channel=channel, aspects=aspects, comment=comment, now=now)
    rating.rater_subject = rater
    rating.real_name = rater is not None
    rating.by_code = by_code and not served
    # A concurrent rating of the same event (PostgreSQL, read committed) is a 409, not a 500.
    if not await RatingRepository(session).add_unique(rating):
        raise errors.already_rated(event.id)
    submitted = _submitted(rating, event)
    if level >= 4:  # the case's event goes out with the rating's, in one statement
        await open_case(
            session,
            rating=rating,
            event=event,
            deadline_days=case_deadline_days,
            now=now,
            preceding=[submitted],
        )
    else:
        await publish_counted(session, submitted)
    if burst is not None and event.kind == "visit" and event.staff_id:
        # The span's count was taken before this rating: it counts too.
        await flag_burst(
            session,
            clerk=event.staff_id,
            unit_code=event.unit_code,
            burst=burst,
            now=now,
            in_span=in_span + 1,
        )
    return rating


def _in_span(rating: Rating, event: ServiceEvent, since: datetime | None) -> int:
    """1 if `rating` (in force, of `event`) is one the burst span counts, else 0."""
    counts = (
        since is not None
        and event.kind == "visit"
        and rating.staff_id is not None
        and rating.staff_id == event.staff_id
        and as_utc(rating.submitted_at) >= since
        and rating.superseded_at is None
        and not rating.excluded
    )
    return int(counts)


def _new_rating(
    event: ServiceEvent, *, level: int, channel: str, aspects: list[str], comment: str | None, now: datetime
) -> Rating:
    """A new rating of `event`, every column set (it is inserted as it is: no defaults fill it in)."""
    return Rating(
        id=new_id(),
        service_event_id=event.id,
        level=level,
        channel=channel,
        aspects=aspects,
        comment=comment,
        item_code=event.item_code,
        unit_code=event.unit_code,
        window_code=event.window_code,
        staff_id=event.staff_id,
        rater_subject=None,
        real_name=False,
        pseudonym=new_pseudonym(),
        month=event.month,
        excluded=False,
        submitted_at=now,
        by_code=False,
        superseded_at=None,
        flag_id=None,
        held=False,
    )


async def withdraw(session: AsyncSession, rating: Rating, *, reason: str, now: datetime) -> None:
    """Take a rating out of the indicators for good (superseded, or forged), closing its case."""
    case = await BadReviewCaseRepository(session).find_by_rating(rating.id)
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
    session: AsyncSession,
    *,
    clerk: str,
    unit_code: str,
    burst: Burst,
    now: datetime,
    in_span: int | None = None,
) -> RatingFlag | None:
    """Flag the ratings on `clerk`'s window visits when `burst.ratings` came within `burst.minutes`.

    Every rating in force of those visits in the span joins the clerk's open flag (or a new one) and
    is held out of the rankings until the evaluation office decides (`decide_flag`). `in_span`: how
    many there are, when the caller counted them.
    """
    since = now - timedelta(minutes=burst.minutes)
    ratings = RatingRepository(session)
    if in_span is None:
        in_span = await ratings.count_on_visits_of(clerk, since=since)
    if in_span < burst.ratings:
        return None
    # Only those not in a flag yet: the ones an earlier burst flagged (or the office decided) stay.
    loose = await ratings.unflagged_on_visits_of(clerk, since=since)
    # Two raters at once may each open a flag for the clerk: the office sees both; later ratings
    # join the older one.
    flags = RatingFlagRepository(session)
    flag = await flags.oldest_open_of(clerk)
    if flag is None:
        flag = RatingFlag(
            staff_id=clerk,
            unit_code=unit_code,
            status="open",
            first_at=as_utc(loose[0].submitted_at) if loose else now,
            last_at=now,
            created_at=now,
        )
        flags.add(flag)
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
    try:
        decided = FLAG.target(flag.status, "clear" if genuine else "reject")
    except TransitionRefused:
        raise errors.flag_decided(flag.id, flag.status) from None
    held = await RatingRepository(session).held_by_flag(flag.id)
    for rating in held:
        if genuine:
            rating.held = False
        else:
            await withdraw(session, rating, reason="forged", now=now)
    flag.status = decided
    flag.decided_by = actor.subject
    flag.decided_at = now
    flag.note = note
    return flag


async def get_flag(session: AsyncSession, flag_id: str) -> RatingFlag:
    """The flag, or 404."""
    flag = await RatingFlagRepository(session).find(flag_id)
    if flag is None:
        raise errors.flag_not_found(flag_id)
    return flag


async def list_flags(
    session: AsyncSession, *, status: str | None, page: PageParams
) -> tuple[list[RatingFlag], int]:
    """A page of the flags (in one state, if given), newest first, and how many there are."""
    return await RatingFlagRepository(session).page(status=status, page=page)


@dataclass(frozen=True)
class FlagDetails:
    """What a list of flags shows beside each flag: its ratings, and the clerk's name."""

    rating_ids: dict[str, list[str]]  # flag id → its ratings, oldest first
    staff_names: dict[str, str]  # staff id → name, where known


async def flag_details(session: AsyncSession, flags: list[RatingFlag]) -> FlagDetails:
    """The ratings of each flag and the names of their clerks (one query each)."""
    if not flags:
        return FlagDetails({}, {})
    held: dict[str, list[str]] = {f.id: [] for f in flags}
    for flag_id, rating_id in await RatingRepository(session).ids_by_flag([f.id for f in flags]):
        held[flag_id].append(rating_id)
    names = await staff_names(session, {f.staff_id for f in flags})
    return FlagDetails(held, names)


async def get_rating(session: AsyncSession, rating_id: str, *, viewer: Principal) -> Rating:
    """The rating, for its rater and the staff of the unit or window rated; else 404."""
    rating = await RatingRepository(session).find(rating_id)
    if rating is None or not (
        (rating.rater_subject is not None and rating.rater_subject == viewer.subject)
        or staff_sees(viewer, rating.unit_code, rating.window_code)
    ):
        raise errors.rating_not_found(rating_id)
    return rating


async def ratings_of_rater(
    session: AsyncSession, *, rater: Principal, page: PageParams
) -> tuple[list[Rating], int]:
    """A page of the caller's own ratings, newest first, and how many there are."""
    return await RatingRepository(session).page_of_rater(rater.subject, page)
