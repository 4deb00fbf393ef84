"""Indicators: the three rates per unit and month, the composite score, rankings."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request

from yiwang_shared.db import SessionDep
from yiwang_shared.errors import Forbidden

from ..access import INDICATOR_ROLES, is_handler
from ..schemas import Ranking, UnitRates
from ..services import rates as svc
from .deps import Actor

router = APIRouter(prefix="/v1", tags=["indicators"])

MonthQuery = Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="Month, e.g. 2026-11 (Beijing time).")


@router.get("/rates", response_model=list[UnitRates])
async def rates_list(
    principal: Actor,
    session: SessionDep,
    request: Request,
    month: str = MonthQuery,
    unit: str | None = Query(default=None, max_length=64),
) -> list[UnitRates]:
    """响应率, 解决率, 满意率 and the composite per unit (a handler sees its own unit's)."""
    settings = request.app.state.settings
    if not (principal.is_admin or (principal.is_staff and principal.has_any_role(INDICATOR_ROLES))):
        if not is_handler(principal):
            raise Forbidden(
                "Indicators are for hotline staff, evaluators and handling units.", code="auth.role_required"
            )
        if unit not in (None, principal.org_unit):
            raise Forbidden("A handling unit sees its own indicators only.", code="hotline.not_your_unit")
        unit = principal.org_unit
    return await svc.unit_rates(
        session, month, settings.rate_weights, settings.basically_satisfied_counts, unit
    )


@router.get("/rankings", response_model=Ranking)
async def rankings_get(
    principal: Actor,
    session: SessionDep,
    request: Request,
    month: str = MonthQuery,
    kind: Literal["street", "department"] = Query(description="Rank streets or departments."),
) -> Ranking:
    """Monthly ranking of streets or departments by composite score (staff)."""
    if not principal.is_staff:
        raise Forbidden("Rankings are for staff.", code="auth.role_required")
    settings = request.app.state.settings
    items = await svc.ranking(
        session, month, kind, settings.rate_weights, settings.basically_satisfied_counts
    )
    return Ranking(month=month, kind=kind, weights=settings.rate_weights, items=items)
