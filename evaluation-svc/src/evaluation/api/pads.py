"""Routes: rating pads (评价器) and burst flags (疑似刷评) — the evaluation office's tools against
forged ratings (issue 15, point 2)."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Path, Query, Request, Response
from sqlalchemy import select

from yiwang_shared.auth import Principal
from yiwang_shared.db import SessionDep
from yiwang_shared.links import set_location
from yiwang_shared.openapi import created, problems
from yiwang_shared.orm import utcnow
from yiwang_shared.pagination import PageQuery

from .. import errors
from ..config import Settings
from ..models import Rating, RatingCode, RatingDevice, RatingFlag, ServiceEvent, StaffMember
from ..schemas import (
    RatingCodeCreate,
    RatingCodeRead,
    RatingCodeServiceRead,
    RatingDeviceCreate,
    RatingDevicePage,
    RatingDeviceRead,
    RatingDeviceSecretRead,
    RatingFlagPage,
    RatingFlagRead,
    RatingFlagStatus,
    RatingFlagUpdate,
    ServiceKind,
)
from ..services import pads
from ..services import ratings as rating_svc
from ..services.cases import is_overseer
from .deps import UnitPrincipal, fetch_page

router = APIRouter(prefix="/v1", tags=["rating-pads"])

#: Who registers and retires pads and decides flags: the evaluation office.
OFFICE = frozenset({"evaluator", "admin"})


def _office(principal: Principal) -> None:
    if not principal.is_staff or not principal.has_any_role(OFFICE):
        raise errors.not_office()


def _overseer(principal: Principal) -> None:
    if not is_overseer(principal):
        raise errors.not_office()


@router.post(
    "/rating-devices",
    status_code=201,
    response_model=RatingDeviceSecretRead,
    responses=created("The pad and its secret, shown once; Location names the pad."),
)
async def rating_devices_register(
    body: RatingDeviceCreate, session: SessionDep, principal: UnitPrincipal, response: Response
) -> RatingDeviceSecretRead:
    """The evaluation office registers a window's rating pad (评价器) and gets its secret, once."""
    _office(principal)
    device, secret = await pads.register_device(
        session, window_code=body.window_code, label=body.label, actor=principal, now=utcnow()
    )
    set_location(response, f"/v1/rating-devices/{device.id}")
    return RatingDeviceSecretRead(device=RatingDeviceRead.model_validate(device), secret=secret)


