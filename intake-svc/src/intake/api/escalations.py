"""催办 and 督办: /v1/escalations (each person's work list, the supervisors' board, acknowledging,
the on-demand pass) and /v1/applications/{id}/escalations (what was raised on one case)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from yiwang_shared.db import SessionDep
from yiwang_shared.pagination import DateRangeQuery, PageQuery

from .. import errors
from ..schemas.escalations import (
    CaseEscalationAcknowledge,
    CaseEscalationPage,
    CaseEscalationRead,
    CaseEscalationRecipientRead,
    CaseEscalationScanRead,
    EscalationKind,
)
from ..services import access
from ..services import escalation_scan as scan
from ..services import escalation_worklists as worklists
from ..services.escalation_settings import escalation_settings
from .deps import Actor, AppSettings, Now

router = APIRouter(prefix="/v1", tags=["escalations"])

RUN_PASS = errors.Deed("执行催办督办", "run the reminder and escalation pass")

KindQuery = Annotated[
    EscalationKind | None,
    Query(description="Only this kind: reminder 催办, unit_supervisor or district_office 督办."),
]


def _read(line: worklists.EscalationLine) -> CaseEscalationRead:
    e, app = line.escalation, line.application
    return CaseEscalationRead(
        id=e.id,
        kind=e.kind,  # type: ignore[arg-type]
        level=e.level,
        application_id=app.id,
        application_no=app.application_no,
        item_name=app.item_name,
        owner_unit_code=app.owner_unit_code,
        case_status=app.status,  # type: ignore[arg-type]
        due_on=e.due_on,
        working_days=e.working_days,
        unit_code=e.unit_code,
        fallback=e.fallback,
        message=e.message,
        raised_at=e.raised_at,
        recipients=[
            CaseEscalationRecipientRead.model_validate(r, from_attributes=True) for r in line.recipients
        ],
    )


def _page(lines: list[worklists.EscalationLine], total: int, limit: int, offset: int) -> CaseEscalationPage:
    return CaseEscalationPage(items=[_read(x) for x in lines], total=total, limit=limit, offset=offset)


@router.get("/escalations/mine", response_model=CaseEscalationPage)
async def escalations_mine(
    session: SessionDep,
    actor: Actor,
    page: PageQuery,
    kind: KindQuery = None,
    acknowledged: Annotated[
        bool | None, Query(description="true: only those I acknowledged; false: only those I have not.")
    ] = None,
    open_only: Annotated[
        bool, Query(description="true (default): only cases still running; false: every case.")
    ] = True,
) -> CaseEscalationPage:
    """My work list (我的催办督办): the reminders and escalations that name me, newest first (staff)."""
    lines, total = await worklists.mine(
        session, actor, kind=kind, acknowledged=acknowledged, open_only=open_only, page=page
    )
    return _page(lines, total, page.limit, page.offset)


@router.get("/escalations", response_model=CaseEscalationPage)
async def escalations_list(
    session: SessionDep,
    actor: Actor,
    page: PageQuery,
    days: DateRangeQuery,
    kind: KindQuery = None,
    unit_code: Annotated[
        str | None, Query(max_length=64, description="Only those naming this unit's people (单位编码).")
    ] = None,
    application_id: Annotated[str | None, Query(max_length=36, description="Only this case's.")] = None,
) -> CaseEscalationPage:
    """Reminders and escalations on the cases the caller sees, newest first; supervisors and
    administrators see every case's (电子监察). `from`/`to` select the days they were raised."""
    lines, total = await worklists.board(
        session,
        actor,
        kind=kind,
        unit_code=unit_code,
        application_id=application_id,
        days=days,
        page=page,
    )
    return _page(lines, total, page.limit, page.offset)


@router.post("/escalations/scan", response_model=CaseEscalationScanRead)
async def escalations_scan(
    session: SessionDep, actor: Actor, now: Now, settings: AppSettings, request: Request
) -> CaseEscalationScanRead:
    """Run the 催办/督办 pass now (supervisors, administrators); it also runs with the background scan."""
    access.require_role(actor, RUN_PASS, ("supervisor", "admin"))
    # Each case is handled in a transaction of its own; the request's `session` is not used, but
    # holding it keeps SQLite's write turn for the whole pass, as for every write request.
    counts = await scan.scan(request.app.state.db, settings, escalation_settings(request.app.state), now)
    return CaseEscalationScanRead(
        reminded=counts.reminded,
        escalated_to_unit=counts.escalated_to_unit,
        escalated_to_district=counts.escalated_to_district,
    )


@router.get("/escalations/{escalation_id}", response_model=CaseEscalationRead)
async def escalations_get(escalation_id: str, session: SessionDep, actor: Actor) -> CaseEscalationRead:
    """One reminder or escalation (the people it names, and staff who see its case)."""
    return _read(await worklists.get_line(session, actor, escalation_id))


@router.post("/escalations/{escalation_id}/acknowledge", response_model=CaseEscalationRead)
async def escalations_acknowledge(
    escalation_id: str,
    session: SessionDep,
    actor: Actor,
    now: Now,
    body: CaseEscalationAcknowledge | None = None,
) -> CaseEscalationRead:
    """Acknowledge a reminder or escalation that names me (已阅签收); again keeps the first time."""
    line = await worklists.acknowledge(
        session, actor, escalation_id, note=body.note if body else None, now=now
    )
    return _read(line)


@router.get("/applications/{application_id}/escalations", response_model=CaseEscalationPage)
async def applications_escalations_list(
    application_id: str, session: SessionDep, actor: Actor, page: PageQuery
) -> CaseEscalationPage:
    """The reminders and escalations raised on a case, newest first (staff who see the case)."""
    lines, total = await worklists.of_case(session, actor, application_id, page)
    return _page(lines, total, page.limit, page.offset)
