"""Tickets (工单): /v1/tickets. Hotline staff see all, citizens their own, units those dispatched
to them (another's ticket answers 404); callers' phones are masked to units."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from yiwang_shared.db import SessionDep
from yiwang_shared.links import set_location
from yiwang_shared.openapi import created, problems
from yiwang_shared.pagination import PageQuery

from ..config import Settings
from ..lifecycles import Status as TicketStatus
from ..schemas import (
    DuplicatePage,
    DuplicateRead,
    HistoryEntryPage,
    RequestType,
    TicketAnswer,
    TicketCallBack,
    TicketClose,
    TicketCreate,
    TicketDispatch,
    TicketDivert,
    TicketExtend,
    TicketMerge,
    TicketPage,
    TicketRead,
    TicketReopen,
    TicketReply,
    TicketRespond,
    TicketReturn,
)
from ..services import dispatch, duplicates, handling, tickets
from ..services.common import get_ticket
from .deps import Actor

router = APIRouter(prefix="/v1/tickets", tags=["tickets"])

#: Every action on a ticket may meet a status that does not allow it (409 hotline.invalid_transition).
ACTION = problems(409)


def _settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


@router.post(
    "", response_model=TicketRead, status_code=status.HTTP_201_CREATED, responses=created("Registered.")
)
async def tickets_create(
    body: TicketCreate, principal: Actor, session: SessionDep, request: Request, response: Response
) -> TicketRead:
    """Register a ticket (hotline agent: phone, web, mobile or window; citizen: web or mobile)."""
    ticket = await tickets.create_ticket(session, body, principal, _settings(request))
    set_location(response, f"/v1/tickets/{ticket.id}")
    return await tickets.ticket_view(session, ticket, principal)


@router.get("", response_model=TicketPage)
async def tickets_list(
    principal: Actor,
    session: SessionDep,
    page: PageQuery,
    status_: Annotated[TicketStatus | None, Query(alias="status", description="Only this status.")] = None,
    unit: Annotated[
        str | None, Query(max_length=64, description="Lead or first-receiving unit (unit code).")
    ] = None,
    request_type: Annotated[RequestType | None, Query(description="Only this request type.")] = None,
    overdue: Annotated[bool | None, Query(description="true: only overdue; false: only not.")] = None,
    q: Annotated[
        str | None,
        Query(
            min_length=2,
            max_length=100,
            description="Search (查询): the ticket number's start, words in the title, description or "
            "address, or (hotline staff) the caller's whole phone number.",
        ),
    ] = None,
) -> TicketPage:
    """Tickets the caller may see, newest first."""
    rows, total = await tickets.list_tickets(
        session,
        principal,
        tickets.TicketFilters(status=status_, unit=unit, request_type=request_type, overdue=overdue, q=q),
        page,
    )
    return TicketPage(
        items=[await tickets.ticket_view(session, t, principal) for t in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/{ticket_id}", response_model=TicketRead)
async def tickets_get(ticket_id: str, principal: Actor, session: SessionDep) -> TicketRead:
    """One ticket."""
    return await tickets.ticket_view(session, await get_ticket(session, ticket_id, principal), principal)


@router.get("/{ticket_id}/history", response_model=HistoryEntryPage)
async def tickets_history(
    ticket_id: str, principal: Actor, session: SessionDep, page: PageQuery
) -> HistoryEntryPage:
    """Every recorded action on the ticket (办事留痕), oldest first."""
    items, total = await tickets.history(session, await get_ticket(session, ticket_id, principal), page)
    return HistoryEntryPage(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/{ticket_id}/duplicates", response_model=DuplicatePage)
async def tickets_duplicates(
    ticket_id: str, principal: Actor, session: SessionDep, page: PageQuery
) -> DuplicatePage:
    """Likely duplicates (疑似重复件): unfinished tickets of the 30 days around this one sharing its
    street, category, caller or address, scored by how alike their texts are; best first
    (hotline agents and dispatchers, to decide a merge)."""
    ticket = await get_ticket(session, ticket_id, principal)
    matches = await duplicates.likely_duplicates(session, ticket, principal)
    shown = matches[page.offset : page.offset + page.limit]
    return DuplicatePage(
        items=[
            DuplicateRead.model_validate({**_columns(m.ticket), "score": m.score, "reasons": m.reasons})
            for m in shown
        ],
        total=len(matches),
        limit=page.limit,
        offset=page.offset,
    )


def _columns(ticket: object) -> dict[str, object]:
    return {name: getattr(ticket, name) for name in DuplicateRead.model_fields if hasattr(ticket, name)}


async def _done(session: SessionDep, ticket: object, principal: Actor) -> TicketRead:
    return await tickets.ticket_view(session, ticket, principal)  # type: ignore[arg-type]


@router.post("/{ticket_id}/divert", response_model=TicketRead, responses=ACTION)
async def tickets_divert(
    ticket_id: str, body: TicketDivert, principal: Actor, session: SessionDep
) -> TicketRead:
    """Divert with a reason (分流) and close (agent, dispatcher)."""
    t = await get_ticket(session, ticket_id, principal, lock=True)
    return await _done(session, await tickets.divert(session, t, body, principal), principal)


@router.post("/{ticket_id}/merge", response_model=TicketRead, responses=ACTION)
async def tickets_merge(
    ticket_id: str, body: TicketMerge, principal: Actor, session: SessionDep
) -> TicketRead:
    """Merge this duplicate into another ticket; its callers are kept informed (agent, dispatcher)."""
    t = await get_ticket(session, ticket_id, principal, lock=True)
    return await _done(session, await tickets.merge(session, t, body, principal), principal)


@router.post("/{ticket_id}/answer", response_model=TicketRead, responses=ACTION)
async def tickets_answer(
    ticket_id: str, body: TicketAnswer, principal: Actor, session: SessionDep
) -> TicketRead:
    """Close an enquiry answered on the spot with a knowledge-base entry (agent)."""
    t = await get_ticket(session, ticket_id, principal, lock=True)
    return await _done(session, await tickets.answer(session, t, body, principal), principal)


@router.post("/{ticket_id}/dispatch", response_model=TicketRead, responses=ACTION)
async def tickets_dispatch(
    ticket_id: str, body: TicketDispatch, principal: Actor, session: SessionDep, request: Request
) -> TicketRead:
    """Dispatch or re-dispatch, by hand or by the catalogue (dispatcher)."""
    t = await get_ticket(session, ticket_id, principal, lock=True)
    return await _done(
        session,
        await dispatch.manual_dispatch(session, t, body, principal, settings=_settings(request)),
        principal,
    )


@router.post("/{ticket_id}/return", response_model=TicketRead, responses=ACTION)
async def tickets_return(
    ticket_id: str, body: TicketReturn, principal: Actor, session: SessionDep
) -> TicketRead:
    """Dispute the dispatch (退单) within the window (the lead unit's handler)."""
    t = await get_ticket(session, ticket_id, principal, lock=True)
    return await _done(session, await dispatch.return_dispatch(session, t, body, principal), principal)


@router.post("/{ticket_id}/respond", response_model=TicketRead, responses=ACTION)
async def tickets_respond(
    ticket_id: str, body: TicketRespond, principal: Actor, session: SessionDep
) -> TicketRead:
    """Record first contact with the caller (响应) (the lead unit's handler)."""
    t = await get_ticket(session, ticket_id, principal, lock=True)
    return await _done(session, await handling.respond(session, t, body, principal), principal)


@router.post("/{ticket_id}/extend", response_model=TicketRead, responses=ACTION)
async def tickets_extend(
    ticket_id: str, body: TicketExtend, principal: Actor, session: SessionDep
) -> TicketRead:
    """Extend the time limit with a reason (the lead unit's handler, or a dispatcher)."""
    t = await get_ticket(session, ticket_id, principal, lock=True)
    return await _done(session, await handling.extend(session, t, body, principal), principal)


@router.post("/{ticket_id}/reply", response_model=TicketRead, responses=ACTION)
async def tickets_reply(
    ticket_id: str, body: TicketReply, principal: Actor, session: SessionDep
) -> TicketRead:
    """Reply with how the request was handled (the lead unit's handler)."""
    t = await get_ticket(session, ticket_id, principal, lock=True)
    return await _done(session, await handling.reply(session, t, body, principal), principal)


@router.post("/{ticket_id}/call-back", response_model=TicketRead, responses=ACTION)
async def tickets_call_back(
    ticket_id: str, body: TicketCallBack, principal: Actor, session: SessionDep
) -> TicketRead:
    """Record the call-back (回访): resolved and satisfaction (agent, supervisor)."""
    t = await get_ticket(session, ticket_id, principal, lock=True)
    return await _done(session, await handling.call_back(session, t, body, principal), principal)


@router.post("/{ticket_id}/reopen", response_model=TicketRead, responses=ACTION)
async def tickets_reopen(
    ticket_id: str, body: TicketReopen, principal: Actor, session: SessionDep, request: Request
) -> TicketRead:
    """Reopen (重办) an unresolved or unsatisfied ticket (agent, supervisor, dispatcher)."""
    t = await get_ticket(session, ticket_id, principal, lock=True)
    return await _done(
        session, await handling.reopen(session, t, body, principal, settings=_settings(request)), principal
    )


@router.post("/{ticket_id}/close", response_model=TicketRead, responses=ACTION)
async def tickets_close(
    ticket_id: str, body: TicketClose, principal: Actor, session: SessionDep
) -> TicketRead:
    """Close after the call-back (agent, supervisor)."""
    t = await get_ticket(session, ticket_id, principal, lock=True)
    return await _done(session, await handling.close(session, t, body, principal), principal)
