"""The knowledge base (热线知识库): /v1/kb. Staff search and read; editors draft; reviewers publish."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from yiwang_shared.auth import Principal
from yiwang_shared.db import SessionDep
from yiwang_shared.links import set_location
from yiwang_shared.openapi import created, problems
from yiwang_shared.pagination import DateRangeQuery, PageQuery, paginate

from .. import errors
from ..schemas import (
    KbDraftUpdate,
    KbEntryCreate,
    KbEntryRead,
    KbEntryReview,
    KbEntryWithdraw,
    KbHitPage,
    KbUsagePage,
)
from ..services import kb as svc
from .deps import Actor

router = APIRouter(prefix="/v1/kb", tags=["knowledge base"])

#: A version step the entry's status may not allow (409 hotline.kb_invalid_transition).
STEP = problems(409)


def _staff(principal: Principal) -> None:
    if not principal.is_staff:
        raise errors.kb_staff_only()


@router.get("/search", response_model=KbHitPage)
async def kb_search(
    principal: Actor,
    session: SessionDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="What the caller asks, in Chinese.")],
    page: PageQuery,
) -> KbHitPage:
    """Published entries best matching the question, best first (an agent on the call)."""
    _staff(principal)
    hits, total = await svc.search(session, q, page)
    return KbHitPage(query=q, items=hits, total=total, limit=page.limit, offset=page.offset)


@router.get("/usage", response_model=KbUsagePage)
async def kb_usage(
    principal: Actor, session: SessionDep, days: DateRangeQuery, page: PageQuery
) -> KbUsagePage:
    """Usage statistics (使用统计): entries that answered enquiries in the days asked for, most used first."""
    _staff(principal)
    return KbUsagePage.model_validate(paginate(await svc.usage_stats(session, days), page))


@router.post(
    "/entries",
    response_model=KbEntryRead,
    status_code=status.HTTP_201_CREATED,
    responses=created("Created: draft version 1."),
)
async def kb_entries_create(
    body: KbEntryCreate, principal: Actor, session: SessionDep, response: Response
) -> KbEntryRead:
    """A new entry (draft version 1)."""
    entry = await svc.create_entry(session, body, principal)
    set_location(response, f"/v1/kb/entries/{entry.id}")
    return await svc.entry_view(session, entry)


@router.get("/entries/{entry_id}", response_model=KbEntryRead)
async def kb_entries_get(entry_id: str, principal: Actor, session: SessionDep) -> KbEntryRead:
    """One entry with its published and latest versions."""
    _staff(principal)
    return await svc.entry_view(session, await svc.get_entry(session, entry_id))


@router.put("/entries/{entry_id}/draft", response_model=KbEntryRead, responses=STEP)
async def kb_entries_draft(
    entry_id: str, body: KbDraftUpdate, principal: Actor, session: SessionDep
) -> KbEntryRead:
    """Edit the open draft, or start a new version after the published one."""
    entry = await svc.get_entry(session, entry_id)
    return await svc.entry_view(session, await svc.new_draft(session, entry, body, principal))


@router.post("/entries/{entry_id}/submit", response_model=KbEntryRead, responses=STEP)
async def kb_entries_submit(entry_id: str, principal: Actor, session: SessionDep) -> KbEntryRead:
    """Send the draft for review."""
    entry = await svc.get_entry(session, entry_id)
    return await svc.entry_view(session, await svc.submit(session, entry, principal))


@router.post("/entries/{entry_id}/approve", response_model=KbEntryRead, responses=STEP)
async def kb_entries_approve(
    entry_id: str, body: KbEntryReview, principal: Actor, session: SessionDep
) -> KbEntryRead:
    """Publish the version under review (a supervisor other than the author)."""
    entry = await svc.get_entry(session, entry_id)
    return await svc.entry_view(session, await svc.approve(session, entry, principal, body.note))


@router.post("/entries/{entry_id}/reject", response_model=KbEntryRead, responses=STEP)
async def kb_entries_reject(
    entry_id: str, body: KbEntryReview, principal: Actor, session: SessionDep
) -> KbEntryRead:
    """Send the version under review back to draft."""
    entry = await svc.get_entry(session, entry_id)
    return await svc.entry_view(session, await svc.reject(session, entry, principal, body.note))


@router.post("/entries/{entry_id}/withdraw", response_model=KbEntryRead, responses=STEP)
async def kb_entries_withdraw(
    entry_id: str, body: KbEntryWithdraw, principal: Actor, session: SessionDep
) -> KbEntryRead:
    """Withdraw a published entry."""
    entry = await svc.get_entry(session, entry_id)
    return await svc.entry_view(session, await svc.withdraw(session, entry, principal, body.note))
