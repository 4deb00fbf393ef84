"""The knowledge base (热线知识库): /v1/kb. Staff search and read; editors draft; reviewers publish."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Query, status

from yiwang_shared.auth import Principal
from yiwang_shared.db import SessionDep
from yiwang_shared.errors import Forbidden

from ..schemas import KbDraftIn, KbEntryView, KbSearchResult, KbUsageStat, ReviewBody
from ..services import kb as svc
from .deps import Actor

router = APIRouter(prefix="/v1/kb", tags=["knowledge base"])


def _staff(principal: Principal) -> None:
    if not principal.is_staff:
        raise Forbidden("The knowledge base is for staff.", code="auth.role_required")


@router.get("/search", response_model=KbSearchResult)
async def kb_search(
    principal: Actor,
    session: SessionDep,
    q: str = Query(min_length=1, max_length=200, description="What the caller asks, in Chinese."),
    limit: int = Query(default=10, ge=1, le=50),
) -> KbSearchResult:
    """Published entries best matching the question (an agent on the call)."""
    _staff(principal)
    return KbSearchResult(query=q, items=await svc.search(session, q, limit=limit))


@router.get("/usage", response_model=list[KbUsageStat])
async def kb_usage(
    principal: Actor,
    session: SessionDep,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = Query(default=50, ge=1, le=500),
) -> list[KbUsageStat]:
    """Usage statistics: how often each entry answered an enquiry."""
    _staff(principal)
    return await svc.usage_stats(session, since, until, limit)


@router.post("/entries", response_model=KbEntryView, status_code=status.HTTP_201_CREATED)
async def kb_entries_create(body: KbDraftIn, principal: Actor, session: SessionDep) -> KbEntryView:
    """A new entry (draft version 1)."""
    return await svc.entry_view(session, await svc.create_entry(session, body, principal))


@router.get("/entries/{entry_id}", response_model=KbEntryView)
async def kb_entries_get(entry_id: str, principal: Actor, session: SessionDep) -> KbEntryView:
    """One entry with its published and latest versions."""
    _staff(principal)
    return await svc.entry_view(session, await svc.get_entry(session, entry_id))


@router.put("/entries/{entry_id}/draft", response_model=KbEntryView)
async def kb_entries_draft(
    entry_id: str, body: KbDraftIn, principal: Actor, session: SessionDep
) -> KbEntryView:
    """Edit the open draft, or start a new version after the published one."""
    entry = await svc.get_entry(session, entry_id)
    return await svc.entry_view(session, await svc.new_draft(session, entry, body, principal))


@router.post("/entries/{entry_id}/submit", response_model=KbEntryView)
async def kb_entries_submit(entry_id: str, principal: Actor, session: SessionDep) -> KbEntryView:
    """Send the draft for review."""
    entry = await svc.get_entry(session, entry_id)
    return await svc.entry_view(session, await svc.submit(session, entry, principal))


@router.post("/entries/{entry_id}/approve", response_model=KbEntryView)
async def kb_entries_approve(
    entry_id: str, body: ReviewBody, principal: Actor, session: SessionDep
) -> KbEntryView:
    """Publish the version under review (a supervisor other than the author)."""
    entry = await svc.get_entry(session, entry_id)
    return await svc.entry_view(session, await svc.approve(session, entry, principal, body.note))


@router.post("/entries/{entry_id}/reject", response_model=KbEntryView)
async def kb_entries_reject(
    entry_id: str, body: ReviewBody, principal: Actor, session: SessionDep
) -> KbEntryView:
    """Send the version under review back to draft."""
    entry = await svc.get_entry(session, entry_id)
    return await svc.entry_view(session, await svc.reject(session, entry, principal, body.note))


@router.post("/entries/{entry_id}/withdraw", response_model=KbEntryView)
async def kb_entries_withdraw(
    entry_id: str, body: ReviewBody, principal: Actor, session: SessionDep
) -> KbEntryView:
    """Withdraw a published entry."""
    entry = await svc.get_entry(session, entry_id)
    return await svc.entry_view(session, await svc.withdraw(session, entry, principal, body.note))
