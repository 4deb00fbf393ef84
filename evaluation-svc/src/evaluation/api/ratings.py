"""Routes: service events, rating codes, ratings, guide views."""

from __future__ import annotations

from typing import cast

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import select

from yiwang_shared.auth import OptionalPrincipal, Principal
from yiwang_shared.db import SessionDep
from yiwang_shared.links import set_location
from yiwang_shared.openapi import created
from yiwang_shared.orm import as_utc, new_id, utcnow
from yiwang_shared.pagination import PageQuery

from .. import errors
from ..config import Settings
from ..events import GuideViewed
from ..indicators import publish_counted
from ..models import Rating, ServiceEvent
from ..schemas import (
    GuideViewCreate,
    GuideViewRead,
    RatingCodeRead,
    RatingCreate,
    RatingPage,
    RatingRead,
    ServiceEventPage,
    ServiceEventRead,
    WindowVisitCreate,
)
from ..services import ratings as svc
from ..services.cases import unit_visible, visible_to
from ..sources import month_of
from ..sources.identity import parent_code_of
from .deps import UnitPrincipal, fetch_page

router = APIRouter(prefix="/v1", tags=["ratings"])


def _settings(request: Request) -> Settings:
    return cast(Settings, request.app.state.settings)


def _event_read(e: ServiceEvent) -> ServiceEventRead:
    return ServiceEventRead.model_validate(e, from_attributes=True)


def _staff_sees(principal: Principal, unit_code: str, window_code: str | None) -> bool:
    return unit_visible(principal, unit_code) or bool(window_code and unit_visible(principal, window_code))


@router.post(
    "/window-visits",
    status_code=201,
    response_model=RatingCodeRead,
    responses=created("The service event registered and its one-time rating code; Location names the event."),
)
async def window_visits_create(
    body: WindowVisitCreate,
    session: SessionDep,
    principal: UnitPrincipal,
    request: Request,
    response: Response,
) -> RatingCodeRead:
    """A window clerk registers a window visit (一次一评) and gets its one-time rating code."""
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
            # A window belongs to its centre or department: that unit answers for it.
            "unit_code": body.unit_code or await parent_code_of(session, window) or window,
            "window_code": window,
            "staff_id": principal.subject,
            "served_subject": body.served_subject,
            "served_at": utcnow(),
        },
        rating_window_days=_settings(request).rating_window_days,
    )
    code = await svc.issue_code(session, event, issued_by=principal.subject)
    set_location(response, f"/v1/service-events/{event.id}")
    return RatingCodeRead(service_event=_event_read(event), rating_code=code)


@router.get("/service-events", response_model=ServiceEventPage)
async def service_events_find(
    session: SessionDep,
    principal: UnitPrincipal,
    page: PageQuery,
    source_id: str = Query(min_length=1, max_length=64, description="Application, ticket or visit id."),
) -> ServiceEventPage:
    """Staff find the service event of an application or ticket (to issue a rating code)."""
    stmt = (
        select(ServiceEvent)
        .where(
            ServiceEvent.source_id == source_id,
            visible_to(principal, ServiceEvent.unit_code, ServiceEvent.window_code),
        )
        .order_by(ServiceEvent.kind, ServiceEvent.id)
    )
    rows, total = await fetch_page(session, stmt, page)
    return ServiceEventPage(
        items=[_event_read(e) for e in rows], total=total, limit=page.limit, offset=page.offset
    )


@router.get("/service-events/mine", response_model=ServiceEventPage)
async def service_events_mine(
    session: SessionDep, principal: UnitPrincipal, page: PageQuery
) -> ServiceEventPage:
    """The services the caller was served with (to rate them), newest first."""
    stmt = (
        select(ServiceEvent)
        .where(ServiceEvent.served_subject == principal.subject)
        .order_by(ServiceEvent.served_at.desc(), ServiceEvent.id)
    )
    rows, total = await fetch_page(session, stmt, page)
    return ServiceEventPage(
        items=[_event_read(e) for e in rows], total=total, limit=page.limit, offset=page.offset
    )


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
    return _event_read(event)


@router.post(
    "/service-events/{event_id}/rating-codes",
    status_code=201,
    response_model=RatingCodeRead,
    responses=created("A one-time rating code; Location names the event it rates (the code is shown once)."),
)
async def rating_codes_issue(
    event_id: str, session: SessionDep, principal: UnitPrincipal, response: Response
) -> RatingCodeRead:
    """Staff of the unit that served issue a one-time rating code (for a device, QR code or SMS)."""
    event = await session.get(ServiceEvent, event_id)
    if event is None or not _staff_sees(principal, event.unit_code, event.window_code):
        raise errors.service_event_not_found(event_id)
    code = await svc.issue_code(session, event, issued_by=principal.subject)
    set_location(response, f"/v1/service-events/{event.id}")
    return RatingCodeRead(service_event=_event_read(event), rating_code=code)


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
    """Rate a service once: as the person served (token) or with a one-time rating code."""
    rating = await svc.submit_rating(
        session,
        event_id=event_id,
        principal=principal,
        code=body.code,
        level=int(body.level),
        channel=body.channel.value,
        aspects=body.aspects,
        comment=body.comment,
        case_deadline_days=_settings(request).case_deadline_working_days,
    )
    set_location(response, f"/v1/ratings/{rating.id}")
    return RatingRead.model_validate(rating, from_attributes=True)


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
        items=[RatingRead.model_validate(r, from_attributes=True) for r in rows],
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
    return RatingRead.model_validate(rating, from_attributes=True)


@router.post("/guide-views", status_code=202, response_model=GuideViewRead)
async def guide_views_report(body: GuideViewCreate, session: SessionDep) -> GuideViewRead:
    """Report that an item's guide was viewed (for the guide → application conversion)."""
    at = as_utc(body.viewed_at) if body.viewed_at else utcnow()
    view = GuideViewed(item_code=body.item_code, month=month_of(at), viewed_at=at)
    await publish_counted(session, view)
    return GuideViewRead(item_code=view.item_code, month=view.month, viewed_at=view.viewed_at)
