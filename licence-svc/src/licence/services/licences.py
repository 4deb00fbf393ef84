"""Licences (电子证照): issuing and signing, reading by the holder, the issuing unit's suspend,
reinstate and revoke, and the expiry pass."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import local_date
from yiwang_shared.lifecycle import TransitionRefused

from .. import errors
from ..events import STATUS_EVENTS, LicenceIssued, publish
from ..lifecycles import LICENCE, STATUS_ZH, LicenceAction
from ..models import Licence, LicenceType
from ..models import LicenceAction as ActionRow
from ..repositories import issued as issued_repo
from ..repositories import licences as repo
from ..repositories.types import find_type
from ..schemas import LicenceRead, LicenceStatusChange, SignatureRead
from .holders import Holder
from .rendering import render_pdf, sha256_hex
from .signing import KeyRing

#: Who in the issuing unit may change a licence's state.
ISSUING_ROLES = frozenset({"approver", "handler"})


@dataclass(frozen=True)
class Issue:
    """What a new licence says."""

    licence_type: LicenceType
    holder_kind: str
    holder_name: str
    holder_identifier: str | None
    holder_account_id: str | None
    issuing_unit_code: str
    issuing_unit_name: str
    valid_from: date
    valid_until: date | None = None
    number: str | None = None
    data: dict[str, Any] | None = None
    application_id: str | None = None
    application_no: str | None = None


def last_valid_day(start: date, years: int) -> date:
    """The last valid day of a licence lasting `years` from `start` (29 February → 28th)."""
    try:
        end = start.replace(year=start.year + years)
    except ValueError:
        end = start.replace(year=start.year + years, day=28)
    return end - timedelta(days=1)


def new_number(type_code: str, day: date) -> str:
    """A licence number nobody can guess: type, date, 10 random digits."""
    return f"{type_code}{day:%Y%m%d}{secrets.randbelow(10**10):010d}"


async def issue(session: AsyncSession, what: Issue, *, keys: KeyRing, now: datetime) -> Licence:
    """Render, sign, store and announce a new licence."""
    await keys.ready(session)
    licence_type = what.licence_type
    valid_until = what.valid_until
    if valid_until is None and licence_type.validity_years:
        valid_until = last_valid_day(what.valid_from, licence_type.validity_years)
    number = what.number or new_number(licence_type.code, local_date(now))
    data = dict(what.data or {})
    rendering = render_pdf(
        type_name=licence_type.name,
        number=number,
        holder_name=what.holder_name,
        holder_identifier=what.holder_identifier,
        issuing_unit_name=what.issuing_unit_name,
        valid_from=what.valid_from,
        valid_until=valid_until,
        data=data,
    )
    digest = sha256_hex(rendering)
    licence = Licence(
        number=number,
        type_code=licence_type.code,
        holder_kind=what.holder_kind,
        holder_identifier=what.holder_identifier,
        holder_identifier_key=keys.holders.of(what.holder_kind, what.holder_identifier),
        holder_account_id=what.holder_account_id,
        holder_name=what.holder_name,
        issuing_unit_code=what.issuing_unit_code,
        issuing_unit_name=what.issuing_unit_name,
        valid_from=what.valid_from,
        valid_until=valid_until,
        status="valid",
        data=data,
        application_id=what.application_id,
        application_no=what.application_no,
        rendering=rendering,
        rendering_sha256=digest,
        signature=keys.sign(digest),
        key_id=keys.kid,
        issued_at=now,
    )
    session.add(licence)
    await session.flush()
    session.add(ActionRow(licence_id=licence.id, action="issue", from_status=None, to_status="valid", at=now))
    await publish(
        session,
        LicenceIssued(**_facts(licence), rendering_sha256=digest, key_id=licence.key_id, issued_at=now),
    )
    return licence


def _facts(licence: Licence) -> dict[str, Any]:
    return {
        "licence_id": licence.id,
        "number": licence.number,
        "type_code": licence.type_code,
        "holder_kind": licence.holder_kind,
        "holder_account_id": licence.holder_account_id,
        "issuing_unit_code": licence.issuing_unit_code,
        "valid_from": licence.valid_from,
        "valid_until": licence.valid_until,
        "application_id": licence.application_id,
    }


def covers(unit_code: str | None, issuing_unit_code: str) -> bool:
    """The staff member's unit is the issuing unit or one of its parts (110105-SCJGJ-XK)."""
    return unit_code is not None and (
        unit_code == issuing_unit_code or unit_code.startswith(issuing_unit_code + "-")
    )


def may_change(principal: Principal | None, licence: Licence) -> bool:
    """True when the caller is the issuing unit's approver or handler."""
    return (
        principal is not None
        and principal.is_staff
        and principal.has_any_role(ISSUING_ROLES)
        and covers(principal.org_unit_code, licence.issuing_unit_code)
    )


async def licence_view(session: AsyncSession, licence: Licence, principal: Principal | None) -> LicenceRead:
    """The licence as the caller reads it."""
    licence_type = await find_type(session, licence.type_code)
    return LicenceRead(
        id=licence.id,
        number=licence.number,
        type_code=licence.type_code,
        type_name=licence_type.name if licence_type else licence.type_code,
        holder_kind=licence.holder_kind,  # type: ignore[arg-type]
        holder_name=licence.holder_name,
        holder_identifier=licence.holder_identifier,
        issuing_unit_code=licence.issuing_unit_code,
        issuing_unit_name=licence.issuing_unit_name,
        valid_from=licence.valid_from,
        valid_until=licence.valid_until,
        status=licence.status,  # type: ignore[arg-type]
        status_name=STATUS_ZH[licence.status],
        status_reason=licence.status_reason,
        data=licence.data,
        application_no=licence.application_no,
        issued_at=licence.issued_at,
        signature=signature_of(licence),
        allowed_actions=LICENCE.allowed(licence.status) if may_change(principal, licence) else [],
    )


