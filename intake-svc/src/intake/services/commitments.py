"""告知承诺制 (approval on commitment): the applicant signs the item's standard commitment instead of
handing in the materials it replaces; the case is decided at acceptance, and its deciding unit
checks afterwards (事后核查) within the item's period. A commitment found false revokes the
decision — and what it issued — with a printed decision, and is recorded against the applicant,
who may not apply on commitment again."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.pagination import PageParams

from .. import errors, events
from ..models.applications import Application
from ..models.commitments import CommitmentBreach, PostCheck
from ..repositories.commitments import CommitmentRepository
from ..schemas import CommitmentSubmit, PostCheckComplete
from . import access, documents, trace
from .cases import advance
from .catalogue import CatalogueEntry
from .facts import notify, publish
from .orgs import staff_units
from .read_models import working_calendar

CHECK = errors.Deed("核查告知承诺", "check a commitment")


def offered(entry: CatalogueEntry) -> dict[str, Any] | None:
    """The item's commitment (告知承诺), if it offers one."""
    commitment = entry.elements.get("commitment")
    return dict(commitment) if commitment else None


async def sign(
    session: AsyncSession,
    application: Application,
    entry: CatalogueEntry,
    signature: CommitmentSubmit,
    *,
    now: datetime,
) -> None:
    """Record the commitment the applicant signs on the case; 422 when the item offers none or
    the applicant made a false commitment before."""
    commitment = offered(entry)
    if commitment is None:
        raise errors.commitment_not_offered(entry.name)
    breach = await CommitmentRepository(session).find_breach(
        application.applicant_id, application.enterprise_id
    )
    if breach is not None:
        raise errors.commitment_barred(breach.application_no, breach.item_name)
    application.commitment = {
        "text": str(commitment["text"]),
        "replaces": [str(m) for m in commitment.get("replaces") or []],
        "signatory": signature.signatory,
        "signed_at": now.isoformat(),
        "post_check_days": int(commitment["post_check_days"]),
    }


def replaced(application: Application) -> set[str]:
    """The materials the case's commitment stands in for (none without one)."""
    return set((application.commitment or {}).get("replaces") or [])


async def schedule(session: AsyncSession, application: Application, *, now: datetime) -> PostCheck:
    """The post-check the deciding unit owes, due within the item's period after the decision."""
    calendar = await working_calendar(session)
    days = int((application.commitment or {}).get("post_check_days") or 20)
    check = PostCheck(
        application_id=application.id,
        unit_code=application.owner_unit_code,
        due_on=calendar.add_working_days(now, days),
        status="pending",
        created_at=now,
    )
    CommitmentRepository(session).add(check)
    return check


async def _checking(
    session: AsyncSession, check_id: str, actor: Principal, *, for_update: bool = False
) -> tuple[PostCheck, Application]:
    """The post-check and its case, if `actor` is staff who see the case (else 403 or 404)."""
    if not actor.is_staff:
        raise errors.StaffOnly("核查任务仅供工作人员查看和办理。", en="Post-checks are for staff accounts.")
    repo = CommitmentRepository(session)
    check = await repo.find_check(check_id, for_update=for_update)
    if check is None:
        raise errors.post_check_not_found(check_id)
    application = await access.get_visible(session, actor, check.application_id, for_update=for_update)
    return check, application


async def get(session: AsyncSession, check_id: str, actor: Principal) -> tuple[PostCheck, Application]:
    """A post-check and its case, as `actor` may see them (else 404)."""
    return await _checking(session, check_id, actor)


async def page_for(
    session: AsyncSession, actor: Principal, *, status: str | None, page: PageParams
) -> tuple[list[tuple[PostCheck, Application]], int]:
    """The post-checks of the actor's units (every one for oversight), soonest due first."""
    if not actor.is_staff:
        raise errors.StaffOnly("核查任务仅供工作人员查看。", en="Post-checks are for staff accounts.")
    units = None if actor.roles & access.OVERSIGHT_ROLES else await staff_units(session, actor)
    return await CommitmentRepository(session).page(units, status=status, page=page)


async def record(
    session: AsyncSession,
    check_id: str,
    body: PostCheckComplete,
    actor: Principal,
    *,
    now: datetime,
) -> tuple[PostCheck, Application]:
    """Record the post-check: the commitment held, or it was false — then the decision is revoked
    with a printed decision, the applicant told, and the breach recorded against them."""
    check, application = await _checking(session, check_id, actor, for_update=True)
    await access.require_deciding_unit(session, actor, application, CHECK)
    if check.status != "pending":
        raise errors.post_check_done(check.status)
    check.status = "passed" if body.commitment_held else "failed"
    check.checked_at, check.checked_by, check.findings = now, actor.subject, body.findings
    trace.append(
        session,
        application,
        action="post_checked",
        actor=actor.subject,
        at=now,
        data={"held": body.commitment_held, "findings": body.findings},
    )
    if not body.commitment_held:
        await _revoke(session, check, application, body.findings, actor, now=now)
    return check, application


async def _revoke(
    session: AsyncSession,
    check: PostCheck,
    application: Application,
    findings: str,
    actor: Principal,
    *,
    now: datetime,
) -> None:
    advance(application, "revoke_decision", now=now)
    reason = f"经核查，申请人承诺的内容不实：{findings}"
    application.closed_reason, application.closed_at = reason, now
    notice = await documents.issue(
        session,
        application,
        "decision_revocation",
        {
            "reason": reason,
            "decision_no": application.decision_no,
            "commitment": application.commitment,
            "result": application.result,
        },
        actor,
        now=now,
        unit_code=application.owner_unit_code,
    )
    check.revocation_no = notice.number
    CommitmentRepository(session).add_breach(
        CommitmentBreach(
            applicant_id=application.applicant_id,
            enterprise_id=application.enterprise_id,
            application_id=application.id,
            application_no=application.application_no,
            item_name=application.item_name,
            findings=findings,
            recorded_at=now,
            recorded_by=actor.subject,
        )
    )
    trace.append(
        session,
        application,
        action="decision_revoked",
        actor=actor.subject,
        at=now,
        data={"notice_no": notice.number, "decision_no": application.decision_no, "reason": reason},
    )
    await publish(
        session,
        application,
        events.ApplicationRevoked,
        actor,
        revoked_at=now,
        reason=reason,
        notice_no=notice.number,
        decision_no=application.decision_no,
    )
    await notify(session, application, "decision_revoked", document_no=notice.number)
