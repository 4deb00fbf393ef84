"""Routes: service events, rating codes, ratings, guide views."""

from __future__ import annotations

from typing import cast

from fastapi import APIRouter, Query, Request
from sqlalchemy import select

from yiwang_shared.auth import OptionalPrincipal
from yiwang_shared.db import SessionDep
from yiwang_shared.errors import Forbidden
from yiwang_shared.orm import as_utc, new_id, utcnow

from ..config import Settings
from ..events import GuideViewed
from ..indicators import publish_counted
from ..models import Rating, ServiceEvent
from ..schemas import (
    GuideView,
    IssuedCode,
    RatingCreate,
    RatingRead,
    ServiceEventRead,
    WindowVisitCreate,
)
from ..services import ratings as svc
from ..services.cases import unit_visible
from ..sources import month_of
from ..sources.identity import parent_code_of
from .deps import UnitPrincipal

router = APIRouter(prefix="/v1", tags=["ratings"])


def _settings(request: Request) -> Settings:
    return cast(Settings, request.app.state.settings)


def _event_read(e: ServiceEvent) -> ServiceEventRead:
    return ServiceEventRead.model_validate(e, from_attributes=True)


@router.post("/window-visits", status_code=201, response_model=IssuedCode)
async def window_visits_create(
    body: WindowVisitCreate, session: SessionDep, principal: UnitPrincipal, request: Request
) -> IssuedCode:
    """A window clerk registers a window visit (一次一评) and gets its one-time rating code."""
    if not principal.is_staff or "window_clerk" not in principal.roles or not principal.org_unit:
        raise Forbidden(
            "Only window clerks (window_clerk) register window visits.", code="evaluation.not_window_clerk"
        )
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
    return IssuedCode(service_event=_event_read(event), rating_code=code)


@router.post("/service-events/{event_id}/rating-codes", status_code=201, response_model=IssuedCode)
async def rating_codes_issue(event_id: str, session: SessionDep, principal: UnitPrincipal) -> IssuedCode:
    """Staff of the unit that served issue a one-time rating code (for a device, QR code or SMS)."""
    event = await session.get(ServiceEvent, event_id)
    if event is None or (
        not unit_visible(principal, event.unit_code)
        and not (event.window_code and unit_visible(principal, event.window_code))
    ):
        raise svc.errors.service_event_not_found(event_id)
    code = await svc.issue_code(session, event, issued_by=principal.subject)
    return IssuedCode(service_event=_event_read(event), rating_code=code)


@router.get("/service-events", response_model=list[ServiceEventRead])
async def service_events_find(
    session: SessionDep,
    principal: UnitPrincipal,
    source_id: str = Query(min_length=1, max_length=64, description="Application, ticket or visit id."),
) -> list[ServiceEventRead]:
    """Staff find the service event of an application or ticket (to issue a rating code)."""
    rows = await session.execute(select(ServiceEvent).where(ServiceEvent.source_id == source_id))
    return [
        _event_read(e)
        for e in rows.scalars()
        if unit_visible(principal, e.unit_code) or (e.window_code and unit_visible(principal, e.window_code))
    ]


@router.get("/service-events/mine", response_model=list[ServiceEventRead])
async def service_events_mine(session: SessionDep, principal: UnitPrincipal) -> list[ServiceEventRead]:
    """The services the caller was served with (to rate them)."""
    rows = await session.execute(
        select(ServiceEvent)
        .where(ServiceEvent.served_subject == principal.subject)
        .order_by(ServiceEvent.served_at.desc())
        .limit(200)
    )
    return [_event_read(e) for e in rows.scalars()]


@router.post("/service-events/{event_id}/rating", status_code=201, response_model=RatingRead)
async def ratings_submit(
    event_id: str, body: RatingCreate, session: SessionDep, principal: OptionalPrincipal, request: Request
) -> RatingRead:
    """Rate a service once: as the person served (token) or with a one-time rating code."""
    rating = await svc.submit_rating(
        session,
        event_id=event_id,
        principal=principal,
        code=body.code,
        level=body.level,
        channel=body.channel,
        aspects=body.aspects,
        comment=body.comment,
        case_deadline_days=_settings(request).case_deadline_working_days,
    )
    return RatingRead.model_validate(rating, from_attributes=True)


@router.get("/ratings/mine", response_model=list[RatingRead])
async def ratings_mine(session: SessionDep, principal: UnitPrincipal) -> list[RatingRead]:
    """The caller's own ratings."""
    rows = await session.execute(
        select(Rating).where(Rating.rater_subject == principal.subject).order_by(Rating.submitted_at.desc())
    )
    return [RatingRead.model_validate(r, from_attributes=True) for r in rows.scalars()]


@router.post("/guide-views", status_code=202)
async def guide_views_report(body: GuideView, session: SessionDep) -> dict[str, str]:
    """Report that an item's guide was viewed (for the guide → application conversion)."""
    at = as_utc(body.viewed_at) if body.viewed_at else utcnow()
    await publish_counted(session, GuideViewed(item_code=body.item_code, month=month_of(at), viewed_at=at))
    return {"status": "recorded"}
