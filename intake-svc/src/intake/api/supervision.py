"""Electronic supervision (电子监察): /v1/supervision."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from yiwang_shared.calendar import local_date
from yiwang_shared.db import SessionDep
from yiwang_shared.openapi import problems
from yiwang_shared.pagination import DateRangeQuery, PageQuery

from .. import errors
from ..schemas import (
    SupervisionCasePage,
    SupervisionCaseRead,
    SupervisionColour,
    SupervisionLightsRead,
    SupervisionScanRead,
    SupervisionSummaryRead,
    SupervisionUnitLightsRead,
)
from ..schemas.queue import QueueWaitIndicatorRead
from ..services import access, expiry, queue_display, supervision
from .deps import Actor, AppSettings, Now

router = APIRouter(prefix="/v1/supervision", tags=["supervision"])

SEE_BOARD = errors.Deed("查看电子监察看板", "see the supervision board")
RUN_SCAN = errors.Deed("执行电子监察扫描", "run the supervision scan")


@router.get("/cases", response_model=SupervisionCasePage)
async def supervision_cases(
    session: SessionDep,
    actor: Actor,
    now: Now,
    settings: AppSettings,
    page: PageQuery,
    unit_code: Annotated[
        str | None, Query(max_length=64, description="Only this deciding unit's cases (审批部门编码).")
    ] = None,
    colour: Annotated[
        SupervisionColour | None, Query(description="Only cases with this light: green, yellow or red.")
    ] = None,
) -> SupervisionCasePage:
    """Open cases with their lights, by due date: every unit for supervisors, else the caller's unit's."""
    access.require_role(actor, SEE_BOARD, ("supervisor", "approver", "handler", "window_clerk", "admin"))
    lines, total = await supervision.board(
        session,
        actor,
        unit_code=unit_code,
        colour=colour,
        now=now,
        settings=settings,
        limit=page.limit,
        offset=page.offset,
    )
    cases = [
        SupervisionCaseRead.model_validate(
            {
                "id": a.id,
                "application_no": a.application_no,
                "item_name": a.item_name,
                "owner_unit_code": a.owner_unit_code,
                "status": a.status,
                "due_on": light.effective_due,
                "remaining_working_days": light.remaining,
                "colour": light.colour,
                "paused": paused,
                "overdue_flagged": a.overdue_flagged_at is not None,
                "provisional_deadline": a.provisional_deadline,
            }
        )
        for a, light, paused in lines
    ]
    return SupervisionCasePage(items=cases, total=total, limit=page.limit, offset=page.offset)


@router.get("/summary", response_model=SupervisionSummaryRead, responses=problems(403, 422))
async def supervision_summary(
    session: SessionDep,
    actor: Actor,
    now: Now,
    settings: AppSettings,
    unit_code: Annotated[
        str | None, Query(max_length=64, description="Only this deciding unit's cases (审批部门编码).")
    ] = None,
) -> SupervisionSummaryRead:
    """The board's counts: open cases per deciding unit and light (green, yellow, red; and paused),
    and the totals — every unit for supervisors, else the caller's unit's, as `/cases` lists them."""
    access.require_role(actor, SEE_BOARD, ("supervisor", "approver", "handler", "window_clerk", "admin"))
    units, totals = await supervision.summary(session, actor, unit_code=unit_code, now=now, settings=settings)

    def counts(c: supervision.LightCounts) -> dict[str, int]:
        return {"open": c.open, "green": c.green, "yellow": c.yellow, "red": c.red, "paused": c.paused}

    return SupervisionSummaryRead(
        as_of=local_date(now),
        units=[SupervisionUnitLightsRead(unit_code=code, **counts(c)) for code, c in units.items()],
        totals=SupervisionLightsRead(**counts(totals)),
    )


@router.post("/scan", response_model=SupervisionScanRead)
async def supervision_scan(
    session: SessionDep, actor: Actor, now: Now, settings: AppSettings, request: Request
) -> SupervisionScanRead:
    """Run the supervision scan now (supervisors, administrators); it also runs in the background."""
    access.require_role(actor, RUN_SCAN, ("supervisor", "admin"))
    # Each case is handled in a transaction of its own; the request's `session` is not used, but
    # holding it keeps SQLite's write turn for the whole pass, as for every write request.
    counts = await supervision.scan(request.app.state.db, settings, now)
    expired = await expiry.expire_corrections(request.app.state.db, settings, now)
    await expiry.recount_provisional(request.app.state.db, settings, now)
    return SupervisionScanRead(
        overdue_flagged=counts.overdue_flagged,
        deficiencies_revoked=counts.deficiencies_revoked,
        deemed_accepted=counts.deemed_accepted,
        corrections_expired=expired,
    )


@router.get("/queue-waits", response_model=QueueWaitIndicatorRead, responses=problems(403, 404, 422))
async def supervision_queue_waits(
    session: SessionDep,
    actor: Actor,
    now: Now,
    days: DateRangeQuery,
    place_id: Annotated[str, Query(min_length=1, max_length=36, description="The hall (service place id).")],
) -> QueueWaitIndicatorRead:
    """限时等候 indicator of a hall over local days `from`–`to` (default the last 30): numbers taken,
    average wait (taken → first called), and 超时等候率, the share called after the hall's limit,
    with its sample size `called` (supervisors, evaluators, administrators)."""
    figures = await queue_display.wait_indicator(
        session, place_id, actor=actor, first=days.start, last=days.end, now=now
    )
    return QueueWaitIndicatorRead(
        place_id=figures.hall.place.id,
        place_name=figures.hall.place.name,
        from_day=figures.first,
        to_day=figures.last,
        wait_limit_minutes=figures.hall.wait_limit_minutes,
        tickets=figures.tickets,
        called=figures.called,
        average_wait_minutes=figures.average_wait_minutes,
        over_limit=figures.over_limit,
        over_limit_rate=figures.over_limit_rate,
        never_called=figures.never_called,
        no_show=figures.no_show,
    )
