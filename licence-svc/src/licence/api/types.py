"""Routes: the licence-type catalogue (证照类型目录)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from yiwang_shared.db import SessionDep
from yiwang_shared.links import set_location
from yiwang_shared.openapi import created, problems
from yiwang_shared.pagination import PageQuery

from ..schemas import LicenceTypeCreate, LicenceTypePage, LicenceTypeRead, LicenceTypeUpdate
from ..services import types as svc
from .deps import Admin

router = APIRouter(prefix="/v1/licence-types", tags=["licence-types"])


@router.get("", response_model=LicenceTypePage)
async def licence_types_list(session: SessionDep, page: PageQuery) -> LicenceTypePage:
    """The licence types (public: what the library can hold), by code."""
    rows, total = await svc.list_types(session, limit=page.limit, offset=page.offset)
    return LicenceTypePage(
        items=[LicenceTypeRead.model_validate(t) for t in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post(
    "", response_model=LicenceTypeRead, status_code=201, responses=created("The new licence type.", 409)
)
async def licence_types_create(
    body: LicenceTypeCreate, session: SessionDep, admin: Admin, response: Response
) -> LicenceTypeRead:
    """Add a licence type (administrators)."""
    licence_type = await svc.create_type(session, body)
    set_location(response, f"/v1/licence-types/{licence_type.code}")
    return LicenceTypeRead.model_validate(licence_type)


@router.patch("/{code}", response_model=LicenceTypeRead, responses=problems(409))
async def licence_types_update(
    code: str, body: LicenceTypeUpdate, session: SessionDep, admin: Admin
) -> LicenceTypeRead:
    """Change a licence type (administrators); `active: false` stops new licences of it."""
    return LicenceTypeRead.model_validate(await svc.update_type(session, code, body))
