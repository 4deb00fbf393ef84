"""告知承诺 post-checks: /v1/post-checks — the checks deciding units owe of cases decided on
commitment, and their results (a false commitment revokes the decision)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from yiwang_shared.db import SessionDep
from yiwang_shared.openapi import problems
from yiwang_shared.pagination import PageQuery

from ..models.applications import Application
from ..models.commitments import PostCheck
from ..schemas import PostCheckComplete, PostCheckPage, PostCheckRead
from ..services import commitments
from .deps import Actor, Now

router = APIRouter(prefix="/v1/post-checks", tags=["post-checks"])


def post_check_view(check: PostCheck, application: Application) -> PostCheckRead:
    """A post-check with what identifies its case."""
    return PostCheckRead(
        id=check.id,
        application_id=application.id,
        application_no=application.application_no,
        item_name=application.item_name,
        applicant_name=application.applicant_name,
        unit_code=check.unit_code,
        decided_at=application.decided_at,
        due_on=check.due_on,
        status=check.status,  # type: ignore[arg-type]  # pending | passed | failed, as written
        checked_at=check.checked_at,
        checked_by=check.checked_by,
        findings=check.findings,
        revocation_no=check.revocation_no,
    )


@router.get("", response_model=PostCheckPage, responses=problems())
async def post_checks_list(
    session: SessionDep,
    actor: Actor,
    page: PageQuery,
    status: Annotated[
        Literal["pending", "passed", "failed"] | None,
        Query(description="Only checks in this state (pending 待核查 …)."),
    ] = None,
) -> PostCheckPage:
    """The post-checks of the caller's unit and those under it (supervisors: all), soonest due
    first (告知承诺事后核查)."""
    rows, total = await commitments.page_for(session, actor, status=status, page=page)
    return PostCheckPage(
        items=[post_check_view(c, a) for c, a in rows], total=total, limit=page.limit, offset=page.offset
    )


@router.get("/{check_id}", response_model=PostCheckRead)
async def post_checks_get(check_id: str, session: SessionDep, actor: Actor) -> PostCheckRead:
    """A post-check, for those who see its case."""
    check, application = await commitments.get(session, check_id, actor)
    return post_check_view(check, application)


@router.post("/{check_id}/result", response_model=PostCheckRead, responses=problems(409))
async def post_checks_result(
    check_id: str, body: PostCheckComplete, session: SessionDep, actor: Actor, now: Now
) -> PostCheckRead:
    """Record the post-check (deciding-unit staff): the commitment held, or it was false — then
    the decision is revoked with a printed 撤销决定书, the applicant told by SMS, anything it issued
    void (intake.application.revoked.v1) and the breach recorded against the applicant."""
    check, application = await commitments.record(session, check_id, body, actor, now=now)
    await session.flush()
    return post_check_view(check, application)
