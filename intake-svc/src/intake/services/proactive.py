"""免申即享 (proactive service): a resident who becomes eligible for an item is offered it without
applying, and confirming the offer opens the case for them.

- **Offered.** identity publishes who reached an age each day (identity.person.age_reached.v1). For
  every item in force whose `proactive` element names that age (`min_age`) — and, when it names a
  district (`resident_of`), whose resident ID's region code lies in it — the person gets an offer
  (one per person, item and age, however often the age is published), valid `OFFER_VALID_DAYS`,
  and an SMS asking them to confirm in 北京通 or the portal and choose where to receive the result
  (`services.proactive_worker`: the mobile comes from identity by the event's contact ticket).
- **Confirmed.** The person confirms with a delivery wish: the case is opened as their own online
  application (channel online, the form filled from the offer and the wish), with nothing to hand
  in — what the licence library holds for them is fetched, the rest is waived because the
  government made the offer — and the item's 秒批 rules are checked on their verified data as for
  any online application; all held, it is decided at once, otherwise a person decides and the
  trace says which rule did not hold.
- **Declined or lapsed.** The person may decline; an offer unconfirmed at `expires_at` lapses.
- **Who sees it.** The person their own offers; staff the offers of their unit's items (and the
  units under it); supervisors and administrators every one. Others get 404, as for cases.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import local_date
from yiwang_shared.lifecycle import TransitionRefused
from yiwang_shared.orm import as_utc
from yiwang_shared.pagination import PageParams

from .. import errors
from ..config import Settings
from ..lifecycles import OFFER, OFFER_STATUS_NAMES, OfferAction
from ..models.offers import ProactiveOffer
from ..repositories.offers import OfferRepository
from ..schemas import ApplicationSubmit
from ..schemas.offers import DeliveryWish, OfferConfirm
from . import auto_approval, numbering, submission
from .access import OVERSIGHT_ROLES
from .applicants import ApplicantRecord
from .cases import OFFER_KEY
from .catalogue import CatalogueEntry, find_published_item, find_version
from .orgs import staff_units
from .read_models import items_in_force

#: Key in `Session.info` set when an offer was made: the worker that texts the person is woken by
#: the commit (yiwang_shared.db.Database.add_commit_hook).
OFFERS_DIRTY = "intake_offers_dirty"
#: Delivery modes every item offers; post only where the item sends results by post.
BASE_MODES = ("window", "locker")


def proactive_of(entry: CatalogueEntry) -> Mapping[str, Any] | None:
    """The item's 免申即享 element, if it is offered unasked."""
    element = entry.elements.get("proactive")
    return element if isinstance(element, Mapping) and element.get("min_age") is not None else None


def eligible(entry: CatalogueEntry, age: int, region_code: str) -> bool:
    """Is a person of `region_code` who reached `age` offered the item?"""
    element = proactive_of(entry)
    if element is None or int(element["min_age"]) != age:
        return False
    district = str(element.get("resident_of") or "")
    return region_code.startswith(district)


def delivery_modes(entry: CatalogueEntry | None) -> list[str]:
    """How the item's result can be received (post only where the item sends by post)."""
    if entry is not None and entry.elements.get("post_delivery_supported"):
        return ["window", "post", "locker"]
    return list(BASE_MODES)


async def _offer_number(session: AsyncSession, now: datetime) -> str:
    year = local_date(now).year
    return f"MS{year}{await numbering.next_value(session, f'offer-{year}'):08d}"


async def _eligible_items(session: AsyncSession, age: int, region_code: str) -> list[CatalogueEntry]:
    """The versions in force of the items a person of `region_code` reaching `age` is offered."""
    found = []
    for code, item in sorted((await items_in_force(session)).items()):
        if item.status != "published":
            continue
        entry = await find_version(session, code, item.current_version_no)
        if entry is not None and eligible(entry, age, region_code):
            found.append(entry)
    return found


async def offer_for_age(
    session: AsyncSession, data: Mapping[str, Any], *, event_id: str, now: datetime, valid_days: int
) -> list[ProactiveOffer]:
    """Apply an identity.person.age_reached.v1 payload: an offer of every item the person became
    eligible for, unless they have one for it and this age already; the offers made."""
    age, account_id, region = int(data["age"]), str(data["account_id"]), str(data["region_code"])
    eligible_items = await _eligible_items(session, age, region)  # in memory once the catalogue is warm
    if not eligible_items:
        return []  # most birthdays: no statement at all
    repo = OfferRepository(session)
    offered = await repo.existing_items(account_id, age)
    made = []
    for entry in eligible_items:
        if entry.code in offered:
            continue
        offer = ProactiveOffer(
            number=await _offer_number(session, now),
            item_code=entry.code,
            item_name=entry.name,
            version_no=entry.version_no,
            unit_code=entry.owner_unit_code,
            account_id=account_id,
            person_name=str(data["name"]),
            age=age,
            reached_on=date.fromisoformat(str(data["reached_on"])[:10]),
            region_code=region,
            reason=f"您已年满{age}周岁",
            status="offered",
            offered_at=now,
            expires_at=now + timedelta(days=valid_days),
            contact_ticket=str(data.get("contact_ticket") or "") or None,
            source_event_id=event_id,
        )
        repo.add(offer)
        made.append(offer)
    if made:
        session.info[OFFERS_DIRTY] = True
    return made


# --- who sees what ----------------------------------------------------------------------------


def _answers_for_self(actor: Principal) -> bool:
    """A person acting for themselves (not staff, not for an enterprise)."""
    return not actor.is_staff and actor.acting_for is None


def answering_for_self(actor: Principal) -> None:
    """403 unless `actor` is a person acting for themselves: only they answer their offers."""
    if not _answers_for_self(actor):
        raise errors.offer_person_only()


