"""Routes: staff use a licence for a case; the holder reads the uses (用证记录)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from yiwang_shared.db import SessionDep
from yiwang_shared.links import set_location
from yiwang_shared.openapi import created
from yiwang_shared.pagination import PageQuery

from ..schemas import CaseFetch, UseCreate, UsePage, UseResult
from ..services import uses as svc
from ..services.licences import licence_view
from .deps import HolderDep, IntakeDep, Now, Staff

router = APIRouter(prefix="/v1", tags=["uses"])


@router.post(
    "/licences/{licence_id}/uses",
    response_model=UseResult,
    status_code=201,
    responses=created("The recorded use (listed under the licence's uses) and the licence.", 403, 404, 503),
)
async def uses_create(
    licence_id: str,
    body: UseCreate,
    session: SessionDep,
    staff: Staff,
    intake: IntakeDep,
    now: Now,
    response: Response,
) -> UseResult:
    """Use a licence for a case (staff): the holder's application named is the authorisation; recorded."""
    use, licence = await svc.use_licence(session, licence_id, body, staff, intake=intake, now=now)
    set_location(response, f"/v1/licences/{licence.id}/uses")
    [view] = await svc.use_views(session, [use])
    return UseResult(use=view, licence=await licence_view(session, licence, staff))


@router.get("/licences/{licence_id}/uses", response_model=UsePage)
async def uses_list(licence_id: str, session: SessionDep, holder: HolderDep, page: PageQuery) -> UsePage:
    """Who used my licence, for which case, when; newest first."""
    rows, total = await svc.list_uses(session, licence_id, holder, limit=page.limit, offset=page.offset)
    return UsePage(
        items=await svc.use_views(session, rows), total=total, limit=page.limit, offset=page.offset
    )


@router.post(
    "/case-fetches",
    response_model=UseResult,
    status_code=201,
    responses=created("The recorded use (listed under the licence's uses) and the licence.", 403, 404, 503),
)
async def case_fetches_create(
    body: CaseFetch, session: SessionDep, staff: Staff, intake: IntakeDep, now: Now, response: Response
) -> UseResult:
    """Fetch the applicant's licence of a type for their case (免提交, staff): the application named is
    the authorisation; the newest valid one (else the newest, to show it expired or revoked); recorded."""
    use, licence = await svc.fetch_for_case(session, body, staff, intake=intake, now=now)
    set_location(response, f"/v1/licences/{licence.id}/uses")
    [view] = await svc.use_views(session, [use])
    return UseResult(use=view, licence=await licence_view(session, licence, staff))
