"""Tickets (工单): registration, views, lists, diversion, merging duplicates, on-the-spot answers."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.logging import mask_text
from yiwang_shared.orm import new_id, utcnow
from yiwang_shared.pagination import PageParams

from .. import errors
from ..config import Settings
from ..events import TicketClosed, TicketCreated
from ..lifecycles import FINISHED_STATUSES, TICKET
from ..models import DispatchRecord, KbUsage, Ticket, TicketAttachment, TicketContact
from ..repositories.kb import KbRepository
from ..repositories.tickets import TicketRepository
from ..schemas import (
    AttachmentRead,
    ContactRead,
    DispatchRead,
    HistoryEntryRead,
    TicketAnswer,
    TicketCreate,
    TicketDivert,
    TicketMerge,
    TicketRead,
)
from . import dispatch as dispatching
from .access import is_handler, is_hotline_staff, mask_phone, require
from .common import emit, event_fields, get_ticket, record, step
from .limits import apply_time_limit
from .orgs import check_area
from .tickets_support import check_attributes, check_category

CITIZEN_CHANNELS = frozenset({"web", "mobile"})
#: Request types as callers say them.
REQUEST_TYPES_ZH = {
    "enquiry": "咨询",
    "help": "求助",
    "complaint": "投诉",
    "report": "举报",
    "suggestion": "建议",
    "praise": "表扬",
}


def new_number(now: datetime) -> str:
    """A ticket number: date plus random digits (工单编号), e.g. 20261122-483920."""
    return now.strftime("%Y%m%d") + "-" + f"{secrets.randbelow(10**8):08d}"


def _channel(
    body: TicketCreate, actor: Principal, *, via_open311: bool, transferred_channel: str | None
) -> str:
    """The channel the ticket is registered on; 422 for a citizen on an agent's channel, 403 for
    staff who do not register tickets."""
    if transferred_channel is not None:
        return transferred_channel
    if via_open311:
        return "open311"
    if is_hotline_staff(actor):
        return body.channel
    if not actor.is_staff:
        if body.channel not in CITIZEN_CHANNELS:
            raise errors.invalid_channel(body.channel)
        return body.channel
    require(actor, {"hotline_agent"}, "登记工单", "Registering a ticket")
    return body.channel


def _new_ticket(
    body: TicketCreate,
    actor: Principal,
    *,
    channel: str,
    street: str | None,
    community: str | None,
    via_open311: bool,
) -> Ticket:
    """The ticket row a registration creates (registered, not yet dispatched)."""
    now = utcnow()
    return Ticket(
        id=new_id(),
        number=new_number(now),
        request_type=body.request_type,
        channel=channel,
        category_code=body.category_code,
        title=body.title,
        description=body.description,
        urgent=body.urgent,
        complex=body.complex,
        caller_name=body.caller_name,
        caller_phone=body.caller_phone,
        citizen_subject=None if actor.is_staff or via_open311 else actor.subject,
        anonymous=body.anonymous,
        address=body.address,
        lat=body.lat,
        lon=body.lon,
        street_code=street,
        community_code=community,
        attributes=body.attributes,
        status="registered",
        co_unit_codes=[],
        reopen_count=0,
        created_by=actor.subject,
        created_at=now,
        updated_at=now,
    )


async def create_ticket(
    session: AsyncSession,
    body: TicketCreate,
    actor: Principal,
    settings: Settings,
    *,
    via_open311: bool = False,
    transferred_channel: str | None = None,
) -> Ticket:
    """Register a ticket; dispatch it at once by the catalogue unless it is an enquiry.

    `transferred_channel` is for tickets other services hand over by event (差评转办), never for
    a caller's request.
    """
    channel = _channel(body, actor, via_open311=via_open311, transferred_channel=transferred_channel)
    category = await check_category(session, body.category_code)
    check_attributes(category, body.attributes)
    street, community = await check_area(session, body.street_code, body.community_code)
    ticket = _new_ticket(
        body, actor, channel=channel, street=street, community=community, via_open311=via_open311
    )
    await apply_time_limit(session, ticket)
    # The ticket's row and what hangs off it are written once, by the step's one flush (after the
    # dispatch when there is one); the view is built from them.
    ticket.contacts = [
        TicketContact(
            ticket_id=ticket.id,
            source_ticket_id=ticket.id,
            name=body.caller_name,
            phone=body.caller_phone,
            citizen_subject=ticket.citizen_subject,
        )
    ]
    ticket.attachments = [
        TicketAttachment(id=new_id(), ticket_id=ticket.id, **a.model_dump()) for a in body.attachments
    ]
    ticket.dispatches = []
    session.add(ticket)
    record(session, ticket, "create", actor, from_status=None, channel=channel)
    created = TicketCreated(
        **event_fields(ticket),
        title=ticket.title,
        urgent=ticket.urgent,
        time_limit_rule=ticket.time_limit_rule,
        due_at=ticket.due_at,
        created_at=ticket.created_at,
    )
    if body.auto_dispatch and body.request_type != "enquiry" and ticket.category_code:
        return await dispatching.dispatch_by_rules(
            session, ticket, actor, settings=settings, preceding=[created]
        )
    await session.flush()
    await emit(session, created)
    return ticket


def _sees_all(ticket: Ticket, viewer: Principal | None) -> bool:
    """True when `viewer` sees the callers' phones and the texts unmasked (hotline staff, the caller)."""
    return (
        viewer is None
        or is_hotline_staff(viewer)
        or (not viewer.is_staff and viewer.subject == ticket.citizen_subject)
    )


