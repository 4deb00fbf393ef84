"""免申即享 (proactive service): /v1/offers — what residents who became eligible are offered without
applying, and their answer (confirming opens the case)."""

from __future__ import annotations

from typing import Annotated

import aiohttp
from fastapi import APIRouter, Query, Request

from yiwang_shared.auth import Principal, bearer_token
from yiwang_shared.db import SessionDep
from yiwang_shared.openapi import problems
from yiwang_shared.pagination import PageQuery

from ..clients.identity import own_account
from ..clients.licences import own_valid_licences
from ..lifecycles import OFFER_STATUS_NAMES, OfferStatus
from ..models.offers import ProactiveOffer
from ..schemas import DeliveryWishRead
from ..schemas.offers import OfferConfirm, OfferPage, OfferRead
from ..services import applicants, proactive
from .deps import Actor, AppSettings, Now

router = APIRouter(prefix="/v1/offers", tags=["offers"])

ANSWER_PROBLEMS = problems(
    s403="Only the person offered it answers an offer, from their own login (not staff, not as an "
    "enterprise's agent)",
    s409="The offer was confirmed, declined or lapsed already (intake.offer_not_offered)",
)


async def offer_view(session: SessionDep, offer: ProactiveOffer, actor: Principal) -> OfferRead:
    """The offer as `actor` sees it."""
    entry = await proactive.offered_item(session, offer)
    return OfferRead(
        id=offer.id,
        number=offer.number,
        item_code=offer.item_code,
        item_name=offer.item_name,
        unit_code=offer.unit_code,
        account_id=offer.account_id,
        person_name=offer.person_name,
        age=offer.age,
        reached_on=offer.reached_on,
        reason=offer.reason,
        status=offer.status,  # type: ignore[arg-type]  # offered | confirmed | declined | expired
        status_name=OFFER_STATUS_NAMES.get(offer.status, offer.status),
        offered_at=offer.offered_at,
        expires_at=offer.expires_at,
        decided_at=offer.decided_at,
        notified_at=offer.notified_at,
        delivery_modes=proactive.delivery_modes(entry),  # type: ignore[arg-type]  # DeliveryMode values
        delivery=DeliveryWishRead.model_validate(offer.delivery) if offer.delivery else None,
        application_id=offer.application_id,
        allowed_actions=proactive.allowed_actions(offer, actor),
    )


@router.get("", response_model=OfferPage)
async def offers_list(
    session: SessionDep,
    actor: Actor,
    page: PageQuery,
    status: Annotated[OfferStatus | None, Query(description="Only offers in this state.")] = None,
    item_code: Annotated[
        str | None, Query(max_length=64, description="Only offers of this item (实施编码).")
    ] = None,
) -> OfferPage:
    """The 免申即享 offers the caller may see, newest first: a citizen their own; staff those of
    their unit's items (and the units under it); supervisors and administrators every one."""
    offers, total = await proactive.page_for(session, actor, status=status, item_code=item_code, page=page)
    return OfferPage(
        items=[await offer_view(session, o, actor) for o in offers],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/{offer_id}", response_model=OfferRead)
async def offers_get(offer_id: str, session: SessionDep, actor: Actor) -> OfferRead:
    """One offer, for the person offered it and the staff who see it (else 404)."""
    return await offer_view(session, await proactive.get_visible(session, actor, offer_id), actor)


@router.post("/{offer_id}/confirm", response_model=OfferRead, responses=ANSWER_PROBLEMS)
async def offers_confirm(
    offer_id: str,
    body: OfferConfirm,
    session: SessionDep,
    actor: Actor,
    now: Now,
    settings: AppSettings,
    request: Request,
) -> OfferRead:
    """Confirm the offer (确认享受) with where to receive the result: the case is opened as the
    person's own online application — nothing to hand in: the licence library's materials are
    fetched, the rest waived — and decided at once when the item's 秒批 rules hold on their verified
    data (else a person decides). `application_id` names the case."""
    proactive.answering_for_self(actor)  # 403 for staff and agents, before any call out
    # identity-svc and the licence library are asked before any database work, so no transaction
    # waits on them: the person's own account (name, mobile, resident ID) and their valid licences.
    client: aiohttp.ClientSession = request.app.state.identity_client
    bearer, timeout = bearer_token(request), settings.request_timeout_seconds
    account = await own_account(
        client, base_url=settings.resolved_identity_url(), bearer=bearer, timeout=timeout
    )
    applicant = applicants.record_from(account, "self")
    licences = await own_valid_licences(client, base_url=settings.licence_url, bearer=bearer, timeout=timeout)
    offer = await proactive.confirm(
        session,
        actor,
        offer_id,
        body,
        applicant=applicant,
        licences=licences or [],
        now=now,
        settings=settings,
    )
    await session.flush()
    return await offer_view(session, offer, actor)


@router.post("/{offer_id}/decline", response_model=OfferRead, responses=ANSWER_PROBLEMS)
async def offers_decline(offer_id: str, session: SessionDep, actor: Actor, now: Now) -> OfferRead:
    """Decline the offer (放弃); it cannot be confirmed afterwards (apply online instead)."""
    offer = await proactive.decline(session, actor, offer_id, now=now)
    await session.flush()
    return await offer_view(session, offer, actor)
