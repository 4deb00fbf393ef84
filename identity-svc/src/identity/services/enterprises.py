"""Enterprises (法人): claimed by a person as legal representative, verified at a window.

Registering is a claim (认领), `pending` until a window clerk or administrator has seen the
business licence (营业执照) and the representative's ID and verifies it, or rejects it. A pending
claim cannot act: no act-for token, no grants, no grant check allows it. Claims do not lock the
credit code: several people may claim one USCC; verifying one rejects the others, and only one
enterprise per USCC is ever verified. The repo has no authoritative legal-person registry to
match claims against automatically, so verification is in person.
"""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.lifecycle import TransitionRefused

from ..errors import (
    EnterpriseClaimExists,
    EnterpriseExists,
    EnterpriseNotFound,
    EnterpriseNotPending,
    EnterpriseNotVerified,
    LoaTooLow,
    PersonsOnly,
)
from ..lifecycles import ENTERPRISE, EnterpriseAction, EnterpriseStatus
from ..models import Enterprise
from ..repositories.accounts import AccountRepository
from ..repositories.enterprises import EnterpriseRepository
from .clock import utcnow
from .grants import current_grants
from .privacy import mask_name

log = logging.getLogger("identity.enterprises")

#: LoA of a newly registered enterprise (self-declared, like its registrant).
SELF_REGISTERED_LOA = 2
#: LoA of an enterprise verified at a window (person and documents matched, 人证核验).
WINDOW_VERIFIED_LOA = 4

PENDING, VERIFIED = "pending", "verified"


async def register_enterprise(
    session: AsyncSession, *, registrant: Principal, name: str, uscc: str, min_loa: int
) -> Enterprise:
    """Claim an enterprise with `registrant` as legal representative (pending until verified);
    409 when its USCC is verified already or the registrant has claimed it before."""
    if registrant.is_staff:
        raise PersonsOnly.to_register_enterprise()
    person = await AccountRepository(session).find_person(registrant.subject)
    if person is None:
        raise PersonsOnly.not_a_person()
    if person.loa < min_loa:
        raise LoaTooLow(required=min_loa, actual=person.loa)
    repo = EnterpriseRepository(session)
    if await repo.find_verified_by_uscc(uscc):
        raise EnterpriseExists.at_registration()
    if any(c.legal_rep_id == person.id for c in await repo.list_claims(uscc)):
        raise EnterpriseClaimExists()
    now = utcnow()
    enterprise = Enterprise(
        name=name,
        uscc=uscc,
        legal_rep=person,
        loa=SELF_REGISTERED_LOA,
        status=PENDING,
        created_at=now,
        updated_at=now,
    )
    repo.add(enterprise)
    await session.flush()
    return enterprise


async def find_enterprise(session: AsyncSession, enterprise_id: str) -> Enterprise | None:
    """The enterprise with id `enterprise_id`, or None."""
    return await EnterpriseRepository(session).find(enterprise_id)


async def relation_to(session: AsyncSession, enterprise: Enterprise, viewer: Principal) -> str | None:
    """How the viewer relates to the enterprise: legal_representative, agent, staff, or None."""
    if enterprise.legal_rep_id == viewer.subject:
        return "legal_representative"
    if viewer.is_staff:
        return "staff"
    if await current_grants(session, viewer.subject, enterprise.id, now=utcnow()):
        return "agent"
    return None


async def get_enterprise_for(
    session: AsyncSession, enterprise_id: str, *, viewer: Principal
) -> tuple[Enterprise, str]:
    """The enterprise and the viewer's relation to it; 404 unless they represent it, act for it
    under a current grant, or are staff."""
    enterprise = await EnterpriseRepository(session).find(enterprise_id)
    relation = await relation_to(session, enterprise, viewer) if enterprise else None
    if enterprise is None or relation is None:
        raise EnterpriseNotFound.hidden()
    return enterprise, relation