def _attached(
    contacts: list[TicketContact],
    attachments: list[TicketAttachment],
    dispatches: list[DispatchRecord],
    *,
    full: bool,
) -> dict[str, Any]:
    """The ticket's contacts (phones masked unless `full`), attachments and dispatches, for TicketRead."""
    return {
        "contacts": [
            ContactRead(
                name=c.name,
                phone=c.phone if full else mask_phone(c.phone),
                source_ticket_id=c.source_ticket_id,
            )
            for c in contacts
        ],
        "attachments": [
            AttachmentRead(
                id=a.id, file_name=a.file_name, media_type=a.media_type, size_bytes=a.size_bytes, url=a.url
            )
            for a in attachments
        ],
        "dispatches": [
            DispatchRead(
                unit_code=d.unit_code,
                role=d.role,  # type: ignore[arg-type]
                mode=d.mode,  # type: ignore[arg-type]
                dispatched_at=d.dispatched_at,
                dispute_deadline=d.dispute_deadline,
                returned_at=d.returned_at,
                return_reason=d.return_reason,
            )
            for d in dispatches
        ],
    }


async def ticket_view(session: AsyncSession, ticket: Ticket, viewer: Principal | None) -> TicketRead:
    """The ticket shaped for `viewer`: callers' phones masked unless hotline staff or the caller."""
    full = _sees_all(ticket, viewer)

    def text(t: str) -> str:
        # A caller's number or resident ID typed into the text is masked like the phone field.
        return t if full else mask_text(t)

    attached = _attached(*(await TicketRepository(session).children(ticket)), full=full)
    primary = await TicketRepository(session).primary_of(ticket)
    shown = primary or ticket
    return TicketRead(
        id=ticket.id,
        number=ticket.number,
        request_type=ticket.request_type,  # type: ignore[arg-type]
        channel=ticket.channel,  # type: ignore[arg-type]
        category_code=ticket.category_code,
        title=text(ticket.title),
        description=text(ticket.description),
        urgent=ticket.urgent,
        complex=ticket.complex,
        caller_name=ticket.caller_name,
        caller_phone=ticket.caller_phone if full else mask_phone(ticket.caller_phone),
        anonymous=ticket.anonymous,
        address=ticket.address,
        lat=ticket.lat,
        lon=ticket.lon,
        street_code=ticket.street_code,
        community_code=ticket.community_code,
        attributes=ticket.attributes,
        # The columns hold the Literals' values; the model checks them.
        status=ticket.status,  # type: ignore[arg-type]
        allowed_actions=TICKET.allowed(ticket.status),
        close_reason=ticket.close_reason,  # type: ignore[arg-type]
        close_note=ticket.close_note,
        diversion_reason=ticket.diversion_reason,  # type: ignore[arg-type]
        merged_into_id=ticket.merged_into_id,
        merged_into_number=primary.number if primary else None,
        kb_entry_id=ticket.kb_entry_id,
        lead_unit_code=ticket.lead_unit_code,
        co_unit_codes=list(ticket.co_unit_codes or []),
        first_unit_code=ticket.first_unit_code,
        coordination=ticket.coordination,
        time_limit_rule=ticket.time_limit_rule,
        due_at=ticket.due_at,
        response_due_at=ticket.response_due_at,
        overdue=ticket.overdue_at is not None,
        responded_at=ticket.responded_at,
        replied_at=shown.replied_at,
        reply=shown.reply,
        reopen_count=ticket.reopen_count,
        created_at=ticket.created_at,
        closed_at=ticket.closed_at,
        **attached,
    )


@dataclass
class TicketFilters:
    """List filters."""

    status: str | None = None
    unit: str | None = None
    request_type: str | None = None
    overdue: bool | None = None
    q: str | None = None


async def list_tickets(
    session: AsyncSession, principal: Principal, filters: TicketFilters, page: PageParams
) -> tuple[list[Ticket], int]:
    """Tickets the caller may see, newest first."""
    citizen = dispatched_to = None
    if is_hotline_staff(principal):
        pass
    elif not principal.is_staff:
        citizen = principal.subject
    elif is_handler(principal):
        dispatched_to = principal.org_unit
    else:
        raise errors.ticket_list_forbidden()
    return await TicketRepository(session).search(
        citizen=citizen,
        dispatched_to=dispatched_to,
        status=filters.status,
        unit=filters.unit,
        request_type=filters.request_type,
        overdue=filters.overdue,
        q=filters.q,
        whole_phone=is_hotline_staff(principal),
        page=page,
    )


