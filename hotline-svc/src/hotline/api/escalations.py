"""催办 and 督办: escalation rules (/v1/escalation-rules), each person's work list and the board
(/v1/escalations), and what was raised on one ticket (/v1/tickets/{id}/escalations)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from yiwang_shared.auth import CurrentPrincipal
from yiwang_shared.db import SessionDep
from yiwang_shared.links import set_location
from yiwang_shared.logging import mask_text
from yiwang_shared.openapi import created
from yiwang_shared.pagination import PageQuery

from ..models import EscalationRule
from ..schemas.escalations import (
    EscalationRuleCreate,
    EscalationRulePage,
    EscalationRuleRead,
    EscalationRuleUpdate,
    RuleKind,
    TicketEscalationAcknowledge,
    TicketEscalationPage,
    TicketEscalationRead,
    TicketEscalationRecipientRead,
    TicketEscalationScanRead,
)
from ..services import escalation_rule_admin as rule_admin
from ..services import escalation_scan as scan
from ..services import escalation_worklists as worklists
from ..services.access import require
from ..services.escalation_rules import level_of
from .deps import Actor

router = APIRouter(prefix="/v1", tags=["escalations"])

KindQuery = Annotated[RuleKind | None, Query(description="Only reminders (催办) or only escalations (督办).")]


def _rule(r: EscalationRule) -> EscalationRuleRead:
    return EscalationRuleRead(
        id=r.id,
        name=r.name,
        kind=r.kind,  # type: ignore[arg-type]
        level=level_of(r.kind, r.target),
        basis=r.basis,  # type: ignore[arg-type]
        statuses=list(r.statuses),
        after_share=r.after_share,
        plus_hours=r.plus_hours,
        target=r.target,  # type: ignore[arg-type]
        target_unit_code=r.target_unit_code,
        target_staff_id=r.target_staff_id,
        request_type=r.request_type,  # type: ignore[arg-type]
        category_code=r.category_code,
        active=r.active,
        updated_at=r.updated_at,
        updated_by=r.updated_by,
    )


def _read(line: worklists.EscalationLine) -> TicketEscalationRead:
    e, t = line.escalation, line.ticket
    return TicketEscalationRead(
        id=e.id,
        kind=e.kind,  # type: ignore[arg-type]
        level=e.level,
        rule_id=e.rule_id,
        rule_name=e.rule_name,
        target=e.target,  # type: ignore[arg-type]
        basis=e.basis,  # type: ignore[arg-type]
        ticket_id=t.id,
        ticket_number=t.number,
        title=mask_text(t.title),  # work lists reach units: no caller's number in clear
        ticket_status=t.status,  # type: ignore[arg-type]
        lead_unit_code=t.lead_unit_code,
        round=e.round,
        deadline=e.due_at,
        unit_code=e.unit_code,
        fallback=e.fallback,
        message=mask_text(e.message),
        raised_at=e.raised_at,
        recipients=[
            TicketEscalationRecipientRead.model_validate(r, from_attributes=True) for r in line.recipients
        ],
    )


def _page(lines: list[worklists.EscalationLine], total: int, limit: int, offset: int) -> TicketEscalationPage:
    return TicketEscalationPage(items=[_read(x) for x in lines], total=total, limit=limit, offset=offset)


# --- rules --------------------------------------------------------------------------------------


@router.get("/escalation-rules", response_model=EscalationRulePage)
async def escalation_rules_list(principal: Actor, session: SessionDep, page: PageQuery) -> EscalationRulePage:
    """The escalation rules (催办/督办规则): reminders first, then escalations by how late (staff)."""
    rows, total = await rule_admin.list_rules(session, principal, page)
    return EscalationRulePage(
        items=[_rule(r) for r in rows], total=total, limit=page.limit, offset=page.offset
    )


@router.post(
    "/escalation-rules",
    response_model=EscalationRuleRead,
    status_code=status.HTTP_201_CREATED,
    responses=created("Added."),
)
async def escalation_rules_create(
    body: EscalationRuleCreate, principal: Actor, session: SessionDep, response: Response
) -> EscalationRuleRead:
    """Add a rule: in which states, after what share of which limit, remind or escalate whom (supervisor)."""
    rule = await rule_admin.create_rule(session, body, principal)
    set_location(response, f"/v1/escalation-rules/{rule.id}")
    return _rule(rule)


@router.get("/escalation-rules/{rule_id}", response_model=EscalationRuleRead)
async def escalation_rules_get(rule_id: str, principal: Actor, session: SessionDep) -> EscalationRuleRead:
    """One escalation rule (staff)."""
    require(principal, rule_admin.RULE_READERS, "查阅催办督办规则", "Reading the escalation rules")
    return _rule(await rule_admin.get_rule(session, rule_id))


@router.put("/escalation-rules/{rule_id}", response_model=EscalationRuleRead)
async def escalation_rules_update(
    rule_id: str, body: EscalationRuleUpdate, principal: Actor, session: SessionDep
) -> EscalationRuleRead:
    """Change a rule (supervisor); what it raised before stays as raised."""
    return _rule(await rule_admin.update_rule(session, rule_id, body, principal))


@router.delete("/escalation-rules/{rule_id}", status_code=status.HTTP_204_NO_CONTENT)
async def escalation_rules_delete(rule_id: str, principal: Actor, session: SessionDep) -> None:
    """Remove a rule (supervisor); what it raised stays, with the rule's name."""
    await rule_admin.delete_rule(session, rule_id, principal)


