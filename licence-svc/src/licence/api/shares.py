"""Routes: the holder's shares (亮证/分享) of a licence."""

from __future__ import annotations

from fastapi import APIRouter, Response

from yiwang_shared.auth import CurrentPrincipal
from yiwang_shared.db import SessionDep
from yiwang_shared.links import set_location
from yiwang_shared.openapi import created, problems
from yiwang_shared.pagination import PageQuery

from ..schemas import ShareCreate, ShareCreated, SharePage, ShareRead
from ..services import shares as svc
from .deps import HolderDep, Now, SettingsDep

router = APIRouter(prefix="/v1/licences/{licence_id}/shares", tags=["shares"])


@router.post(
    "",
    response_model=ShareCreated,
    status_code=201,
    responses=created("The new share and its code.", 409, 422),
)
async def shares_create(
    licence_id: str,
    body: ShareCreate,
    session: SessionDep,
    holder: HolderDep,
    principal: CurrentPrincipal,
    now: Now,
    settings: SettingsDep,
    response: Response,
) -> ShareCreated:
    """Make a verification code for one of my valid licences (shown once; lasts `valid_hours`)."""
    share = await svc.create_share(
        session, licence_id, body, holder, actor_id=principal.subject, now=now, settings=settings
    )
    set_location(response, f"/v1/licences/{licence_id}/shares/{share.id}")
    return share


@router.get("", response_model=SharePage)
async def shares_list(
    licence_id: str, session: SessionDep, holder: HolderDep, page: PageQuery, now: Now
) -> SharePage:
    """My shares of a licence, newest first."""
    rows, total = await svc.list_shares(session, licence_id, holder, limit=page.limit, offset=page.offset)
    return SharePage(
        items=[svc.share_view(s, now=now) for s in rows], total=total, limit=page.limit, offset=page.offset
    )


@router.post("/{share_id}/withdraw", response_model=ShareRead, responses=problems(404))
async def shares_withdraw(
    licence_id: str, share_id: str, session: SessionDep, holder: HolderDep, now: Now
) -> ShareRead:
    """Withdraw a share: its code stops working at once."""
    return svc.share_view(await svc.withdraw_share(session, licence_id, share_id, holder, now=now), now=now)
