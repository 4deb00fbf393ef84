"""Enterprises (法人): registered by a person who becomes the legal representative."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.errors import Conflict, Forbidden, NotFound

from ..clock import utcnow
from ..models import Enterprise
from ..repositories.accounts import AccountRepository
from ..repositories.enterprises import EnterpriseRepository
from .grants import current_grants

log = logging.getLogger("identity.enterprises")

#: LoA of a newly registered enterprise (self-declared, like its registrant).
SELF_REGISTERED_LOA = 2


def _enterprise_not_found() -> NotFound:
    return NotFound(
        "未找到该企业，或您无权查看。", en="No such enterprise.", code="identity.enterprise_not_found"
    )


async def register_enterprise(
    session: AsyncSession, *, registrant: Principal, name: str, uscc: str, min_loa: int
) -> Enterprise:
    """Register an enterprise with `registrant` as legal representative; 409 on a known USCC."""
    if registrant.is_staff:
        raise Forbidden(
            "企业须由法定代表人使用本人的个人账号登记，工作人员账号不能登记企业。",
            en="Enterprises are registered by their legal representative's own (person) account.",
            code="identity.persons_only",
        )
    person = await AccountRepository(session).find_person(registrant.subject)
    if person is None:
        raise Forbidden(
            "请使用个人账号登录后再登记企业。",
            en="Log in with a person account.",
            code="identity.persons_only",
        )
    if person.loa < min_loa:
        raise Forbidden(
            f"登记企业需要认证等级 {min_loa} 级或以上，您当前为 {person.loa} 级。"
            "请先到政务服务窗口或通过更高等级的实名认证提升认证等级。",
            en=f"Registering an enterprise needs level of assurance {min_loa} or higher; "
            f"yours is {person.loa}.",
            code="identity.loa_too_low",
            required_loa=min_loa,
        )
    repo = EnterpriseRepository(session)
    if await repo.find_by_uscc(uscc):
        raise Conflict(
            "该统一社会信用代码的企业已登记，不能重复登记。如需代表该企业办事，请联系其法定代表人为您授权。",
            en="An enterprise with this unified social credit code is already registered.",
            code="identity.enterprise_exists",
        )
    now = utcnow()
    enterprise = Enterprise(
        name=name,
        uscc=uscc,
        legal_rep=person,
        loa=SELF_REGISTERED_LOA,
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
        raise _enterprise_not_found()
    return enterprise, relation


async def list_enterprises_for(
    session: AsyncSession, *, viewer: Principal, uscc: str | None, limit: int, offset: int
) -> tuple[list[tuple[Enterprise, str]], int]:
    """Staff: every enterprise. A person: those they represent or act for."""
    repo = EnterpriseRepository(session)
    if viewer.is_staff:
        rows, total = await repo.list_all(uscc=uscc, limit=limit, offset=offset)
        return [(e, "staff") for e in rows], total
    mine = await repo.list_for_person(viewer.subject, now=utcnow())
    if uscc is not None:
        mine = [e for e in mine if e.uscc == uscc]
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
        raise _enterprise_not_found()
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
