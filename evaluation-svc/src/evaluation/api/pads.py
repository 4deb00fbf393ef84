"""Routes: rating pads (评价器) and burst flags (疑似刷评) — the evaluation office's tools against
forged ratings."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Path, Query, Request, Response

from yiwang_shared.db import SessionDep
from yiwang_shared.links import set_location
from yiwang_shared.openapi import created, problems
from yiwang_shared.orm import utcnow
from yiwang_shared.pagination import PageQuery

from ..config import Settings
from ..models import RatingFlag
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
from .deps import Office, Overseer

router = APIRouter(prefix="/v1", tags=["rating-pads"])


@router.post(
    "/rating-devices",
    status_code=201,
    response_model=RatingDeviceSecretRead,
    responses=created("The pad and its secret, shown once; Location names the pad."),
)
async def rating_devices_register(
    body: RatingDeviceCreate, session: SessionDep, principal: Office, response: Response
) -> RatingDeviceSecretRead:
    """The evaluation office registers a window's rating pad (评价器) and gets its secret, once."""
    device, secret = await pads.register_device(
        session, window_code=body.window_code, label=body.label, actor=principal, now=utcnow()
    )
    set_location(response, f"/v1/rating-devices/{device.id}")
    return RatingDeviceSecretRead(device=RatingDeviceRead.model_validate(device), secret=secret)


@router.get("/rating-devices", response_model=RatingDevicePage)
async def rating_devices_list(
    session: SessionDep,
    principal: Overseer,
    page: PageQuery,
    window_code: Annotated[str | None, Query(max_length=64, description="Only this window's pads.")] = None,
) -> RatingDevicePage:
    """The rating pads, by window (evaluators, supervisors, administrators)."""
    rows, total = await pads.list_devices(session, window_code=window_code, page=page)
    return RatingDevicePage(
        items=[RatingDeviceRead.model_validate(d) for d in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/rating-devices/{device_id}", response_model=RatingDeviceRead, responses=problems(404))
async def rating_devices_get(device_id: str, session: SessionDep, principal: Overseer) -> RatingDeviceRead:
    """One rating pad (evaluators, supervisors, administrators)."""
    return RatingDeviceRead.model_validate(await pads.get_device(session, device_id))


@router.post("/rating-devices/{device_id}/retire", response_model=RatingDeviceRead, responses=problems(404))
async def rating_devices_retire(device_id: str, session: SessionDep, principal: Office) -> RatingDeviceRead:
    """Retire a pad (停用: lost, replaced, its secret known to staff); it gets no code any more."""
    device = await pads.retire_device(session, device_id, now=utcnow())
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
    event = await pads.service_of_code(session, code)
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
    details = await rating_svc.flag_details(session, flags)
    return [
        RatingFlagRead(
            id=f.id,
            staff_id=f.staff_id,
            staff_name=details.staff_names.get(f.staff_id),
            unit_code=f.unit_code,
            status=RatingFlagStatus(f.status),
            first_at=f.first_at,
            last_at=f.last_at,
            ratings=len(details.rating_ids[f.id]),
            rating_ids=details.rating_ids[f.id],
            decided_by=f.decided_by,
            decided_at=f.decided_at,
            note=f.note,
        )
        for f in flags
    ]


@router.get("/rating-flags", response_model=RatingFlagPage)
async def rating_flags_list(
    session: SessionDep,
    principal: Overseer,
    page: PageQuery,
    status: Annotated[RatingFlagStatus | None, Query(description="Only flags in this state.")] = None,
) -> RatingFlagPage:
    """Bursts of ratings on one clerk's window visits (疑似刷评), newest first (evaluators, supervisors,
    administrators); an open flag's ratings are held out of the rankings."""
    rows, total = await rating_svc.list_flags(
        session, status=status.value if status is not None else None, page=page
    )
    return RatingFlagPage(
        items=await _flag_reads(session, rows), total=total, limit=page.limit, offset=page.offset
    )


@router.post("/rating-flags/{flag_id}/decision", response_model=RatingFlagRead, responses=problems(404, 409))
async def rating_flags_decide(
    flag_id: str, body: RatingFlagUpdate, session: SessionDep, principal: Office
) -> RatingFlagRead:
    """The evaluation office decides a flag (核定): genuine ratings return to the rankings, forged ones
    leave the indicators (kept, never deleted)."""
    flag = await rating_svc.get_flag(session, flag_id)
    await rating_svc.decide_flag(
        session, flag, actor=principal, genuine=body.genuine, note=body.note, now=utcnow()
    )
    return (await _flag_reads(session, [flag]))[0]