@router.get("/rating-devices", response_model=RatingDevicePage)
async def rating_devices_list(
    session: SessionDep,
    principal: UnitPrincipal,
    page: PageQuery,
    window_code: Annotated[str | None, Query(max_length=64, description="Only this window's pads.")] = None,
) -> RatingDevicePage:
    """The rating pads, by window (evaluators, supervisors, administrators)."""
    _overseer(principal)
    stmt = select(RatingDevice).order_by(
        RatingDevice.window_code, RatingDevice.registered_at, RatingDevice.id
    )
    if window_code is not None:
        stmt = stmt.where(RatingDevice.window_code == window_code)
    rows, total = await fetch_page(session, stmt, page)
    return RatingDevicePage(
        items=[RatingDeviceRead.model_validate(d) for d in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/rating-devices/{device_id}", response_model=RatingDeviceRead, responses=problems(404))
async def rating_devices_get(
    device_id: str, session: SessionDep, principal: UnitPrincipal
) -> RatingDeviceRead:
    """One rating pad (evaluators, supervisors, administrators)."""
    _overseer(principal)
    return RatingDeviceRead.model_validate(await pads.get_device(session, device_id))


@router.post("/rating-devices/{device_id}/retire", response_model=RatingDeviceRead, responses=problems(404))
async def rating_devices_retire(
    device_id: str, session: SessionDep, principal: UnitPrincipal
) -> RatingDeviceRead:
    """Retire a pad (停用: lost, replaced, its secret known to staff); it gets no code any more."""
    _office(principal)
    device = await pads.get_device(session, device_id)
    if device.retired_at is None:
        device.retired_at = utcnow()
    return RatingDeviceRead.model_validate(device)


@router.post(
    "/rating-devices/{device_id}/code",
    response_model=RatingCodeRead,
    responses=problems(401, 404),
)
async def rating_devices_code(
    device_id: str, body: RatingCodeCreate, session: SessionDep, request: Request
) -> RatingCodeRead:
    """The pad, with its secret, gets a one-time code for its window's latest visit still to rate (or
    the visit the window's terminal names).

    No login: the pad's secret is the credential (a wrong one, or a retired pad, is a 401). The
    code goes to the person at the counter, never to the clerk.
    """
    settings = cast(Settings, request.app.state.settings)
    event, code = await pads.code_for_pad(
        session,
        device_id=device_id,
        secret=body.secret,
        event_id=body.service_event_id,
        visit_minutes=settings.pad_visit_minutes,
        now=utcnow(),
    )
    return RatingCodeRead(
        service_event_id=event.id,
        window_code=event.window_code or "",
        item_name=event.item_name,
        served_at=event.served_at,
        rateable_until=event.rateable_until,
        rating_code=code,
        rating_path=f"/rate/{code}",
    )


@router.get("/rating-codes/{code}", response_model=RatingCodeServiceRead, responses=problems(404))
async def rating_codes_get(
    code: Annotated[str, Path(min_length=1, max_length=20, description="The one-time rating code.")],
    session: SessionDep,
) -> RatingCodeServiceRead:
    """What a one-time rating code rates (no login: the code is the credential), so the portal's
    `/rate/<code>` page can show the service and rate it with `POST /service-events/{id}/rating`
    and the code. An unknown or used code is a 404; the code stays unused until that rating."""
    row = await session.get(RatingCode, rating_svc.hash_code(code))
    event = await session.get(ServiceEvent, row.service_event_id) if row is not None else None
    if row is None or row.used_at is not None or event is None:
        raise errors.rating_code_not_found()
    return RatingCodeServiceRead(
        service_event_id=event.id,
        kind=ServiceKind(event.kind),
        item_name=event.item_name,
        unit_code=event.unit_code,
        window_code=event.window_code,
        served_at=event.served_at,
        rateable_until=event.rateable_until,
    )


async def _flag_reads(session: SessionDep, flags: list[RatingFlag]) -> list[RatingFlagRead]:
    if not flags:
        return []
    ids = [f.id for f in flags]
    held: dict[str, list[str]] = {i: [] for i in ids}
    found = await session.execute(
        select(Rating.flag_id, Rating.id)
        .where(Rating.flag_id.in_(ids))
        .order_by(Rating.submitted_at, Rating.id)
    )
    for flag_id, rating_id in found.all():
        if flag_id is not None:
            held[flag_id].append(rating_id)
    names = dict(
        (
            await session.execute(
                select(StaffMember.id, StaffMember.name).where(
                    StaffMember.id.in_({f.staff_id for f in flags})
                )
            )
        ).all()
    )
    return [
        RatingFlagRead(
            id=f.id,
            staff_id=f.staff_id,
            staff_name=names.get(f.staff_id),
            unit_code=f.unit_code,
            status=RatingFlagStatus(f.status),
            first_at=f.first_at,
            last_at=f.last_at,
            ratings=len(held[f.id]),
            rating_ids=held[f.id],
            decided_by=f.decided_by,
            decided_at=f.decided_at,
            note=f.note,
        )
        for f in flags
    ]


@router.get("/rating-flags", response_model=RatingFlagPage)
async def rating_flags_list(
    session: SessionDep,
    principal: UnitPrincipal,
    page: PageQuery,
    status: Annotated[RatingFlagStatus | None, Query(description="Only flags in this state.")] = None,
) -> RatingFlagPage:
    """Bursts of ratings on one clerk's window visits (疑似刷评), newest first (evaluators, supervisors,
    administrators); an open flag's ratings are held out of the rankings."""
    _overseer(principal)
    stmt = select(RatingFlag).order_by(RatingFlag.created_at.desc(), RatingFlag.id)
    if status is not None:
        stmt = stmt.where(RatingFlag.status == status.value)
    rows, total = await fetch_page(session, stmt, page)
    return RatingFlagPage(
        items=await _flag_reads(session, rows), total=total, limit=page.limit, offset=page.offset
    )


@router.post("/rating-flags/{flag_id}/decision", response_model=RatingFlagRead, responses=problems(404, 409))
async def rating_flags_decide(
    flag_id: str, body: RatingFlagUpdate, session: SessionDep, principal: UnitPrincipal
) -> RatingFlagRead:
    """The evaluation office decides a flag (核定): genuine ratings return to the rankings, forged ones
    leave the indicators (kept, never deleted)."""
    _office(principal)
    flag = await session.get(RatingFlag, flag_id)
    if flag is None:
        raise errors.flag_not_found(flag_id)
    await rating_svc.decide_flag(
        session, flag, actor=principal, genuine=body.genuine, note=body.note, now=utcnow()
    )
    return (await _flag_reads(session, [flag]))[0]
