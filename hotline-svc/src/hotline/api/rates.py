"""Indicators: the three rates per unit and month, the composite score, rankings."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from yiwang_shared.db import SessionDep
from yiwang_shared.pagination import MonthQuery, PageQuery, paginate

from .. import errors
from ..schemas import RankingKind, RankingPage, RateWeightsRead, UnitRatesPage
from ..services import rates as svc
from ..services.access import INDICATOR_ROLES, is_handler
from .deps import Actor

router = APIRouter(prefix="/v1", tags=["indicators"])


@router.get("/rates", response_model=UnitRatesPage)
async def rates_list(
    principal: Actor,
    session: SessionDep,
    request: Request,
    month: MonthQuery,
    page: PageQuery,
    unit: Annotated[str | None, Query(max_length=64, description="One unit's rates (unit code).")] = None,
) -> UnitRatesPage:
    """响应率, 解决率, 满意率 and the composite per unit in a month (a handler sees its own unit's).

    Each rate follows docs/indicators.md: the same figure evaluation-svc's indicators show.
    """
    settings = request.app.state.settings
    if not (principal.is_admin or (principal.is_staff and principal.has_any_role(INDICATOR_ROLES))):
        if not is_handler(principal):
            raise errors.indicators_forbidden()
        if unit not in (None, principal.org_unit):
            raise errors.not_your_unit()
        unit = principal.org_unit
    rows = await svc.unit_rates(session, month, settings.rate_weights, unit)
    return UnitRatesPage.model_validate(paginate(rows, page))


@router.get("/rankings", response_model=RankingPage)
async def rankings_get(
    principal: Actor,
    session: SessionDep,
    request: Request,
    month: MonthQuery,
    kind: Annotated[RankingKind, Query(description="Rank streets (街道) or departments (部门).")],
    page: PageQuery,
) -> RankingPage:
    """Monthly ranking of streets or departments by composite score, best first (staff)."""
    if not principal.is_staff:
        raise errors.rankings_forbidden()
    settings = request.app.state.settings
    rows = await svc.ranking(session, month, kind, settings.rate_weights)
    response, resolution, satisfaction = settings.rate_weights
    return RankingPage.model_validate(
        {
            **paginate(rows, page),
            "month": month,
            "kind": kind,
            "weights": RateWeightsRead(response=response, resolution=resolution, satisfaction=satisfaction),
        }
    )