async def _may_see(session: AsyncSession, actor: Principal, offer: ProactiveOffer) -> bool:
    if not actor.is_staff:
        return offer.account_id == actor.subject
    if actor.roles & OVERSIGHT_ROLES:
        return True
    return offer.unit_code in await staff_units(session, actor)


async def get_visible(
    session: AsyncSession, actor: Principal, offer_id: str, *, for_update: bool = False
) -> ProactiveOffer:
    """The offer if `actor` may see it (locked for update when asked), else 404."""
    offer = await OfferRepository(session).find(offer_id, for_update=for_update)
    if offer is None or not await _may_see(session, actor, offer):
        raise errors.offer_not_found(offer_id)
    return offer


async def page_for(
    session: AsyncSession,
    actor: Principal,
    *,
    status: str | None,
    item_code: str | None,
    page: PageParams,
) -> tuple[list[ProactiveOffer], int]:
    """The offers `actor` may see, newest first: their own, their units', or all (oversight)."""
    account_id, units = None, None
    if not actor.is_staff:
        account_id = actor.subject
    elif not actor.roles & OVERSIGHT_ROLES:
        units = await staff_units(session, actor)
    return await OfferRepository(session).page(
        account_id=account_id, units=units, status=status, item_code=item_code, page=page
    )


def allowed_actions(offer: ProactiveOffer, actor: Principal) -> list[OfferAction]:
    """What `actor` may do with the offer now: the person confirms or declines while offered."""
    if not _answers_for_self(actor) or offer.account_id != actor.subject:
        return []
    return sorted(a for a in OFFER.allowed(offer.status) if a != "expire")


async def offered_item(session: AsyncSession, offer: ProactiveOffer) -> CatalogueEntry | None:
    """The version in force of the item offered (None once retired)."""
    return await find_published_item(session, offer.item_code)


# --- the person's answer ----------------------------------------------------------------------


def advance(offer: ProactiveOffer, action: OfferAction, *, now: datetime) -> None:
    """Apply `action`; 409 when the offer is no longer offered."""
    try:
        offer.status = OFFER.target(offer.status, action)
    except TransitionRefused:
        raise errors.offer_not_offered(
            offer.status, OFFER_STATUS_NAMES.get(offer.status, offer.status)
        ) from None
    offer.decided_at = now


async def answerable(
    session: AsyncSession, actor: Principal, offer_id: str, *, now: datetime
) -> ProactiveOffer:
    """The person's own offer, locked, while it waits for their answer (403 for staff, 404 for
    another's, 409 once answered or past its time, even before the worker lapses it)."""
    answering_for_self(actor)
    offer = await get_visible(session, actor, offer_id, for_update=True)
    status = "expired" if offer.status == "offered" and as_utc(offer.expires_at) <= now else offer.status
    if status != "offered":
        raise errors.offer_not_offered(status, OFFER_STATUS_NAMES.get(status, status))
    return offer


async def decline(session: AsyncSession, actor: Principal, offer_id: str, *, now: datetime) -> ProactiveOffer:
    """The person declines the offer (放弃)."""
    offer = await answerable(session, actor, offer_id, now=now)
    advance(offer, "decline", now=now)
    return offer


def check_delivery(wish: DeliveryWish, entry: CatalogueEntry | None) -> None:
    """422 when the item does not offer the mode, or a posted result lacks where it goes."""
    modes = delivery_modes(entry)
    if wish.mode not in modes:
        raise errors.offer_delivery_invalid(
            "本事项不提供邮寄送达，请选择窗口领取或智能柜领取。",
            "The item does not send results by post: choose window or locker.",
            "delivery.mode",
        )
    if wish.mode == "post":
        for field, zh in (("address", "邮寄地址"), ("recipient", "收件人"), ("phone", "收件电话")):
            if not getattr(wish, field):
                raise errors.offer_delivery_invalid(
                    f"选择邮寄时请填写{zh}。", f"Posting the result needs the {field}.", f"delivery.{field}"
                )


def _form(offer: ProactiveOffer, wish: DeliveryWish, now: datetime) -> dict[str, Any]:
    """The application form, filled from what the offer knows and the wish given on confirming."""
    return {
        "delivery": wish.model_dump(exclude_none=True),
        OFFER_KEY: {
            "number": offer.number,
            "reason": offer.reason,
            "age": offer.age,
            "reached_on": offer.reached_on.isoformat(),
            "confirmed_at": now.isoformat(),
        },
    }


async def confirm(
    session: AsyncSession,
    actor: Principal,
    offer_id: str,
    body: OfferConfirm,
    *,
    applicant: ApplicantRecord,
    licences: Sequence[Mapping[str, Any]],
    now: datetime,
    settings: Settings,
) -> ProactiveOffer:
    """The person confirms: the case is opened as their online application and decided by the
    item's 秒批 rules where they hold (see the module)."""
    offer = await answerable(session, actor, offer_id, now=now)
    check_delivery(body.delivery, await offered_item(session, offer))
    application, _ = await submission.submit(
        session,
        ApplicationSubmit(item_code=offer.item_code, form=_form(offer, body.delivery, now)),
        actor,
        applicant=applicant,
        idempotency_key=None,
        grant_id=None,
        now=now,
        settings=settings,
        licences=licences,  # 两个免于提交: what the library holds for them is fetched, not asked for
        from_offer=True,  # nothing is asked of them: the materials were waived with the offer
    )
    await auto_approval.decide(
        session,
        application,
        auto_approval.VerifiedFacts(applicant.resident_id, [dict(lic) for lic in licences]),
        now=now,
    )
    advance(offer, "confirm", now=now)
    offer.application_id = application.id
    offer.delivery = body.delivery.model_dump(exclude_none=True)
    return offer