# --- work lists ---------------------------------------------------------------------------------


@router.get("/escalations/mine", response_model=TicketEscalationPage)
async def escalations_mine(
    principal: Actor,
    session: SessionDep,
    page: PageQuery,
    kind: KindQuery = None,
    acknowledged: Annotated[
        bool | None, Query(description="true: only those I acknowledged; false: only those I have not.")
    ] = None,
    open_only: Annotated[
        bool, Query(description="true (default): only tickets still open; false: every ticket.")
    ] = True,
) -> TicketEscalationPage:
    """My work list (我的催办督办): the reminders and escalations that name me, newest first (staff)."""
    lines, total = await worklists.mine(
        session, principal, kind=kind, acknowledged=acknowledged, open_only=open_only, page=page
    )
    return _page(lines, total, page.limit, page.offset)


@router.get("/escalations", response_model=TicketEscalationPage)
async def escalations_list(
    principal: Actor,
    session: SessionDep,
    page: PageQuery,
    kind: KindQuery = None,
    level: Annotated[
        int | None, Query(ge=0, le=2, description="Only this level: 0 催办, 1 or 2 督办.")
    ] = None,
    unit_code: Annotated[
        str | None, Query(max_length=64, description="Only those naming this unit's people (单位编码).")
    ] = None,
) -> TicketEscalationPage:
    """The escalation board, newest first: hotline staff see all, a handler their unit's tickets'."""
    lines, total = await worklists.board(
        session, principal, kind=kind, level=level, unit_code=unit_code, page=page
    )
    return _page(lines, total, page.limit, page.offset)


@router.post("/escalations/scan", response_model=TicketEscalationScanRead)
async def escalations_scan(principal: CurrentPrincipal, request: Request) -> TicketEscalationScanRead:
    """Run the 催办/督办 pass now (supervisor); it also runs with the background scan."""
    # No request session here: the pass opens its own transactions (one writer at a time on SQLite).
    require(principal, scan.SCANNERS, "执行催办督办", "Running the escalation pass")
    counts = await scan.scan(request.app.state.db, request.app.state.settings)
    return TicketEscalationScanRead(reminded=counts.reminded, escalated=counts.escalated)


@router.get("/escalations/{escalation_id}", response_model=TicketEscalationRead)
async def escalations_get(escalation_id: str, principal: Actor, session: SessionDep) -> TicketEscalationRead:
    """One reminder or escalation (the people it names, and staff who see its ticket)."""
    return _read(await worklists.get_line(session, principal, escalation_id))


@router.post("/escalations/{escalation_id}/acknowledge", response_model=TicketEscalationRead)
async def escalations_acknowledge(
    escalation_id: str, principal: Actor, session: SessionDep, body: TicketEscalationAcknowledge | None = None
) -> TicketEscalationRead:
    """Acknowledge a reminder or escalation that names me (已阅签收); again keeps the first time."""
    line = await worklists.acknowledge(session, principal, escalation_id, note=body.note if body else None)
    return _read(line)


@router.get("/tickets/{ticket_id}/escalations", response_model=TicketEscalationPage)
async def tickets_escalations_list(
    ticket_id: str, principal: Actor, session: SessionDep, page: PageQuery
) -> TicketEscalationPage:
    """The reminders and escalations raised on a ticket, newest first (staff who see the ticket)."""
    lines, total = await worklists.of_ticket(session, principal, ticket_id, page)
    return _page(lines, total, page.limit, page.offset)