def signature_of(licence: Licence) -> SignatureRead:
    """How the licence's rendering is signed."""
    return SignatureRead(
        rendering_sha256=licence.rendering_sha256, signature=licence.signature, key_id=licence.key_id
    )


async def list_own(
    session: AsyncSession, holder: Holder, *, status: str | None, limit: int, offset: int
) -> tuple[Sequence[Licence], int]:
    """A page of the holder's licences, newest first."""
    return await repo.list_for_holder(
        session,
        holder.kind,
        account_id=holder.account_id,
        identifier=holder.identifier,
        status=status,
        limit=limit,
        offset=offset,
    )


async def get_own(session: AsyncSession, licence_id: str, holder: Holder) -> Licence:
    """The holder's licence (404 when it is not theirs: whether it exists is nobody else's business)."""
    licence = await repo.find_licence(session, licence_id)
    if licence is None or not holder.owns(licence):
        raise errors.licence_not_found(licence_id)
    return licence


async def get_for_issuer(
    session: AsyncSession, licence_id: str, principal: Principal, *, for_update: bool = False
) -> Licence:
    """A licence the caller's unit issued (404 if none, 403 for another unit's staff)."""
    licence = await repo.find_licence(session, licence_id, for_update=for_update)
    if licence is None:
        raise errors.licence_not_found(licence_id)
    if not may_change(principal, licence):
        raise errors.not_issuing_unit(licence.issuing_unit_code)
    return licence


async def _move(
    session: AsyncSession,
    licence: Licence,
    action: LicenceAction,
    *,
    actor: Principal | None,
    reason: str | None,
    now: datetime,
) -> None:
    """Apply `action`, record it in the trail and announce it."""
    try:
        target = LICENCE.target(licence.status, action)
    except TransitionRefused as exc:
        raise errors.transition_refused(action, licence.status) from exc
    before = licence.status
    licence.status = target
    if action in ("suspend", "revoke"):
        licence.status_reason = reason
    elif action == "reinstate":
        licence.status_reason = None
    licence.updated_at = now
    session.add(
        ActionRow(
            licence_id=licence.id,
            action=action,
            from_status=before,
            to_status=target,
            actor_id=actor.subject if actor else None,
            actor_unit_code=actor.org_unit_code if actor else None,
            reason=reason,
            at=now,
        )
    )
    event = STATUS_EVENTS[action](
        **_facts(licence), from_status=before, reason=reason, changed_at=now, by_system=actor is None
    )
    await publish(session, event)


async def change_status(
    session: AsyncSession,
    licence_id: str,
    action: LicenceAction,
    body: LicenceStatusChange,
    actor: Principal,
    *,
    now: datetime,
) -> Licence:
    """The issuing unit suspends, reinstates or revokes a licence (a reason for the first two)."""
    reason = (body.reason or "").strip() or None
    if action in ("suspend", "revoke") and reason is None:
        raise errors.reason_required(action)
    licence = await get_for_issuer(session, licence_id, actor, for_update=True)
    await _move(session, licence, action, actor=actor, reason=reason, now=now)
    await session.flush()
    return licence


async def expire_due(session: AsyncSession, *, now: datetime, batch: int = 200) -> int:
    """Expire the licences whose last valid day has passed (Beijing date); idempotent: an expired
    licence is never chosen again. How many were expired."""
    due = await repo.due_to_expire(session, local_date(now), limit=batch)
    for licence in due:
        await _move(session, licence, "expire", actor=None, reason="有效期届满", now=now)
    await session.flush()
    return len(due)


async def revoke_for_application(
    session: AsyncSession, application_id: str, *, reason: str, now: datetime
) -> int:
    """Revoke what an application issued, its decision having been revoked (idempotent: a licence
    already revoked or expired stays as it is); how many were revoked."""
    revoked = 0
    for licence in await repo.issued_by_application(session, application_id):
        if LICENCE.can(licence.status, "revoke"):
            await _move(session, licence, "revoke", actor=None, reason=reason, now=now)
            revoked += 1
    await session.flush()
    return revoked


async def trail(
    session: AsyncSession, licence: Licence, *, limit: int, offset: int
) -> tuple[Sequence[ActionRow], int]:
    """A page of the licence's changes of state, oldest first."""
    return await repo.actions_of(session, licence.id, limit=limit, offset=offset)


def is_valid_on(licence: Licence, day: date) -> bool:
    """True when the licence is valid and `day` is within its validity."""
    in_time = licence.valid_from <= day and (licence.valid_until is None or day <= licence.valid_until)
    return licence.status == "valid" and in_time


async def list_issued(
    session: AsyncSession, actor: Principal, *, number: str | None, limit: int, offset: int
) -> tuple[Sequence[Licence], int]:
    """A page of the licences the caller's unit (or the unit it is part of) issued."""
    code = actor.org_unit_code
    if not code:
        return [], 0
    parts = code.split("-")
    # 110105-SCJGJ-XK's licences include those 110105-SCJGJ issued: a part of a unit acts for it.
    units = ["-".join(parts[:n]) for n in range(1, len(parts) + 1)]
    return await issued_repo.list_issued(session, units, number=number, limit=limit, offset=offset)
