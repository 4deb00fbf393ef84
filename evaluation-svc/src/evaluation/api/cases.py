"""Routes: bad-review cases (差评整改)."""

from __future__ import annotations

from fastapi import APIRouter, Query
from sqlalchemy import select

from yiwang_shared.auth import Principal
from yiwang_shared.db import SessionDep
from yiwang_shared.errors import Forbidden

from ..models import BadReviewCase, CaseStep, Rating
from ..schemas import (
    AppealDecision,
    CallBack,
    CaseRead,
    CaseStepRead,
    Feedback,
    Note,
    Rectify,
    ResponseRating,
)
from ..services import cases as svc
from .deps import UnitPrincipal

router = APIRouter(prefix="/v1/bad-reviews", tags=["bad-reviews"])


def mask(subject: str | None) -> str:
    """The rater as the unit rated may see them: masked, or 匿名 when unknown."""
    if subject is None:
        return "匿名用户"
    return f"实名用户 {subject[:2]}***{subject[-2:]}"


async def _read(session: SessionDep, case: BadReviewCase, principal: Principal) -> CaseRead:
    rating = await session.get(Rating, case.rating_id)
    assert rating is not None
    steps = (
        await session.execute(select(CaseStep).where(CaseStep.case_id == case.id).order_by(CaseStep.id))
    ).scalars()
    rater = (
        rating.rater_subject
        if svc.is_overseer(principal) and rating.rater_subject
        else mask(rating.rater_subject)
    )
    return CaseRead(
        **{
            k: getattr(case, k)
            for k in CaseRead.model_fields
            if k not in {"level", "comment", "rater", "steps"}
        },
        level=rating.level,
        comment=rating.comment,
        rater=rater,
        steps=[CaseStepRead.model_validate(s, from_attributes=True) for s in steps],
    )


def _staff(principal: Principal) -> None:
    if not principal.is_staff:
        raise Forbidden("Bad-review cases are handled by staff.", code="evaluation.staff_only")


@router.get("", response_model=list[CaseRead])
async def bad_reviews_list(
    session: SessionDep,
    principal: UnitPrincipal,
    status: str | None = Query(default=None, max_length=20),
    overdue: bool | None = None,
) -> list[CaseRead]:
    """The cases the caller may see: their unit's, or all for supervisors and evaluators."""
    _staff(principal)
    stmt = select(BadReviewCase).order_by(BadReviewCase.opened_at.desc()).limit(500)
    if not svc.is_overseer(principal):
        own = principal.org_unit or "\x00"
        stmt = stmt.where(
            (BadReviewCase.unit_code == own) | BadReviewCase.unit_code.startswith(own + "-", autoescape=True)
        )
    if status:
        stmt = stmt.where(BadReviewCase.status == status)
    if overdue is not None:
        stmt = stmt.where(BadReviewCase.overdue.is_(overdue))
    return [await _read(session, c, principal) for c in (await session.execute(stmt)).scalars()]


@router.get("/{case_id}", response_model=CaseRead)
async def bad_reviews_get(case_id: str, session: SessionDep, principal: UnitPrincipal) -> CaseRead:
    """One case (another unit's answers 404)."""
    return await _read(session, await svc.get_case(session, case_id, principal), principal)


async def _handler_case(session: SessionDep, case_id: str, principal: Principal) -> BadReviewCase:
    _staff(principal)
    case = await svc.get_case(session, case_id, principal)
    if not principal.has_any_role(svc.UNIT_HANDLERS | svc.OVERSEERS):
        raise Forbidden("Handling a bad review needs the handler role.", code="evaluation.not_handler")
    return case


@router.post("/{case_id}/call-back", response_model=CaseRead)
async def bad_reviews_call_back(
    case_id: str, body: CallBack, session: SessionDep, principal: UnitPrincipal
) -> CaseRead:
    """Record a call-back to the rater (回访)."""
    case = await _handler_case(session, case_id, principal)
    await svc.call_back(session, case, actor=principal, reached=body.reached, note=body.note)
    return await _read(session, case, principal)


