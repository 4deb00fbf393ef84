"""Legal-person multi-level authorisation (法人多级授权).

The legal representative (法定代表人) grants a person (经办人) a scope (every item, or item
codes) for a validity window, optionally with the right to grant further. A grant is pending until
the grantee confirms it; it lets them act while active and within its window. A grantee who may
delegate grants only within their own scope and window. Revoking a grant revokes everything
granted under it. The legal representative may always act for their enterprise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import ActingFor, Principal
from yiwang_shared.lifecycle import TransitionRefused

from .. import events
from ..errors import (
    CheckForbidden,
    EnterpriseNotFound,
    EnterpriseNotVerified,
    GranteeIsLegalRepresentative,
    GranteeNotFound,
    GrantExceedsAuthority,
    GrantNotFound,
    GrantNotPending,
    GrantToSelf,
    GrantWindowInvalid,
    NotAllowedToGrant,
    NotAllowedToRevoke,
    PersonsOnly,
)
from ..lifecycles import GRANT
from ..models import Enterprise, Grant, Person
from ..repositories.accounts import AccountRepository
from ..repositories.enterprises import EnterpriseRepository
from ..repositories.grants import GrantRepository
from ..schemas.grants import GrantCreate
from .clock import utcnow

ALL_ITEMS = "*"

#: Each grant state as the people concerned say it.
STATUS_ZH = {"pending": "待确认", "active": "有效", "revoked": "已撤销", "expired": "已过期"}


def effective_status(grant: Grant, now: datetime) -> str:
    """pending, active, revoked or expired (expired is derived from valid_until)."""
    if grant.status == "revoked":
        return "revoked"
    if now >= grant.valid_until:
        return "expired"
    return grant.status


def is_current(grant: Grant, now: datetime) -> bool:
    """True when the grant lets its grantee act right now."""
    return grant.status == "active" and grant.valid_from <= now < grant.valid_until


def covers(scope: Sequence[str], item_code: str | None) -> bool:
    """True if `scope` covers `item_code` (None: any item at all)."""
    return item_code is None or ALL_ITEMS in scope or item_code in scope


def scope_within(inner: Sequence[str], outer: Sequence[str]) -> bool:
    """True if every item of `inner` is covered by `outer`."""
    if ALL_ITEMS in outer:
        return True
    return ALL_ITEMS not in inner and set(inner) <= set(outer)


async def _enterprise(session: AsyncSession, enterprise_id: str) -> Enterprise:
    enterprise = await EnterpriseRepository(session).find(enterprise_id)
    if enterprise is None:
        raise EnterpriseNotFound.unknown()
    return enterprise


async def current_grants(
    session: AsyncSession, person_id: str, enterprise_id: str, *, now: datetime
) -> list[Grant]:
    """The person's grants for the enterprise that let them act now, broadest first."""
    held = [g for g in await GrantRepository(session).held_by(person_id, enterprise_id) if is_current(g, now)]
    held.sort(key=lambda g: (ALL_ITEMS not in g.scope, -len(g.scope), -g.valid_until.timestamp()))
    return held


async def _grantee(session: AsyncSession, data: GrantCreate) -> Person:
    repo = AccountRepository(session)
    if data.grantee_id is not None:
        person = await repo.find_person(data.grantee_id)
    else:
        assert data.grantee_resident_id is not None and data.grantee_name is not None
        person = await repo.find_person_by_resident_id(data.grantee_resident_id)
        # The grantor names the person: an ID alone never tells whose it is, and a wrong name
        # is answered exactly like an unregistered ID.
        if person is not None and not same_name(person.name, data.grantee_name):
            person = None
    if person is None or person.password_hash is None:
        raise GranteeNotFound()
    return person


def same_name(stored: str, given: str) -> bool:
    """Names compared as people write them: spaces and the middle dot (·, •) do not count."""

    def norm(name: str) -> str:
        return "".join(ch for ch in name if not ch.isspace() and ch not in "·•・.").casefold()

    return norm(stored) == norm(given)


async def _delegation_parent(
    session: AsyncSession,
    *,
    grantor_id: str,
    enterprise: Enterprise,
    scope: list[str],
    valid_from: datetime,
    valid_until: datetime,
    now: datetime,
) -> Grant:
    """The grantor's current, delegable grant that covers the new grant; 403 if none."""
    delegable = [
        g for g in await current_grants(session, grantor_id, enterprise.id, now=now) if g.may_delegate
    ]
    if not delegable:
        raise NotAllowedToGrant()
    for parent in delegable:
        if (
            scope_within(scope, parent.scope)
            and parent.valid_from <= valid_from
            and valid_until <= parent.valid_until
        ):
            # Lock the parent: a concurrent revocation either sees the new sub-grant (and
            # cascades to it) or has revoked the parent before we read it again here.
            locked = await GrantRepository(session).find(parent.id, for_update=True)
            if locked is not None and is_current(locked, now):
                return locked
    widest = delegable[0]
    raise GrantExceedsAuthority(
        scope=widest.scope, every_item=ALL_ITEMS in widest.scope, valid_until=widest.valid_until
    )


