"""Demand forecasts (需求预判): a hall's applications and visits for the next weeks, for staffing
its windows (supervisors, administrators)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from yiwang_shared.db import SessionDep
from yiwang_shared.openapi import problems

from ..schemas.forecasts import DemandForecastRead
from ..services import forecasts
from .deps import Actor, AppSettings, Now

router = APIRouter(prefix="/v1/forecasts", tags=["forecasts"])


@router.get(
    "/demand",
    response_model=DemandForecastRead,
    responses=problems(403, 404, 409, 422),
)
async def forecasts_demand(
    session: SessionDep,
    actor: Actor,
    now: Now,
    settings: AppSettings,
    unit_code: Annotated[
        str,
        Query(min_length=1, max_length=64, description="The hall's org unit (110105-ZWFW), or `online`."),
    ],
    item_code: Annotated[
        str | None, Query(min_length=1, max_length=64, description="One item; omitted: every item.")
    ] = None,
    weeks: Annotated[int, Query(ge=1, le=4, description="Weeks ahead (1–4).")] = 4,
) -> DemandForecastRead:
    """The hall's forecast applications (收件) and visits (取号) per day for the next `weeks`, each with
    an 80 % interval and the seasonal-naive baseline; the errors on the held-out last four weeks
    (the model's beside the baseline's: how far to trust it); windows needed per weekday. Fitted once
    a day in the background: 409 until today's first fit is done, 404 with no history."""
    return await forecasts.read_forecast(
        session,
        unit_code=unit_code,
        item_code=item_code,
        weeks=weeks,
        actor=actor,
        now=now,
        settings=settings,
    )
