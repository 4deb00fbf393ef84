"""Dispatch (派单): the dispatch catalogue applied automatically, manual dispatch, disputes (退单)
within a window, re-dispatch. The first receiver (首接单位) is kept on the ticket and stays
responsible; unclear responsibility goes to the district's coordination unit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.events.payloads import EventPayload
from yiwang_shared.orm import utcnow
from yiwang_shared.pagination import PageParams

from .. import errors
from ..config import Settings
from ..events import TicketDispatched, TicketReturned
from ..models import DispatchRecord, DispatchRule, ResponseDue, Ticket
from ..repositories.read_models import RouteRule
from ..repositories.rules import DispatchRuleRepository
from ..repositories.tickets import TicketRepository
from ..schemas import DispatchRuleCreate, DispatchRuleUpdate, TicketDispatch, TicketReturn
from .access import require
from .common import emit, event_fields, require_lead_unit, step
from .limits import apply_time_limit
from .orgs import check_area, check_unit
from .read_models import route_rules
from .tickets_support import check_category


async def find_rule(session: AsyncSession, ticket: Ticket) -> RouteRule | None:
    """The most specific rule for the ticket's category: community, then street, then anywhere."""
    if not ticket.category_code:
        return None
    rules = await route_rules(session)
    for area in (ticket.community_code, ticket.street_code, "*"):
        if not area:
            continue
        rule = rules.get((ticket.category_code, area))
        if rule is not None:
            return rule
    return None


async def dispatch_by_rules(
    session: AsyncSession,
    ticket: Ticket,
    actor: Principal | str,
    *,
    settings: Settings,
    preceding: Sequence[EventPayload] = (),
) -> Ticket:
    """Dispatch by the catalogue; without a matching rule the district coordinates (区级协调)."""
    rule = await find_rule(session, ticket)
    if rule is None:
        return await dispatch_to(
            session,
            ticket,
            actor,
            settings=settings,
            unit=settings.coordination_unit,
            co=[],
            mode="rule",
            coordination=True,
            preceding=preceding,
        )
    return await dispatch_to(
        session,
        ticket,
        actor,
        settings=settings,
        unit=rule.lead_unit_code,
        co=list(rule.co_unit_codes),
        mode="rule",
        rule_id=rule.id,
        preceding=preceding,
    )


async def dispatch_to(
    session: AsyncSession,
    ticket: Ticket,
    actor: Principal | str,
    *,
    settings: Settings,
    unit: str,
    co: list[str],
    mode: str,
    rule_id: str | None = None,
    coordination: bool = False,
    note: str | None = None,
    preceding: Sequence[EventPayload] = (),
) -> Ticket:
    """Dispatch the ticket to a lead unit and co-handlers; records, response due, event (written
    with the step's `preceding` events, in one statement)."""
    action = "reopen" if mode == "reopen" else "dispatch"
    redispatch = ticket.first_unit_code is not None and mode != "reopen"
    if mode != "reopen":
        await step(session, ticket, action, actor, note=note, unit=unit, co=co, mode=mode)
    now = utcnow()
    if ticket.due_at is None:
        await apply_time_limit(session, ticket)
    if ticket.first_unit_code is None:
        ticket.first_unit_code = unit
    ticket.lead_unit_code = unit
    ticket.co_unit_codes = [c for c in co if c != unit]
    ticket.coordination = coordination
    ticket.dispatched_at = now
    deadline = now + timedelta(hours=settings.dispute_window_hours)
    for code, role in [(unit, "lead"), *((c, "co") for c in ticket.co_unit_codes)]:
        # Into the loaded collection (the view shows it) and so into the session.
        ticket.dispatches.append(
            DispatchRecord(
                ticket_id=ticket.id,
                unit_code=code,
                role=role,
                mode=mode,
                rule_id=rule_id,
                dispatched_by=actor if isinstance(actor, str) else actor.subject,
                dispatched_at=now,
                dispute_deadline=deadline,
            )
        )
    response_due = now + timedelta(hours=settings.response_limit_hours)
    if ticket.due_at is not None and ticket.due_at > now:
        response_due = min(response_due, ticket.due_at)
    ticket.response_due_at = response_due
    round_no = ticket.reopen_count + 1
    # Only a re-dispatch within a round finds a response already owed (the new lead unit owes the
    # first contact now); a first dispatch or a reopening starts the round.
    owed = redispatch and await TicketRepository(session).move_response_due(
        ticket.id, round_no, unit_code=unit, due_at=response_due
    )
    if not owed:
        session.add(ResponseDue(ticket_id=ticket.id, round=round_no, unit_code=unit, due_at=response_due))
    await session.flush()
    await emit(
        session,
        *preceding,
        TicketDispatched(
            **event_fields(ticket),
            unit_code=unit,
            co_unit_codes=list(ticket.co_unit_codes),
            mode=mode,  # type: ignore[arg-type]
            redispatch=redispatch,
            coordination=coordination,
            round=round_no,
            dispatched_at=now,
            dispute_deadline=deadline,
            response_due_at=response_due,
            due_at=ticket.due_at,
        ),
    )
    return ticket