def _check_window(valid_from: datetime, valid_until: datetime, *, now: datetime) -> None:
    """A new grant's window ends in the future and after it starts; 422 otherwise."""
    if valid_until <= now:
        raise GrantWindowInvalid.ended()
    if valid_until <= valid_from:
        raise GrantWindowInvalid.before_start()


def _check_grantee(grantee: Person, *, grantor_id: str, enterprise: Enterprise) -> None:
    """Nobody grants to themselves, and the legal representative needs no grant; 422 otherwise."""
    if grantee.id == grantor_id:
        raise GrantToSelf()
    if grantee.id == enterprise.legal_rep_id:
        raise GranteeIsLegalRepresentative()


async def create_grant(
    session: AsyncSession, enterprise_id: str, *, grantor: Principal, data: GrantCreate
) -> Grant:
    """Grant a person authority to act for the enterprise; pending until they confirm."""
    if grantor.is_staff:
        raise PersonsOnly.to_grant()
    enterprise = await _enterprise(session, enterprise_id)
    is_legal_rep = enterprise.legal_rep_id == grantor.subject
    if enterprise.status != "verified" and (
        is_legal_rep or await GrantRepository(session).held_by(grantor.subject, enterprise.id)
    ):
        raise EnterpriseNotVerified(enterprise.status)
    now = utcnow()
    valid_from = data.valid_from or now
    _check_window(valid_from, data.valid_until, now=now)
    parent: Grant | None = None
    if not is_legal_rep:
        parent = await _delegation_parent(
            session,
            grantor_id=grantor.subject,
            enterprise=enterprise,
            scope=list(data.scope),
            valid_from=valid_from,
            valid_until=data.valid_until,
            now=now,
        )
    grantee = await _grantee(session, data)
    _check_grantee(grantee, grantor_id=grantor.subject, enterprise=enterprise)
    grant = Grant(
        enterprise_id=enterprise.id,
        grantor_id=grantor.subject,
        parent_grant_id=parent.id if parent else None,
        grantee=grantee,
        scope=list(data.scope),
        valid_from=valid_from,
        valid_until=data.valid_until,
        may_delegate=data.may_delegate,
        status="pending",
        created_at=now,
    )
    GrantRepository(session).add(grant)
    await session.flush()
    await events.publish(
        session,
        events.GrantCreated(
            grant_id=grant.id,
            enterprise_id=enterprise.id,
            enterprise_uscc=enterprise.uscc,
            grantor_id=grant.grantor_id,
            grantee_id=grant.grantee_id,
            parent_grant_id=grant.parent_grant_id,
            scope=grant.scope,
            valid_from=grant.valid_from,
            valid_until=grant.valid_until,
            may_delegate=grant.may_delegate,
            created_at=grant.created_at,
        ),
    )
    return grant


async def _visible_grant(
    session: AsyncSession, grant_id: str, viewer: Principal, *, for_update: bool = False
) -> tuple[Grant, Enterprise]:
    grant = await GrantRepository(session).find(grant_id, for_update=for_update)
    if grant is None:
        raise GrantNotFound()
    enterprise = await _enterprise(session, grant.enterprise_id)
    if not (
        viewer.is_staff or viewer.subject in (grant.grantee_id, grant.grantor_id, enterprise.legal_rep_id)
    ):
        raise GrantNotFound()
    return grant, enterprise


async def get_grant(session: AsyncSession, grant_id: str, *, viewer: Principal) -> Grant:
    """The grant, if the viewer is its grantee, grantor, the legal representative or staff."""
    grant, _ = await _visible_grant(session, grant_id, viewer)
    return grant


async def list_grants(
    session: AsyncSession,
    *,
    viewer: Principal,
    enterprise_id: str | None,
    status: str | None,
    limit: int,
    offset: int,
) -> tuple[list[Grant], int]:
    """A page of the grants the viewer may see (all of an enterprise for its legal rep and staff,
    else theirs) and how many there are."""
    sees_all = viewer.is_staff
    if enterprise_id is not None and not sees_all:
        enterprise = await EnterpriseRepository(session).find(enterprise_id)
        sees_all = enterprise is not None and enterprise.legal_rep_id == viewer.subject
    return await GrantRepository(session).search(
        enterprise_id=enterprise_id,
        involving=None if sees_all else viewer.subject,
        status=status,
        now=utcnow(),
        limit=limit,
        offset=offset,
    )


