"""Routes: service events, ratings, guide views."""

from __future__ import annotations

from typing import Annotated, Any, cast

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from yiwang_shared.auth import OptionalPrincipal, Principal
from yiwang_shared.db import SessionDep
from yiwang_shared.links import set_location
from yiwang_shared.openapi import created, problems
from yiwang_shared.orm import new_id, utcnow
from yiwang_shared.pagination import PageQuery

from .. import errors
from ..config import Settings
from ..models import Rating, ServiceEvent
from ..schemas import (
    GuideViewCreate,
    GuideViewRead,
    RatingCreate,
    RatingPage,
    RatingRead,
    ServiceEventPage,
    ServiceEventRead,
    WindowVisitCreate,
)
from ..services import guide_views
from ..services import ratings as svc
from ..services.cases import is_overseer, unit_visible, visible_to
from ..sources.identity import parent_code_of
from .deps import UnitPrincipal, fetch_page, fetch_rows

router = APIRouter(prefix="/v1", tags=["ratings"])


def _settings(request: Request) -> Settings:
    return cast(Settings, request.app.state.settings)


def _event_read(e: ServiceEvent, rating: Rating | None, viewer: Principal | None) -> ServiceEventRead:
    """The event as `viewer` sees it: whether it is rated (the person served and the evaluation office
    only), and the rating when the viewer gave it."""
    subject = viewer.subject if viewer is not None else None
    own = rating is not None and subject is not None and rating.rater_subject == subject
    may_know = (subject is not None and e.served_subject == subject) or (
        viewer is not None and is_overseer(viewer)
    )
    return ServiceEventRead.model_validate(
        {
            **{f: getattr(e, f) for f in ServiceEventRead.model_fields if hasattr(e, f)},
            "rated": (rating is not None) if may_know else None,
            "rating_id": rating.id if own and rating is not None else None,
            "rating_level": rating.level if own and rating is not None else None,
        }
    )


def rating_read(rating: Rating, viewer: Principal) -> RatingRead:
    """A rating as `viewer` sees it: the service rated only for its rater and the evaluation office."""
    own = rating.rater_subject is not None and rating.rater_subject == viewer.subject
    read = RatingRead.model_validate(rating, from_attributes=True)
    if own or is_overseer(viewer):
        return read
    return read.model_copy(update={"service_event_id": None})


def _with_rating(stmt: Select[Any]) -> Select[Any]:
    """Each service event with its rating in force (if any): one query, not one per row."""
    return stmt.add_columns(Rating).outerjoin(
        Rating, (Rating.service_event_id == ServiceEvent.id) & Rating.superseded_at.is_(None)
    )


async def _page_of_events(
    session: SessionDep, stmt: Select[Any], page: PageQuery, viewer: Principal
) -> ServiceEventPage:
    rows, total = await fetch_rows(session, _with_rating(stmt), page)
    return ServiceEventPage(
        items=[_event_read(e, r, viewer) for e, r in rows], total=total, limit=page.limit, offset=page.offset
    )


async def _rating_of(session: SessionDep, event: ServiceEvent) -> Rating | None:
    return await svc.current_rating(session, event.id)


def _staff_sees(principal: Principal, unit_code: str, window_code: str | None) -> bool:
    return unit_visible(principal, unit_code) or bool(window_code and unit_visible(principal, window_code))


async def _visit_unit(session: SessionDep, window: str, asked: str | None) -> str:
    """The unit a clerk's visit is registered for: the window's unit by default; the window itself or
    that unit when named; any other unit is refused (a clerk cannot open cases against another unit)."""
    parent = await parent_code_of(session, window)
    by_code = window.rsplit("-", 1)[0] if "-" in window else None  # 110105-MZJ-W01 → 110105-MZJ
    if asked is None:
        return parent or window
    if asked in {window, parent, by_code}:
        return asked
    raise errors.visit_unit_forbidden(asked, window)


@router.post(
    "/window-visits",
    status_code=201,
    response_model=ServiceEventRead,
    responses=created("The visit registered; Location names it. Its code goes to the window's pad.", 403),
)
async def window_visits_create(
    body: WindowVisitCreate,
    session: SessionDep,
    principal: UnitPrincipal,
    request: Request,
    response: Response,
) -> ServiceEventRead:
    """A window clerk registers a window visit (一次一评) of their own window; the visitor rates it at the
    window's rating pad (评价器), which fetches the one-time code — the clerk never sees it."""
    if not principal.is_staff or "window_clerk" not in principal.roles or not principal.org_unit:
        raise errors.not_window_clerk()
    window = principal.org_unit
    event = await svc.register_service_event(
        session,
        fields={
            "kind": "visit",
            "source_id": new_id(),
            "reference_no": None,
            "item_code": body.item_code,
            "item_name": body.item_name,
            "unit_code": await _visit_unit(session, window, body.unit_code),
            "window_code": window,
            "staff_id": principal.subject,
            "served_subject": body.served_subject,
            "served_at": utcnow(),
        },
        rating_window_days=_settings(request).rating_window_days,
    )
    set_location(response, f"/v1/service-events/{event.id}")
    return _event_read(event, None, principal)


