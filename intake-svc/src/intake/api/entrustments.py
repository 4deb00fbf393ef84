"""Entrustment agreements (委托受理协议): /v1/entrustments."""

from __future__ import annotations

from fastapi import APIRouter, Response

from yiwang_shared.links import set_location
from yiwang_shared.pagination import PageQuery

from .. import errors
from ..schemas import EntrustmentCreate, EntrustmentPage, EntrustmentRead
from ..services import access, entrustment
from ..services.context import ActorCtx
from ..services.orgs import staff_unit_code
from .deps import CtxDep
from .docs import CREATED

router = APIRouter(prefix="/v1/entrustments", tags=["entrustments"])

RECORD = errors.Deed("登记委托受理协议", "record an entrustment agreement")
ENTRUST = errors.Deed("委托本单位的事项", "entrust its items")
SEE = errors.Deed("查看委托受理协议", "see entrustment agreements")
REVOKE = errors.Deed("终止委托受理协议", "revoke an entrustment agreement")
READERS = ("window_clerk", "approver", "handler", "supervisor", "admin")


async def _party_unit(ctx: ActorCtx) -> str | None:
    """None for those who see every agreement, else the caller's unit (agreements it is party to)."""
    if ctx.actor.roles & access.OVERSIGHT_ROLES:
        return None
    return await staff_unit_code(ctx.session, ctx.actor) or "-"


@router.post(
    "",
    response_model=EntrustmentRead,
    status_code=201,
    responses={201: {"description": "The agreement as recorded.", "headers": CREATED}},
)
async def entrustments_create(body: EntrustmentCreate, ctx: CtxDep, response: Response) -> EntrustmentRead:
    """Record an agreement (administrators, or approvers of the entrusting unit)."""
    access.require_role(ctx.actor, RECORD, ("approver", "admin"))
    if not ctx.actor.is_admin:
        unit = await staff_unit_code(ctx.session, ctx.actor)
        if unit != body.entrusting_unit_code:
            raise errors.not_handling_unit(ENTRUST, body.entrusting_unit_code)
    row = await entrustment.create_agreement(ctx, body)
    set_location(response, f"/v1/entrustments/{row.id}")
    return EntrustmentRead.model_validate(row, from_attributes=True)


@router.get("", response_model=EntrustmentPage)
async def entrustments_list(ctx: CtxDep, page: PageQuery) -> EntrustmentPage:
    """Agreements: all for supervisors and administrators, else those the caller's unit is party to."""
    access.require_role(ctx.actor, SEE, READERS)
    rows, total = await entrustment.list_agreements(
        ctx.session, await _party_unit(ctx), limit=page.limit, offset=page.offset
    )
    return EntrustmentPage(
        items=[EntrustmentRead.model_validate(r, from_attributes=True) for r in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/{agreement_id}", response_model=EntrustmentRead)
async def entrustments_get(agreement_id: str, ctx: CtxDep) -> EntrustmentRead:
    """One agreement (404 unless the caller's unit is party to it, or the caller oversees all)."""
    access.require_role(ctx.actor, SEE, READERS)
    row = await entrustment.get_agreement(ctx.session, agreement_id, unit_code=await _party_unit(ctx))
    return EntrustmentRead.model_validate(row, from_attributes=True)


@router.post("/{agreement_id}/revoke", response_model=EntrustmentRead)
async def entrustments_revoke(agreement_id: str, ctx: CtxDep) -> EntrustmentRead:
    """End an agreement now (administrators)."""
    access.require_role(ctx.actor, REVOKE, ("admin",))
    row = await entrustment.revoke_agreement(ctx, agreement_id)
    return EntrustmentRead.model_validate(row, from_attributes=True)