async def confirm_grant(session: AsyncSession, grant_id: str, *, grantee: Principal) -> Grant:
    """The grantee confirms a pending grant (确认授权); it becomes active."""
    grant = await GrantRepository(session).find(grant_id, for_update=True)
    if grant is None or grant.grantee_id != grantee.subject:
        raise GrantNotFound()
    now = utcnow()
    state = effective_status(grant, now)
    try:
        grant.status = GRANT.target(state, "confirm")
    except TransitionRefused:
        raise GrantNotPending(state, state_zh=STATUS_ZH.get(state, state)) from None
    grant.confirmed_at = now
    await session.flush()
    await events.publish(
        session,
        events.GrantConfirmed(
            grant_id=grant.id,
            enterprise_id=grant.enterprise_id,
            grantee_id=grant.grantee_id,
            confirmed_at=now,
        ),
    )
    return grant


async def revoke_grant(
    session: AsyncSession, grant_id: str, *, actor: Principal, reason: str | None
) -> tuple[Grant, list[Grant]]:
    """Revoke a grant and, transitively, every grant made under it; one event per grant."""
    grant, enterprise = await _visible_grant(session, grant_id, actor, for_update=True)
    if not (actor.subject in (grant.grantor_id, enterprise.legal_rep_id) or actor.is_admin):
        raise NotAllowedToRevoke()
    if not GRANT.can(grant.status, "revoke"):
        return grant, []  # revoked already: nothing changes
    now = utcnow()
    repo = GrantRepository(session)
    revoked: list[Grant] = []
    layer = [grant]
    while layer:
        for g in layer:
            if GRANT.can(g.status, "revoke"):
                g.status = GRANT.target(g.status, "revoke")
                g.revoked_at = now
                g.revoked_by = actor.subject
                g.revoke_reason = reason if g is grant else f"上级授权 {grant.id} 已撤销，本授权随之撤销。"
                revoked.append(g)
        layer = [c for c in await repo.children([g.id for g in layer]) if GRANT.can(c.status, "revoke")]
    await session.flush()
    for g in revoked:
        await events.publish(
            session,
            events.GrantRevoked(
                grant_id=g.id,
                enterprise_id=g.enterprise_id,
                grantee_id=g.grantee_id,
                revoked_by=actor.subject,
                reason=g.revoke_reason,
                cascade_of=None if g is grant else grant.id,
                revoked_at=now,
            ),
        )
    return grant, revoked


@dataclass(frozen=True)
class CheckResult:
    """The answer to "may this person act for this enterprise (on this item) now?"."""

    allowed: bool
    reason: str
    grant: Grant | None = None


#: When no grant allows it, the most telling reason wins, in this order.
REFUSAL_ORDER = ("out_of_scope", "grant_pending", "grant_not_yet_valid", "grant_expired", "grant_revoked")


def _why_not(grant: Grant, now: datetime) -> str:
    """Why a grant does not allow acting (given it did not cover the request)."""
    state = effective_status(grant, now)
    if state in ("revoked", "expired", "pending"):
        return "grant_" + state
    return "grant_not_yet_valid" if now < grant.valid_from else "out_of_scope"


def _refusal(held: list[Grant], now: datetime) -> CheckResult:
    ranked = [(REFUSAL_ORDER.index(_why_not(g, now)), i, g) for i, g in enumerate(held)]
    if not ranked:
        return CheckResult(False, "no_grant")
    rank, _, grant = min(ranked)
    return CheckResult(False, REFUSAL_ORDER[rank], grant)


async def check_authority(
    session: AsyncSession,
    *,
    person_id: str,
    enterprise_id: str,
    item_code: str | None,
    asked_by: Principal,
) -> CheckResult:
    """May `person_id` act for the enterprise on `item_code` now? Staff may ask about anyone."""
    if not (asked_by.is_staff or asked_by.subject == person_id):
        raise CheckForbidden()
    enterprise = await _enterprise(session, enterprise_id)
    if enterprise.status != "verified":
        return CheckResult(False, "enterprise_not_verified")
    if enterprise.legal_rep_id == person_id:
        return CheckResult(True, "legal_representative")
    now = utcnow()
    for grant in await current_grants(session, person_id, enterprise.id, now=now):
        if covers(grant.scope, item_code):
            return CheckResult(True, "grant", grant)
    held = await GrantRepository(session).held_by(person_id, enterprise.id)
    held.sort(key=lambda g: g.created_at, reverse=True)
    return _refusal(held, now)


async def act_for_still_valid(session: AsyncSession, subject: str, acting: ActingFor) -> bool:
    """Is the authority an act-for token names still in force (legal rep, or a current grant)?"""
    enterprise = await EnterpriseRepository(session).find(acting.entity_id)
    if enterprise is None or enterprise.uscc != acting.uscc or enterprise.status != "verified":
        return False
    if not acting.grant_id:
        return enterprise.legal_rep_id == subject
    grant = await GrantRepository(session).find(acting.grant_id)
    return (
        grant is not None
        and grant.grantee_id == subject
        and grant.enterprise_id == enterprise.id
        and is_current(grant, utcnow())
    )
