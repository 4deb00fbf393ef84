"""Routes: the holder's licences and their rendering; the issuing unit's list and state changes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from yiwang_shared.auth import Principal
from yiwang_shared.db import SessionDep
from yiwang_shared.links import set_location
from yiwang_shared.openapi import created, problems
from yiwang_shared.pagination import PageQuery

from ..lifecycles import LicenceStatus
from ..schemas import (
    LicenceActionPage,
    LicenceActionRead,
    LicenceCreate,
    LicencePage,
    LicenceRead,
    LicenceStatusChange,
)
from ..services import issuing
from ..services import licences as svc
from .deps import HolderDep, IssuingStaff, Now

router = APIRouter(prefix="/v1", tags=["licences"])

PDF: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        "description": "The signed rendering (PDF).",
    }
}


@router.get("/licences", response_model=LicencePage)
async def licences_list(
    session: SessionDep,
    holder: HolderDep,
    page: PageQuery,
    status: Annotated[LicenceStatus | None, Query(description="Only licences in this state.")] = None,
) -> LicencePage:
    """My licences (我的证照): the caller's own, or the enterprise's they act for; newest first."""
    rows, total = await svc.list_own(session, holder, status=status, limit=page.limit, offset=page.offset)
    items = [await svc.licence_view(session, licence, None) for licence in rows]
    return LicencePage(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/licences/{licence_id}", response_model=LicenceRead)
async def licences_get(licence_id: str, session: SessionDep, holder: HolderDep) -> LicenceRead:
    """One of my licences (404 if it is not the caller's)."""
    return await svc.licence_view(session, await svc.get_own(session, licence_id, holder), None)


@router.get("/licences/{licence_id}/rendering", response_class=Response, responses=PDF)
async def licences_rendering(licence_id: str, session: SessionDep, holder: HolderDep) -> Response:
    """The licence's signed rendering (PDF); the headers carry its digest, signature and key id."""
    licence = await svc.get_own(session, licence_id, holder)
    return Response(
        content=licence.rendering,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{licence.number}.pdf"',
            "X-Licence-Sha256": licence.rendering_sha256,
            "X-Licence-Signature": licence.signature,
            "X-Licence-Key-Id": licence.key_id,
        },
    )


@router.get("/licences/{licence_id}/trail", response_model=LicenceActionPage)
async def licences_trail(
    licence_id: str, session: SessionDep, holder: HolderDep, page: PageQuery
) -> LicenceActionPage:
    """Every change of my licence's state, oldest first: issued, suspended, reinstated, revoked, expired."""
    licence = await svc.get_own(session, licence_id, holder)
    rows, total = await svc.trail(session, licence, limit=page.limit, offset=page.offset)
    return LicenceActionPage(
        items=[LicenceActionRead.model_validate(a) for a in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post(
    "/licences",
    response_model=LicenceRead,
    status_code=201,
    responses=created("The licence issued, rendered and signed.", 403, 404, 409, 422),
)
async def licences_issue(
    body: LicenceCreate,
    request: Request,
    session: SessionDep,
    staff: IssuingStaff,
    now: Now,
    response: Response,
) -> LicenceRead:
    """Issue a licence directly (颁证; the type's issuing unit): rendered, signed, announced."""
    licence = await issuing.issue_directly(session, body, staff, keys=request.app.state.keys, now=now)
    set_location(response, f"/v1/issued-licences/{licence.id}")
    return await svc.licence_view(session, licence, staff)


@router.get("/issued-licences/{licence_id}", response_model=LicenceRead)
async def issued_licences_get(licence_id: str, session: SessionDep, staff: IssuingStaff) -> LicenceRead:
    """One licence the caller's unit issued (404 if none; 403 for another unit's)."""
    return await svc.licence_view(session, await svc.get_for_issuer(session, licence_id, staff), staff)


@router.get("/issued-licences", response_model=LicencePage)
async def issued_licences_list(
    session: SessionDep,
    staff: IssuingStaff,
    page: PageQuery,
    number: Annotated[
        str | None, Query(max_length=64, description="Only the licence of this number.")
    ] = None,
) -> LicencePage:
    """The licences the caller's unit issued (颁证单位), newest first."""
    rows, total = await svc.list_issued(session, staff, number=number, limit=page.limit, offset=page.offset)
    items = [await svc.licence_view(session, licence, staff) for licence in rows]
    return LicencePage(items=items, total=total, limit=page.limit, offset=page.offset)


async def _change(
    session: SessionDep, licence_id: str, action: str, body: LicenceStatusChange, staff: Principal, now: Now
) -> LicenceRead:
    licence = await svc.change_status(session, licence_id, action, body, staff, now=now)  # type: ignore[arg-type]
    return await svc.licence_view(session, licence, staff)


@router.post("/licences/{licence_id}/suspend", response_model=LicenceRead, responses=problems(409, 422))
async def licences_suspend(
    licence_id: str, body: LicenceStatusChange, session: SessionDep, staff: IssuingStaff, now: Now
) -> LicenceRead:
    """Suspend a licence (暂停使用; the issuing unit, with a reason)."""
    return await _change(session, licence_id, "suspend", body, staff, now)


@router.post("/licences/{licence_id}/reinstate", response_model=LicenceRead, responses=problems(409))
async def licences_reinstate(
    licence_id: str, body: LicenceStatusChange, session: SessionDep, staff: IssuingStaff, now: Now
) -> LicenceRead:
    """Lift a suspension (恢复使用; the issuing unit)."""
    return await _change(session, licence_id, "reinstate", body, staff, now)


@router.post("/licences/{licence_id}/revoke", response_model=LicenceRead, responses=problems(409, 422))
async def licences_revoke(
    licence_id: str, body: LicenceStatusChange, session: SessionDep, staff: IssuingStaff, now: Now
) -> LicenceRead:
    """Revoke a licence (吊销/撤销; the issuing unit, with a reason; final)."""
    return await _change(session, licence_id, "revoke", body, staff, now)
