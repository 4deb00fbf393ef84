"""Who may accept a case (受理): the deciding unit, a comprehensive window of a centre at or above
the item's level (一窗受理), or a unit entrusted under a valid agreement (委托受理协议)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import local_date

from .. import errors
from ..models.applications import Application, Entrustment
from ..repositories.entrustments import EntrustmentRepository
from ..schemas import EntrustmentCreate
from .orgs import find_unit, unit_chain

CENTRE_KINDS = ("service_centre", "window")


async def find_agreement(
    session: AsyncSession, *, entrusting: str, entrusted: list[str], item_code: str, on: date
) -> Entrustment | None:
    """A valid agreement letting one of `entrusted` accept `item_code` for `entrusting` on `on`."""
    if not entrusted:
        return None
    agreements = await EntrustmentRepository(session).valid_between(
        entrusting=entrusting, entrusted=entrusted, on=on
    )
    return next((a for a in agreements if _covers(a, item_code)), None)


def _covers(agreement: Entrustment, item_code: str) -> bool:
    # "*" covers every item of the entrusting unit (e.g. all its community-level items).
    return item_code in agreement.item_codes or "*" in agreement.item_codes


async def find_sub_agreement(
    session: AsyncSession, *, owner: str, entrusted: list[str], item_code: str, on: date
) -> Entrustment | None:
    """A valid agreement letting one of `entrusted` accept `item_code` for a unit that is itself
    entrusted with it by `owner` — a street centre entrusting its community stations with the
    departments' community items; one link deep, never further."""
    if not entrusted:
        return None
    for agreement in await EntrustmentRepository(session).valid_not_from(
        owner=owner, entrusted=entrusted, on=on
    ):
        if not _covers(agreement, item_code):
            continue
        upstream = await find_agreement(
            session, entrusting=owner, entrusted=[agreement.entrusting_unit_code], item_code=item_code, on=on
        )
        if upstream is not None:
            return agreement
    return None


async def acceptance_basis(
    session: AsyncSession,
    application: Application,
    actor: Principal,
    *,
    item_level: int | None,
    now: datetime,
) -> tuple[str | None, str | None]:
    """(accepting unit code, entrustment id) for `actor` accepting `application`; 403 when neither
    the one window, the deciding unit nor an agreement allows it."""
    chain = await unit_chain(session, actor.org_unit)
    codes = [u.code for u in chain] or ([actor.org_unit] if actor.org_unit else [])
    own = codes[0] if codes else None
    if actor.is_admin:
        return own, None
    if any(
        c == application.owner_unit_code or c.startswith(application.owner_unit_code + "-") for c in codes
    ):
        return own, None
    owner = await find_unit(session, application.owner_unit_code)
    level = owner.level if owner is not None else item_level
    if level is not None and any(u.kind == "service_centre" and u.level <= level for u in chain):
        return own, None  # a comprehensive window of the district centre: 一窗受理
    today = local_date(now)
    agreement = await find_agreement(
        session,
        entrusting=application.owner_unit_code,
        entrusted=codes,
        item_code=application.item_code,
        on=today,
    ) or await find_sub_agreement(
        session,
        owner=application.owner_unit_code,
        entrusted=codes,
        item_code=application.item_code,
        on=today,
    )
    if agreement is None:
        raise errors.not_entrusted(own or "(unknown)", application.item_code, application.owner_unit_code)
    return own, agreement.id


async def create_agreement(
    session: AsyncSession, body: EntrustmentCreate, actor: Principal, *, now: datetime
) -> Entrustment:
    """Record an entrustment agreement (administrators, or the entrusting unit's approvers)."""
    if body.valid_until < body.valid_from:
        raise errors.EntrustmentInvalid(
            "协议截止日期（valid_until）早于起始日期（valid_from），协议有效期至少为一天，请核对后重新填写。",
            en="valid_until is before valid_from; the agreement must last at least one day.",
            field="valid_until",
        )
    if body.entrusting_unit_code == body.entrusted_unit_code:
        raise errors.EntrustmentInvalid(
            "委托方和受托方不能是同一单位，请填写另一个受托单位。",
            en="A unit cannot entrust itself; name another entrusted unit.",
            field="entrusted_unit_code",
        )
    agreement = Entrustment(
        entrusting_unit_code=body.entrusting_unit_code,
        entrusted_unit_code=body.entrusted_unit_code,
        item_codes=sorted(set(body.item_codes)),
        valid_from=body.valid_from,
        valid_until=body.valid_until,
        reference=body.reference,
        created_by=actor.subject,
        created_at=now,
    )
    EntrustmentRepository(session).add(agreement)
    await session.flush()
    return agreement


async def list_agreements(
    session: AsyncSession, unit_code: str | None, *, limit: int, offset: int
) -> tuple[list[Entrustment], int]:
    """One page of the agreements, all or those a unit is party to, and how many there are."""
    return await EntrustmentRepository(session).page(unit_code, limit=limit, offset=offset)


async def get_agreement(session: AsyncSession, agreement_id: str, *, unit_code: str | None) -> Entrustment:
    """The agreement, if it exists and (with `unit_code`) that unit is party to it; else 404."""
    agreement = await EntrustmentRepository(session).find(agreement_id)
    if agreement is None or (unit_code and unit_code not in _parties(agreement)):
        raise errors.entrustment_not_found(agreement_id)
    return agreement


def _parties(agreement: Entrustment) -> tuple[str, str]:
    return agreement.entrusting_unit_code, agreement.entrusted_unit_code


async def revoke_agreement(session: AsyncSession, agreement_id: str, *, now: datetime) -> Entrustment:
    """End an agreement now (cases already accepted under it keep their acceptance)."""
    agreement = await get_agreement(session, agreement_id, unit_code=None)
    if agreement.revoked_at is None:
        agreement.revoked_at = now
    return agreement
