"""Tickets (工单): /v1/tickets. Hotline staff see all, citizens their own, units those dispatched
to them (another's ticket answers 404); callers' phones are masked to units."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request, status

from yiwang_shared.db import SessionDep

from ..config import Settings
from ..schemas import (
    AnswerBody,
    CallbackBody,
    CloseBody,
    DispatchBody,
    DivertBody,
    ExtendBody,
    HistoryView,
    MergeBody,
    ReopenBody,
    ReplyBody,
    RespondBody,
    ReturnBody,
    TicketCreate,
    TicketPage,
    TicketView,
)
from ..services import dispatch, handling, tickets
from ..services.common import get_ticket
from .deps import Actor

router = APIRouter(prefix="/v1/tickets", tags=["tickets"])


def _settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


@router.post("", response_model=TicketView, status_code=status.HTTP_201_CREATED)
async def tickets_create(
    body: TicketCreate, principal: Actor, session: SessionDep, request: Request
) -> TicketView:
    """Register a ticket (hotline agent: any channel but Open311; citizen: web or mobile)."""
    ticket = await tickets.create_ticket(session, body, principal, _settings(request))
    return await tickets.ticket_view(session, ticket, principal)


@router.get("", response_model=TicketPage)
async def tickets_list(
    principal: Actor,
    session: SessionDep,
    status_: Literal[
        "registered", "dispatched", "returned", "in_progress", "replied", "called_back", "closed", "merged"
    ]
    | None = Query(default=None, alias="status"),
    unit: str | None = Query(default=None, max_length=64, description="Lead or first-receiving unit."),
    request_type: Literal["enquiry", "help", "complaint", "report", "suggestion", "praise"] | None = None,
    overdue: bool | None = None,
    limit: int = Query(default=20, ge=1, le=100),
    offset: int = Query(default=0, ge=0, le=1_000_000),
) -> TicketPage:
    """Tickets the caller may see, newest first."""
    rows, total = await tickets.list_tickets(
        session,
        principal,
        tickets.TicketFilters(status=status_, unit=unit, request_type=request_type, overdue=overdue),
        limit=limit,
        offset=offset,
    )
    return TicketPage(
        items=[await tickets.ticket_view(session, t, principal) for t in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


@router.get("/{ticket_id}", response_model=TicketView)
async def tickets_get(ticket_id: str, principal: Actor, session: SessionDep) -> TicketView:
    """One ticket."""
    return await tickets.ticket_view(session, await get_ticket(session, ticket_id, principal), principal)


@router.get("/{ticket_id}/history", response_model=list[HistoryView])
async def tickets_history(ticket_id: str, principal: Actor, session: SessionDep) -> list[HistoryView]:
    """Every recorded action on the ticket (办事留痕)."""
    return await tickets.history(session, await get_ticket(session, ticket_id, principal))


async def _done(session: SessionDep, ticket: object, principal: Actor) -> TicketView:
    return await tickets.ticket_view(session, ticket, principal)  # type: ignore[arg-type]


@router.post("/{ticket_id}/divert", response_model=TicketView)
async def tickets_divert(
    ticket_id: str, body: DivertBody, principal: Actor, session: SessionDep
) -> TicketView:
    """Divert with a reason (分流) and close (agent, dispatcher)."""
    t = await get_ticket(session, ticket_id, principal, lock=True)
    return await _done(session, await tickets.divert(session, t, body, principal), principal)


@router.post("/{ticket_id}/merge", response_model=TicketView)
async def tickets_merge(ticket_id: str, body: MergeBody, principal: Actor, session: SessionDep) -> TicketView:
    """Merge this duplicate into another ticket; its callers are kept informed (agent, dispatcher)."""
    t = await get_ticket(session, ticket_id, principal, lock=True)
    return await _done(session, await tickets.merge(session, t, body, principal), principal)


@router.post("/{ticket_id}/answer", response_model=TicketView)
async def tickets_answer(
    ticket_id: str, body: AnswerBody, principal: Actor, session: SessionDep
) -> TicketView:
    """Close an enquiry answered on the spot with a knowledge-base entry (agent)."""
    t = await get_ticket(session, ticket_id, principal, lock=True)
    return await _done(session, await tickets.answer(session, t, body, principal), principal)


@router.post("/{ticket_id}/dispatch", response_model=TicketView)
async def tickets_dispatch(
    ticket_id: str, body: DispatchBody, principal: Actor, session: SessionDep, request: Request
) -> TicketView:
    """Dispatch or re-dispatch, by hand or by the catalogue (dispatcher)."""
    t = await get_ticket(session, ticket_id, principal, lock=True)
    return await _done(
        session,
        await dispatch.manual_dispatch(session, t, body, principal, settings=_settings(request)),
        principal,
    )


@router.post("/{ticket_id}/return", response_model=TicketView)
async def tickets_return(
    ticket_id: str, body: ReturnBody, principal: Actor, session: SessionDep
) -> TicketView:
    """Dispute the dispatch (退单) within the window (the lead unit's handler)."""
    t = await get_ticket(session, ticket_id, principal, lock=True)
    return await _done(session, await dispatch.return_dispatch(session, t, body, principal), principal)


@router.post("/{ticket_id}/respond", response_model=TicketView)
async def tickets_respond(
    ticket_id: str, body: RespondBody, principal: Actor, session: SessionDep
) -> TicketView:
    """Record first contact with the caller (响应) (the lead unit's handler)."""
    t = await get_ticket(session, ticket_id, principal, lock=True)
    return await _done(session, await handling.respond(session, t, body, principal), principal)


@router.post("/{ticket_id}/extend", response_model=TicketView)
async def tickets_extend(
    ticket_id: str, body: ExtendBody, principal: Actor, session: SessionDep
) -> TicketView:
    """Extend the time limit with a reason (the lead unit's handler, or a dispatcher)."""
    t = await get_ticket(session, ticket_id, principal, lock=True)
    return await _done(session, await handling.extend(session, t, body, principal), principal)


@router.post("/{ticket_id}/reply", response_model=TicketView)
async def tickets_reply(ticket_id: str, body: ReplyBody, principal: Actor, session: SessionDep) -> TicketView:
    """Reply with how the request was handled (the lead unit's handler)."""
    t = await get_ticket(session, ticket_id, principal, lock=True)
    return await _done(session, await handling.reply(session, t, body, principal), principal)


@router.post("/{ticket_id}/call-back", response_model=TicketView)
async def tickets_call_back(
    ticket_id: str, body: CallbackBody, principal: Actor, session: SessionDep
) -> TicketView:
    """Record the call-back (回访): resolved and satisfaction (agent, supervisor)."""
    t = await get_ticket(session, ticket_id, principal, lock=True)
    return await _done(session, await handling.call_back(session, t, body, principal), principal)


@router.post("/{ticket_id}/reopen", response_model=TicketView)
async def tickets_reopen(
    ticket_id: str, body: ReopenBody, principal: Actor, session: SessionDep, request: Request
) -> TicketView:
    """Reopen (重办) an unresolved or unsatisfied ticket (agent, supervisor, dispatcher)."""
    t = await get_ticket(session, ticket_id, principal, lock=True)
    return await _done(
        session, await handling.reopen(session, t, body, principal, settings=_settings(request)), principal
    )


@router.post("/{ticket_id}/close", response_model=TicketView)
async def tickets_close(ticket_id: str, body: CloseBody, principal: Actor, session: SessionDep) -> TicketView:
    """Close after the call-back (agent, supervisor)."""
    t = await get_ticket(session, ticket_id, principal, lock=True)
    return await _done(session, await handling.close(session, t, body, principal), principal)