async def list_enterprises_for(
    session: AsyncSession,
    *,
    viewer: Principal,
    uscc: str | None,
    name: str | None = None,
    status: str | None = None,
    limit: int,
    offset: int,
) -> tuple[list[tuple[Enterprise, str]], int]:
    """Staff: every enterprise and claim. A person: those they represent or claim, or act for.
    `name` keeps those whose name contains it (any case)."""
    repo = EnterpriseRepository(session)
    if viewer.is_staff:
        rows, total = await repo.list_all(uscc=uscc, name=name, status=status, limit=limit, offset=offset)
        return [(e, "staff") for e in rows], total
    mine = await repo.list_for_person(viewer.subject, now=utcnow())
    if uscc is not None:
        mine = [e for e in mine if e.uscc == uscc]
    if name is not None:
        mine = [e for e in mine if name.lower() in e.name.lower()]
    if status is not None:
        mine = [e for e in mine if e.status == status]
    page = mine[offset : offset + limit]
    return [(e, "legal_representative" if e.legal_rep_id == viewer.subject else "agent") for e in page], len(
        mine
    )


async def set_enterprise_loa(
    session: AsyncSession, enterprise_id: str, *, loa: int, reason: str, actor: Principal
) -> Enterprise:
    """Set an enterprise's level of assurance (an administrator's decision, logged with the reason)."""
    enterprise = await EnterpriseRepository(session).find(enterprise_id)
    if enterprise is None:
        raise EnterpriseNotFound.hidden()
    log.info(
        "LoA of enterprise %s set from %d to %d by %s: %s",
        enterprise.id,
        enterprise.loa,
        loa,
        actor.subject,
        reason,
    )
    enterprise.loa = loa
    enterprise.updated_at = utcnow()
    await session.flush()
    return enterprise


def ensure_verified(enterprise: Enterprise) -> None:
    """Raise 403 identity.enterprise_not_verified unless the enterprise is verified."""
    if enterprise.status != VERIFIED:
        raise EnterpriseNotVerified(enterprise.status)


async def _claim_under_review(
    session: AsyncSession, enterprise_id: str, action: EnterpriseAction
) -> tuple[Enterprise, EnterpriseStatus]:
    """The claim, locked, and the status `action` leads it to; 409 unless its status allows `action`."""
    enterprise = await EnterpriseRepository(session).find(enterprise_id, for_update=True)
    if enterprise is None:
        raise EnterpriseNotFound.hidden()
    try:
        return enterprise, ENTERPRISE.target(enterprise.status, action)
    except TransitionRefused:
        raise EnterpriseNotPending(enterprise.status) from None


async def verify_enterprise(
    session: AsyncSession,
    enterprise_id: str,
    *,
    reviewer: Principal,
    name: str | None,
    note: str | None,
) -> Enterprise:
    """Verify a pending claim after seeing the licence and the representative's ID (window clerk,
    admin); the other pending claims on its USCC are rejected. 409 if not pending, or another
    enterprise with the USCC is verified already."""
    enterprise, verified = await _claim_under_review(session, enterprise_id, "verify")
    repo = EnterpriseRepository(session)
    if await repo.find_verified_by_uscc(enterprise.uscc):
        raise EnterpriseExists.at_verification()
    now = utcnow()
    if name is not None:
        enterprise.name = name  # as on the business licence
    enterprise.status = verified
    enterprise.loa = max(enterprise.loa, WINDOW_VERIFIED_LOA)
    enterprise.reviewed_by_id = reviewer.subject
    enterprise.reviewed_at = now
    enterprise.review_note = note
    enterprise.updated_at = now
    for other in await repo.list_claims(enterprise.uscc):
        if other.id != enterprise.id and ENTERPRISE.can(other.status, "reject"):
            other.status = ENTERPRISE.target(other.status, "reject")
            other.reviewed_by_id = reviewer.subject
            other.reviewed_at = now
            other.review_note = "同一统一社会信用代码的另一登记已核验通过。"
            other.updated_at = now
    await session.flush()
    log.info(
        "enterprise %s (%s) verified by %s for %s",
        enterprise.id,
        enterprise.uscc,
        reviewer.subject,
        mask_name(enterprise.legal_rep.name),
    )
    return enterprise


async def reject_enterprise(
    session: AsyncSession, enterprise_id: str, *, reviewer: Principal, reason: str
) -> Enterprise:
    """Reject a pending claim (the licence or the ID did not match); 409 if not pending."""
    enterprise, rejected = await _claim_under_review(session, enterprise_id, "reject")
    now = utcnow()
    enterprise.status = rejected
    enterprise.reviewed_by_id = reviewer.subject
    enterprise.reviewed_at = now
    enterprise.review_note = reason
    enterprise.updated_at = now
    await session.flush()
    log.info("enterprise claim %s (%s) rejected by %s", enterprise.id, enterprise.uscc, reviewer.subject)
    return enterprise
