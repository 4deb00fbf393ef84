"""Routes: service events, ratings, guide views."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Query, Request, Response

from yiwang_shared.auth import OptionalPrincipal, Principal
from yiwang_shared.clients import address_key, forwarded_address
from yiwang_shared.db import SessionDep
from yiwang_shared.links import set_location
from yiwang_shared.openapi import created, problems
from yiwang_shared.orm import utcnow
from yiwang_shared.pagination import PageQuery

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
from ..services.cases import is_overseer
from .deps import UnitPrincipal, WindowClerk

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


def _page_of_events(
    rows: list[tuple[ServiceEvent, Rating | None]], total: int, page: PageQuery, viewer: Principal
) -> ServiceEventPage:
    return ServiceEventPage(
        items=[_event_read(e, r, viewer) for e, r in rows], total=total, limit=page.limit, offset=page.offset
    )


def _client_of(principal: Principal | None, request: Request) -> str:
    """Who reports a guide view: the account, else the (network of the) forwarded address."""
    if principal is not None:
        return f"account:{principal.subject}"
    return f"address:{address_key(forwarded_address(request))}"


@router.post(
    "/window-visits",
    status_code=201,
    response_model=ServiceEventRead,
    responses=created("The visit registered; Location names it. Its code goes to the window's pad.", 403),
)
async def window_visits_create(
    body: WindowVisitCreate,
    session: SessionDep,
    clerk: WindowClerk,
    request: Request,
    response: Response,
) -> ServiceEventRead:
    """A window clerk registers a window visit (一次一评) of their own window; the visitor rates it at the
    window's rating pad (评价器), which fetches the one-time code — the clerk never sees it."""
    event = await svc.register_visit(
        session,
        clerk=clerk.principal,
        window=clerk.window,
        unit_code=body.unit_code,
        item_code=body.item_code,
        item_name=body.item_name,
        served_subject=body.served_subject,
        rating_window_days=_settings(request).rating_window_days,
    )
    set_location(response, f"/v1/service-events/{event.id}")
    return _event_read(event, None, clerk.principal)


@router.get("/service-events", response_model=ServiceEventPage)
async def service_events_find(
    session: SessionDep,
    principal: UnitPrincipal,
    page: PageQuery,
    source_id: str = Query(min_length=1, max_length=64, description="Application, ticket or visit id."),
) -> ServiceEventPage:
    """Staff find the service events of an application, ticket or visit of their unit (whether one was
    rated is for the person served and the evaluation office only)."""
    rows, total = await svc.service_events_of_source(
        session, source_id=source_id, viewer=principal, page=page
    )
    return _page_of_events(rows, total, page, principal)


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
    rows, total = await svc.service_events_served(session, viewer=principal, rated=rated, page=page)
    return _page_of_events(rows, total, page, principal)


@router.get("/service-events/{event_id}", response_model=ServiceEventRead)
async def service_events_get(
    event_id: str, session: SessionDep, principal: UnitPrincipal
) -> ServiceEventRead:
    """One service event: for the person served and the staff of the unit or window that served."""
    event, rating = await svc.get_visible_service_event(session, event_id, viewer=principal)
    return _event_read(event, rating, principal)


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
    rows, total = await svc.ratings_of_rater(session, rater=principal, page=page)
    return RatingPage(
        items=[rating_read(r, principal) for r in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/ratings/{rating_id}", response_model=RatingRead)
async def ratings_get(rating_id: str, session: SessionDep, principal: UnitPrincipal) -> RatingRead:
    """One rating: for its rater and the staff of the unit or window rated (never who rated)."""
    return rating_read(await svc.get_rating(session, rating_id, viewer=principal), principal)


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
        client=_client_of(principal, request),
        hash_key=_settings(request).guide_view_hash_key,
        limiter=request.app.state.guide_view_limiter,
        now=utcnow(),
    )
    return GuideViewRead(
        item_code=view.item_code, month=view.month, viewed_at=view.viewed_at, counted=counted
    )