@router.get("/service-events", response_model=ServiceEventPage)
async def service_events_find(
    session: SessionDep,
    principal: UnitPrincipal,
    page: PageQuery,
    source_id: str = Query(min_length=1, max_length=64, description="Application, ticket or visit id."),
) -> ServiceEventPage:
    """Staff find the service events of an application, ticket or visit of their unit (whether one was
    rated is for the person served and the evaluation office only)."""
    stmt = (
        select(ServiceEvent)
        .where(
            ServiceEvent.source_id == source_id,
            visible_to(principal, ServiceEvent.unit_code, ServiceEvent.window_code),
        )
        .order_by(ServiceEvent.kind, ServiceEvent.id)
    )
    return await _page_of_events(session, stmt, page, principal)


@router.get("/service-events/mine", response_model=ServiceEventPage)
async def service_events_mine(
    session: SessionDep,
    principal: UnitPrincipal,
    page: PageQuery,
    rated: Annotated[
        bool | None,
        Query(description="true: only those already rated (已评价); false: only those still to rate."),
    ] = None,
) -> ServiceEventPage:
    """The services the caller was served with, newest first: which are rated, and the caller's own rating."""
    stmt = (
        select(ServiceEvent)
        .where(ServiceEvent.served_subject == principal.subject)
        .order_by(ServiceEvent.served_at.desc(), ServiceEvent.id)
    )
    if rated is not None:
        given = aliased(Rating)  # not the Rating the page joins to each event
        has_rating = (
            select(given.id)
            .where(given.service_event_id == ServiceEvent.id, given.superseded_at.is_(None))
            .exists()
        )
        stmt = stmt.where(has_rating if rated else ~has_rating)
    return await _page_of_events(session, stmt, page, principal)


@router.get("/service-events/{event_id}", response_model=ServiceEventRead)
async def service_events_get(
    event_id: str, session: SessionDep, principal: UnitPrincipal
) -> ServiceEventRead:
    """One service event: for the person served and the staff of the unit or window that served."""
    event = await session.get(ServiceEvent, event_id)
    if event is None or not (
        (event.served_subject is not None and event.served_subject == principal.subject)
        or _staff_sees(principal, event.unit_code, event.window_code)
    ):
        raise errors.service_event_not_found(event_id)
    return _event_read(event, await _rating_of(session, event), principal)


@router.post(
    "/service-events/{event_id}/rating",
    status_code=201,
    response_model=RatingRead,
    responses=created("The rating; Location names it.", 409),
)
async def ratings_submit(
    event_id: str,
    body: RatingCreate,
    session: SessionDep,
    principal: OptionalPrincipal,
    request: Request,
    response: Response,
) -> RatingRead:
    """Rate a service once: as the person served (token) or with the one-time code from the window's pad.

    The person served, logged in, may rate a service that was rated with a code: their rating
    supersedes that one (本人评价优先). Ratings on one clerk's visits that come in a burst are
    flagged for the evaluation office and held out of the rankings until it decides.
    """
    settings = _settings(request)
    rating = await svc.submit_rating(
        session,
        event_id=event_id,
        principal=principal,
        code=body.code,
        level=int(body.level),
        channel=body.channel.value,
        aspects=body.aspects,
        comment=body.comment,
        case_deadline_days=settings.case_deadline_working_days,
        burst=svc.Burst(ratings=settings.burst_ratings, minutes=settings.burst_minutes),
    )
    set_location(response, f"/v1/ratings/{rating.id}")
    return RatingRead.model_validate(rating, from_attributes=True)  # its rater: the event is in the path


@router.get("/ratings/mine", response_model=RatingPage)
async def ratings_mine(session: SessionDep, principal: UnitPrincipal, page: PageQuery) -> RatingPage:
    """The caller's own ratings, newest first."""
    stmt = (
        select(Rating)
        .where(Rating.rater_subject == principal.subject)
        .order_by(Rating.submitted_at.desc(), Rating.id)
    )
    rows, total = await fetch_page(session, stmt, page)
    return RatingPage(
        items=[rating_read(r, principal) for r in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/ratings/{rating_id}", response_model=RatingRead)
async def ratings_get(rating_id: str, session: SessionDep, principal: UnitPrincipal) -> RatingRead:
    """One rating: for its rater and the staff of the unit or window rated (never who rated)."""
    rating = await session.get(Rating, rating_id)
    if rating is None or not (
        (rating.rater_subject is not None and rating.rater_subject == principal.subject)
        or _staff_sees(principal, rating.unit_code, rating.window_code)
    ):
        raise errors.rating_not_found(rating_id)
    return rating_read(rating, principal)


@router.post("/guide-views", status_code=202, response_model=GuideViewRead, responses=problems(429))
async def guide_views_report(
    body: GuideViewCreate, session: SessionDep, principal: OptionalPrincipal, request: Request
) -> GuideViewRead:
    """Report that an item's guide was viewed (for the guide → application conversion), at the server's time.

    Counted once per client (the account, else the address) and item a day; more than
    `guide_view_rate_per_minute` reports a minute from one client is a 429 with Retry-After.
    """
    view, counted = await guide_views.record_view(
        session,
        item_code=body.item_code,
        client=guide_views.client_of(principal, request),
        hash_key=_settings(request).guide_view_hash_key,
        limiter=request.app.state.guide_view_limiter,
        now=utcnow(),
    )
    return GuideViewRead(
        item_code=view.item_code, month=view.month, viewed_at=view.viewed_at, counted=counted
    )
