"""Entrustment agreements (委托受理协议): /v1/entrustments."""

from __future__ import annotations

from fastapi import APIRouter, Response

from yiwang_shared.auth import Principal
from yiwang_shared.db import SessionDep
from yiwang_shared.links import set_location
from yiwang_shared.pagination import PageQuery

from .. import errors
from ..schemas import EntrustmentCreate, EntrustmentPage, EntrustmentRead
from ..services import access, entrustment
from ..services.orgs import staff_unit_code
from .deps import Actor, Now
from .docs import CREATED

router = APIRouter(prefix="/v1/entrustments", tags=["entrustments"])

RECORD = errors.Deed("登记委托受理协议", "record an entrustment agreement")
ENTRUST = errors.Deed("委托本单位的事项", "entrust its items")
SEE = errors.Deed("查看委托受理协议", "see entrustment agreements")
REVOKE = errors.Deed("终止委托受理协议", "revoke an entrustment agreement")
READERS = ("window_clerk", "approver", "handler", "supervisor", "admin")


async def _party_unit(session: SessionDep, actor: Principal) -> str | None:
    """None for those who see every agreement, else the caller's unit (agreements it is party to)."""
    if actor.roles & access.OVERSIGHT_ROLES:
        return None
    return await staff_unit_code(session, actor) or "-"


@router.post(
    "",
    response_model=EntrustmentRead,
    status_code=201,
    responses={201: {"description": "The agreement as recorded.", "headers": CREATED}},
)
async def entrustments_create(
    body: EntrustmentCreate, session: SessionDep, actor: Actor, now: Now, response: Response
) -> EntrustmentRead:
    """Record an agreement (administrators, or approvers of the entrusting unit)."""
    access.require_role(actor, RECORD, ("approver", "admin"))
    if not actor.is_admin:
        unit = await staff_unit_code(session, actor)
        if unit != body.entrusting_unit_code:
            raise errors.not_handling_unit(ENTRUST, body.entrusting_unit_code)
    row = await entrustment.create_agreement(session, body, actor, now=now)
    set_location(response, f"/v1/entrustments/{row.id}")
    return EntrustmentRead.model_validate(row, from_attributes=True)


@router.get("", response_model=EntrustmentPage)
async def entrustments_list(session: SessionDep, actor: Actor, page: PageQuery) -> EntrustmentPage:
    """Agreements: all for supervisors and administrators, else those the caller's unit is party to."""
    access.require_role(actor, SEE, READERS)
    rows, total = await entrustment.list_agreements(
        session, await _party_unit(session, actor), limit=page.limit, offset=page.offset
    )
    return EntrustmentPage(
        items=[EntrustmentRead.model_validate(r, from_attributes=True) for r in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/{agreement_id}", response_model=EntrustmentRead)
async def entrustments_get(agreement_id: str, session: SessionDep, actor: Actor) -> EntrustmentRead:
    """One agreement (404 unless the caller's unit is party to it, or the caller oversees all)."""
    access.require_role(actor, SEE, READERS)
    row = await entrustment.get_agreement(session, agreement_id, unit_code=await _party_unit(session, actor))
    return EntrustmentRead.model_validate(row, from_attributes=True)


@router.post("/{agreement_id}/revoke", response_model=EntrustmentRead)
async def entrustments_revoke(
    agreement_id: str, session: SessionDep, actor: Actor, now: Now
) -> EntrustmentRead:
    """End an agreement now (administrators)."""
    access.require_role(actor, REVOKE, ("admin",))
    row = await entrustment.revoke_agreement(session, agreement_id, now=now)
    return EntrustmentRead.model_validate(row, from_attributes=True)
