"""Entrustment agreements (委托受理协议): /v1/entrustments."""

from __future__ import annotations

from fastapi import APIRouter

from .. import errors
from ..orgs import staff_unit_code
from ..schemas import EntrustmentIn, EntrustmentRead
from ..services import access, entrustment
from .deps import CtxDep

router = APIRouter(prefix="/v1/entrustments", tags=["entrustments"])


@router.post("", response_model=EntrustmentRead, status_code=201)
async def entrustments_create(body: EntrustmentIn, ctx: CtxDep) -> EntrustmentRead:
    """Record an agreement (administrators, or approvers of the entrusting unit)."""
    assert ctx.actor is not None
    access.require_role(ctx.actor, "record an entrustment agreement", ("approver", "admin"))
    if not ctx.actor.is_admin:
        unit = await staff_unit_code(ctx.session, ctx.actor)
        if unit != body.entrusting_unit_code:
            raise errors.not_handling_unit("entrust its items", body.entrusting_unit_code)
    row = await entrustment.create_agreement(ctx, body)
    return EntrustmentRead.model_validate(row, from_attributes=True)


@router.get("", response_model=list[EntrustmentRead])
async def entrustments_list(ctx: CtxDep) -> list[EntrustmentRead]:
    """Agreements: all for supervisors and administrators, else those the caller's unit is party to."""
    assert ctx.actor is not None
    access.require_role(
        ctx.actor,
        "see entrustment agreements",
        ("window_clerk", "approver", "handler", "supervisor", "admin"),
    )
    unit = None
    if not (ctx.actor.roles & access.OVERSIGHT_ROLES):
        unit = await staff_unit_code(ctx.session, ctx.actor) or "-"
    rows = await entrustment.list_agreements(ctx.session, unit)
    return [EntrustmentRead.model_validate(r, from_attributes=True) for r in rows]


@router.post("/{agreement_id}/revoke", response_model=EntrustmentRead)
async def entrustments_revoke(agreement_id: str, ctx: CtxDep) -> EntrustmentRead:
    """End an agreement now (administrators)."""
    assert ctx.actor is not None
    access.require_role(ctx.actor, "revoke an entrustment agreement", ("admin",))
    row = await entrustment.revoke_agreement(ctx, agreement_id)
    return EntrustmentRead.model_validate(row, from_attributes=True)