async def manual_dispatch(
    session: AsyncSession, ticket: Ticket, body: TicketDispatch, actor: Principal, *, settings: Settings
) -> Ticket:
    """A dispatcher dispatches (or re-dispatches) by hand, or by the catalogue without a unit."""
    require(actor, {"dispatcher"}, "派单", "Dispatching a ticket")
    if body.category_code is not None and body.category_code != ticket.category_code:
        await check_category(session, body.category_code)
        ticket.category_code = body.category_code
        ticket.due_at = None
    if body.complex is not None and body.complex != ticket.complex:
        ticket.complex = body.complex
        ticket.due_at = None
    if ticket.due_at is None:
        await apply_time_limit(session, ticket)
    if body.unit_code is None:
        if not ticket.category_code:
            raise errors.category_required(ticket.number)
        return await dispatch_by_rules(session, ticket, actor, settings=settings)
    await check_unit(session, body.unit_code, "unit_code")
    for i, code in enumerate(body.co_unit_codes):
        await check_unit(session, code, f"co_unit_codes[{i}]")
    return await dispatch_to(
        session,
        ticket,
        actor,
        settings=settings,
        unit=body.unit_code,
        co=list(body.co_unit_codes),
        mode="manual",
        note=body.note,
    )


def open_lead_dispatch(ticket: Ticket) -> DispatchRecord | None:
    """The latest dispatch of the ticket to its lead unit as lead that was not returned, or None
    (from the dispatches loaded with the ticket)."""
    found = [
        d
        for d in ticket.dispatches
        if d.unit_code == ticket.lead_unit_code and d.role == "lead" and d.returned_at is None
    ]
    return max(found, key=lambda d: d.dispatched_at, default=None)


async def return_dispatch(
    session: AsyncSession, ticket: Ticket, body: TicketReturn, actor: Principal
) -> Ticket:
    """The lead unit disputes the dispatch (退单) within the window; the dispatcher re-dispatches."""
    require_lead_unit(actor, ticket)
    record = open_lead_dispatch(ticket)
    now = utcnow()
    if record is not None and now > record.dispute_deadline:
        raise errors.dispute_window_closed(ticket.number, record.dispute_deadline)
    await step(
        session, ticket, "return", actor, note=body.reason, suggested_unit_code=body.suggested_unit_code
    )
    if record is not None:
        record.returned_at = now
        record.return_reason = body.reason
        record.returned_by = actor.subject
    await emit(
        session,
        TicketReturned(
            **event_fields(ticket), unit_code=ticket.lead_unit_code or "", reason=body.reason, returned_at=now
        ),
    )
    return ticket


# --- the dispatch catalogue -------------------------------------------------------------------


async def list_rules(session: AsyncSession, page: PageParams) -> tuple[list[DispatchRule], int]:
    """A page of the dispatch rules, by category and area, and how many there are."""
    return await DispatchRuleRepository(session).page(page)


async def get_rule(session: AsyncSession, rule_id: str) -> DispatchRule:
    """The dispatch rule `rule_id`; 404 when missing."""
    rule = await DispatchRuleRepository(session).find(rule_id)
    if rule is None:
        raise errors.rule_not_found(rule_id)
    return rule


async def _check_rule(session: AsyncSession, body: DispatchRuleCreate | DispatchRuleUpdate) -> None:
    await check_category(session, body.category_code)
    if body.area_code != "*":
        if len(body.area_code) == 12:
            await check_area(session, None, body.area_code)
        else:
            await check_area(session, body.area_code, None)
    await check_unit(session, body.lead_unit_code, "lead_unit_code")
    for i, code in enumerate(body.co_unit_codes):
        await check_unit(session, code, f"co_unit_codes[{i}]")


async def create_rule(session: AsyncSession, body: DispatchRuleCreate, actor: Principal) -> DispatchRule:
    """Add a rule (dispatcher, supervisor)."""
    require(actor, {"dispatcher", "supervisor"}, "编辑派单目录", "Editing the dispatch catalogue")
    await _check_rule(session, body)
    clash = await DispatchRuleRepository(session).find_for(body.category_code, body.area_code)
    if clash is not None:
        raise errors.rule_exists(body.category_code, body.area_code, clash.id)
    rule = DispatchRule(**body.model_dump())
    session.add(rule)
    await session.flush()
    return rule


async def update_rule(
    session: AsyncSession, rule_id: str, body: DispatchRuleUpdate, actor: Principal
) -> DispatchRule:
    """Change a rule (dispatcher, supervisor)."""
    require(actor, {"dispatcher", "supervisor"}, "编辑派单目录", "Editing the dispatch catalogue")
    rule = await get_rule(session, rule_id)
    await _check_rule(session, body)
    if (body.category_code, body.area_code) != (rule.category_code, rule.area_code):
        clash = await DispatchRuleRepository(session).find_for(body.category_code, body.area_code)
        if clash is not None:
            raise errors.rule_exists(body.category_code, body.area_code, clash.id)
    for key, value in body.model_dump().items():
        setattr(rule, key, value)
    rule.updated_at = utcnow()
    await session.flush()
    return rule


async def delete_rule(session: AsyncSession, rule_id: str, actor: Principal) -> None:
    """Remove a rule (dispatcher, supervisor)."""
    require(actor, {"dispatcher", "supervisor"}, "编辑派单目录", "Editing the dispatch catalogue")
    await session.delete(await get_rule(session, rule_id))