@router.post("/{case_id}/rectify", response_model=CaseRead)
async def bad_reviews_rectify(
    case_id: str, body: Rectify, session: SessionDep, principal: UnitPrincipal
) -> CaseRead:
    """Rectify now, or commit to a date (整改)."""
    case = await _handler_case(session, case_id, principal)
    await svc.rectify(session, case, actor=principal, due_on=body.due_on, note=body.note)
    return await _read(session, case, principal)


@router.post("/{case_id}/rectification-done", response_model=CaseRead)
async def bad_reviews_rectification_done(
    case_id: str, body: Note, session: SessionDep, principal: UnitPrincipal
) -> CaseRead:
    """A planned rectification is complete."""
    case = await _handler_case(session, case_id, principal)
    await svc.rectification_done(session, case, actor=principal, note=body.note)
    return await _read(session, case, principal)


@router.post("/{case_id}/explain", response_model=CaseRead)
async def bad_reviews_explain(
    case_id: str, body: Note, session: SessionDep, principal: UnitPrincipal
) -> CaseRead:
    """Explain (解释说明): the request had no legal basis."""
    case = await _handler_case(session, case_id, principal)
    await svc.explain(session, case, actor=principal, note=body.note)
    return await _read(session, case, principal)


@router.post("/{case_id}/appeal", response_model=CaseRead)
async def bad_reviews_appeal(
    case_id: str, body: Note, session: SessionDep, principal: UnitPrincipal
) -> CaseRead:
    """Appeal a mistaken or malicious rating (申诉)."""
    case = await _handler_case(session, case_id, principal)
    await svc.appeal(session, case, actor=principal, reason=body.note)
    return await _read(session, case, principal)


@router.post("/{case_id}/appeal-decision", response_model=CaseRead)
async def bad_reviews_appeal_decision(
    case_id: str, body: AppealDecision, session: SessionDep, principal: UnitPrincipal
) -> CaseRead:
    """A supervisor or evaluator decides an appeal."""
    _staff(principal)
    case = await svc.get_case(session, case_id, principal)
    if not principal.has_any_role({"supervisor", "evaluator"}):
        raise Forbidden("Appeals are decided by a supervisor or evaluator.", code="evaluation.not_reviewer")
    await svc.decide_appeal(session, case, actor=principal, upheld=body.upheld, note=body.note)
    return await _read(session, case, principal)


@router.post("/{case_id}/feedback", response_model=CaseRead)
async def bad_reviews_feedback(
    case_id: str, body: Feedback, session: SessionDep, principal: UnitPrincipal
) -> CaseRead:
    """Tell the rater what was done (反馈)."""
    case = await _handler_case(session, case_id, principal)
    await svc.give_feedback(session, case, actor=principal, text=body.text)
    return await _read(session, case, principal)


@router.post("/{case_id}/close", response_model=CaseRead)
async def bad_reviews_close(case_id: str, session: SessionDep, principal: UnitPrincipal) -> CaseRead:
    """Close an answered case."""
    case = await _handler_case(session, case_id, principal)
    await svc.close(session, case, actor=principal)
    return await _read(session, case, principal)


@router.post("/{case_id}/transfer", response_model=CaseRead)
async def bad_reviews_transfer(
    case_id: str, body: Note, session: SessionDep, principal: UnitPrincipal
) -> CaseRead:
    """Hand the case to the hotline as a ticket (evaluation.bad_review.transferred.v1)."""
    case = await _handler_case(session, case_id, principal)
    await svc.transfer(session, case, actor=principal, reason=body.note)
    return await _read(session, case, principal)


@router.post("/{case_id}/response-rating")
async def bad_reviews_response_rating(
    case_id: str, body: ResponseRating, session: SessionDep, principal: UnitPrincipal
) -> dict[str, object]:
    """The rater rates how their bad review was handled."""
    case = await svc.rate_response(session, case_id, rater=principal, level=body.level)
    return {"case_id": case.id, "response_level": case.response_level, "status": case.status}