async def history(
    session: AsyncSession, ticket: Ticket, page: PageParams
) -> tuple[list[HistoryEntryRead], int]:
    """A page of the recorded actions on the ticket, oldest first, and how many there are."""
    rows, total = await TicketRepository(session).history_page(ticket.id, page)
    return [
        HistoryEntryRead(
            action=h.action,  # type: ignore[arg-type]
            from_status=h.from_status,  # type: ignore[arg-type]
            to_status=h.to_status,  # type: ignore[arg-type]
            actor=h.actor,
            actor_unit=h.actor_unit,
            note=h.note,
            data=h.data,
            at=h.at,
        )
        for h in rows
    ], total


async def closed_event(
    session: AsyncSession,
    ticket: Ticket,
    *,
    resolved: bool | None = None,
    satisfaction: str | None = None,
    merged: list[str] | None = None,
) -> None:
    """Publish hotline.ticket.closed.v1 for `ticket` (`merged`: the ids of the tickets merged into
    it, when the caller knows them)."""
    if merged is None:
        merged = await TicketRepository(session).merged_ids(ticket.id)
    await emit(
        session,
        TicketClosed(
            **event_fields(ticket),
            close_reason=ticket.close_reason,  # type: ignore[arg-type]
            diversion_reason=ticket.diversion_reason,
            kb_entry_id=ticket.kb_entry_id,
            merged_into_id=ticket.merged_into_id,
            merged_ticket_ids=sorted(merged),
            resolved=resolved,
            satisfaction=satisfaction,  # type: ignore[arg-type]
            closed_at=ticket.closed_at or utcnow(),
        ),
    )


async def divert(session: AsyncSession, ticket: Ticket, body: TicketDivert, actor: Principal) -> Ticket:
    """Divert with a reason (分流) and close."""
    require(actor, {"hotline_agent", "dispatcher"}, "分流工单", "Diverting a ticket")
    await step(session, ticket, "divert", actor, note=body.note, reason=body.reason)
    ticket.close_reason = "diverted"
    ticket.diversion_reason = body.reason
    ticket.close_note = body.note
    ticket.closed_at = utcnow()
    await closed_event(session, ticket)
    return ticket


async def merge(session: AsyncSession, ticket: Ticket, body: TicketMerge, actor: Principal) -> Ticket:
    """Merge a duplicate into another open ticket; its callers join the primary's contacts."""
    require(actor, {"hotline_agent", "dispatcher"}, "合并工单", "Merging tickets")
    if body.into_ticket_id == ticket.id:
        raise errors.merge_into_itself()
    primary = await get_ticket(session, body.into_ticket_id, actor)
    if primary.status in FINISHED_STATUSES:
        raise errors.merge_into_finished(primary.number, primary.status)
    await step(session, ticket, "merge", actor, note=body.note, into=primary.id)
    ticket.merged_into = primary
    ticket.close_reason = "merged"
    ticket.closed_at = utcnow()
    for c in ticket.contacts:
        primary.contacts.append(
            TicketContact(
                ticket_id=primary.id,
                source_ticket_id=c.source_ticket_id,
                name=c.name,
                phone=c.phone,
                citizen_subject=c.citizen_subject,
            )
        )
    record(session, primary, "absorb", actor, from_status=primary.status, duplicate=ticket.id)
    # Later duplicates of this one follow it to the primary (the step's rows are flushed first).
    await TicketRepository(session).repoint_merged(ticket.id, primary.id)
    # Every ticket merged into this one now points at the primary.
    await closed_event(session, ticket, merged=[])
    return ticket


async def answer(session: AsyncSession, ticket: Ticket, body: TicketAnswer, actor: Principal) -> Ticket:
    """Close an enquiry answered on the spot with a knowledge-base entry; count the use."""
    require(actor, {"hotline_agent"}, "当场答复咨询", "Answering an enquiry")
    if ticket.request_type != "enquiry":
        raise errors.not_an_enquiry(
            ticket.number, ticket.request_type, REQUEST_TYPES_ZH.get(ticket.request_type)
        )
    entry = await KbRepository(session).find_entry(body.kb_entry_id)
    if entry is None:
        raise errors.kb_entry_not_found(body.kb_entry_id)
    if entry.status != "published" or entry.published_version_no is None:
        raise errors.kb_not_answerable(entry.id, entry.status)
    await step(session, ticket, "answer", actor, note=body.note, kb_entry_id=entry.id)
    now = utcnow()
    ticket.close_reason = "answered"
    ticket.kb_entry_id = entry.id
    ticket.close_note = body.note
    ticket.closed_at = now
    entry.usage_count += 1
    entry.last_used_at = now
    session.add(
        KbUsage(
            entry_id=entry.id,
            version_no=entry.published_version_no,
            ticket_id=ticket.id,
            used_by=actor.subject,
            used_at=now,
        )
    )
    await closed_event(session, ticket)
    return ticket
