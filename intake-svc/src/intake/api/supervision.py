"""Electronic supervision (电子监察): /v1/supervision."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from ..schemas import ScanResult, SupervisionLine
from ..services import access, supervision
from .deps import CtxDep

router = APIRouter(prefix="/v1/supervision", tags=["supervision"])


@router.get("/cases", response_model=list[SupervisionLine])
async def supervision_cases(
    ctx: CtxDep,
    unit_code: Annotated[str | None, Query(max_length=64, description="Deciding unit.")] = None,
    colour: Annotated[Literal["green", "yellow", "red"] | None, Query()] = None,
) -> list[SupervisionLine]:
    """Open cases with their lights: every unit for supervisors, else the caller's unit's."""
    assert ctx.actor is not None
    access.require_role(
        ctx.actor, "see the supervision board", ("supervisor", "approver", "handler", "window_clerk", "admin")
    )
    lines = await supervision.board(
        ctx.session, ctx.actor, unit_code=unit_code, now=ctx.now, settings=ctx.settings
    )
    return [
        SupervisionLine(
            id=a.id,
            application_no=a.application_no,
            item_name=a.item_name,
            owner_unit_code=a.owner_unit_code,
            status=a.status,
            due_on=light.effective_due,
            remaining_working_days=light.remaining,
            colour=light.colour,  # type: ignore[arg-type]
            paused=paused,
            overdue_flagged=a.overdue_flagged_at is not None,
        )
        for a, light, paused in lines
        if colour is None or light.colour == colour
    ]


@router.post("/scan", response_model=ScanResult)
async def supervision_scan(ctx: CtxDep, request: Request) -> ScanResult:
    """Run the supervision scan now (supervisors, administrators); it also runs in the background."""
    assert ctx.actor is not None
    access.require_role(ctx.actor, "run the supervision scan", ("supervisor", "admin"))
    counts = await supervision.scan(request.app.state.db, ctx.settings, ctx.now)
    return ScanResult(
        overdue_flagged=counts.overdue_flagged,
        deficiencies_revoked=counts.deficiencies_revoked,
        deemed_accepted=counts.deemed_accepted,
    )
