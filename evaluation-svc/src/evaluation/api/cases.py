"""Routes: bad-review cases (差评整改)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Query

from yiwang_shared.auth import Principal
from yiwang_shared.db import SessionDep
from yiwang_shared.openapi import problems
from yiwang_shared.pagination import PageQuery

from ..models import BadReviewCase, Rating
from ..schemas import (
    RATER_VISIBLE_NOTES,
    BadReviewAction,
    BadReviewAppeal,
    BadReviewAppealDecision,
    BadReviewCallBack,
    BadReviewCallBackRequest,
    BadReviewExplain,
    BadReviewFeedback,
    BadReviewOwnPage,
    BadReviewOwnRead,
    BadReviewOwnStepRead,
    BadReviewPage,
    BadReviewRead,
    BadReviewRectificationDone,
    BadReviewRectify,
    BadReviewStatus,
    BadReviewStepRead,
    BadReviewTransfer,
    RatingLevel,
    ResponseRatingCreate,
    ResponseRatingRead,
)
from ..services import cases as svc
from .deps import Staff, UnitPrincipal

router = APIRouter(prefix="/v1/bad-reviews", tags=["bad-reviews"])

#: What a step that the case's state does not allow answers.
STEP_PROBLEMS = problems(409)


def pseudonymous(rating: Rating) -> str:
    """The rater as the unit rated may see them: the rating's random pseudonym, nothing of the account.

    (Two characters at each end of the account id were enough for a unit to match the rater among
    the applicants of its own applications.)
    """
    return f"{'实名用户' if rating.real_name else '匿名用户'} #{rating.pseudonym}"


async def _reads(
    session: SessionDep, cases: Sequence[BadReviewCase], principal: Principal
) -> list[BadReviewRead]:
    """The cases as the caller may see them (their ratings and steps read in one query each)."""
    if not cases:
        return []
    ratings, steps = await svc.ratings_and_steps(session, cases)
    overseer = svc.is_overseer(principal)
    out = []
    for case in cases:
        rating = ratings[case.rating_id]
        rater = rating.rater_subject if overseer and rating.rater_subject else pseudonymous(rating)
        out.append(
            BadReviewRead(
                **{
                    k: getattr(case, k)
                    for k in BadReviewRead.model_fields
                    if k not in {"level", "comment", "rater", "steps"}
                },
                level=RatingLevel(rating.level),
                comment=rating.comment,
                rater=rater,
                steps=[
                    BadReviewStepRead.model_validate(s, from_attributes=True) for s in steps.get(case.id, [])
                ],
            )
        )
    return out


async def _read(session: SessionDep, case: BadReviewCase, principal: Principal) -> BadReviewRead:
    return (await _reads(session, [case], principal))[0]


@router.get("", response_model=BadReviewPage)
async def bad_reviews_list(
    session: SessionDep,
    principal: Staff,
    page: PageQuery,
    status: Annotated[BadReviewStatus | None, Query(description="Only cases in this state.")] = None,
    overdue: Annotated[
        bool | None, Query(description="Only overdue (true) or not overdue (false) cases.")
    ] = None,
) -> BadReviewPage:
    """The cases the caller may see, newest first: their unit's, or all for supervisors and evaluators."""
    rows, total = await svc.list_cases(
        session,
        viewer=principal,
        status=status.value if status is not None else None,
        overdue=overdue,
        page=page,
    )
    return BadReviewPage(
        items=await _reads(session, rows, principal), total=total, limit=page.limit, offset=page.offset
    )


@router.get("/mine", response_model=BadReviewOwnPage)
async def bad_reviews_mine(
    session: SessionDep, principal: UnitPrincipal, page: PageQuery
) -> BadReviewOwnPage:
    """The cases of the caller's own bad reviews, newest first (我的差评整改): how each is handled,
    the feedback, and whether the handling was rated — no staff member named, no internal notes."""
    rows, total = await svc.cases_of_rater(session, rater=principal, page=page)
    levels, steps = await svc.levels_and_steps(session, rows)
    items = [
        BadReviewOwnRead(
            **{k: getattr(case, k) for k in BadReviewOwnRead.model_fields if k not in {"level", "steps"}},
            level=RatingLevel(levels[case.rating_id]),
            steps=[
                BadReviewOwnStepRead(
                    action=BadReviewAction(s.action),
                    note=s.note if s.action in RATER_VISIBLE_NOTES else None,
                    at=s.at,
                )
                for s in steps.get(case.id, [])
            ],
        )
        for case in rows
    ]
    return BadReviewOwnPage(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/{case_id}", response_model=BadReviewRead)
async def bad_reviews_get(case_id: str, session: SessionDep, principal: UnitPrincipal) -> BadReviewRead:
    """One case (another unit's answers 404)."""
    return await _read(session, await svc.get_case(session, case_id, principal), principal)


async def _handler_case(session: SessionDep, case_id: str, principal: Principal) -> BadReviewCase:
    return await svc.case_for_handler(session, case_id, actor=principal)


@router.post("/{case_id}/call-back", response_model=BadReviewRead, responses=STEP_PROBLEMS)
async def bad_reviews_call_back(
    case_id: str, body: BadReviewCallBack, session: SessionDep, principal: Staff
) -> BadReviewRead:
    """The evaluation office records its call-back to the rater (回访): only the office (evaluators,
    supervisors, administrators) knows who rated; the unit rated asks it with a call-back request."""
    case = await svc.case_for_office(session, case_id, actor=principal)
    await svc.call_back(session, case, actor=principal, reached=body.reached, note=body.note)
    return await _read(session, case, principal)


@router.post("/{case_id}/call-back-request", response_model=BadReviewRead, responses=STEP_PROBLEMS)
async def bad_reviews_call_back_request(
    case_id: str, body: BadReviewCallBackRequest, session: SessionDep, principal: Staff
) -> BadReviewRead:
    """The unit rated asks the evaluation office to call the rater back (申请回访), with what to ask."""
    case = await _handler_case(session, case_id, principal)
    await svc.request_call_back(session, case, actor=principal, note=body.note)
    return await _read(session, case, principal)


@router.post("/{case_id}/rectify", response_model=BadReviewRead, responses=STEP_PROBLEMS)
async def bad_reviews_rectify(
    case_id: str, body: BadReviewRectify, session: SessionDep, principal: Staff
) -> BadReviewRead:
    """Rectify now, or commit to a date (整改); a date in the past is a 422."""
    case = await _handler_case(session, case_id, principal)
    await svc.rectify(session, case, actor=principal, due_on=body.due_on, note=body.note)
    return await _read(session, case, principal)


@router.post("/{case_id}/rectification-done", response_model=BadReviewRead, responses=STEP_PROBLEMS)
async def bad_reviews_rectification_done(
    case_id: str, body: BadReviewRectificationDone, session: SessionDep, principal: Staff
) -> BadReviewRead:
    """A planned rectification is complete."""
    case = await _handler_case(session, case_id, principal)
    await svc.rectification_done(session, case, actor=principal, note=body.note)
    return await _read(session, case, principal)


@router.post("/{case_id}/explain", response_model=BadReviewRead, responses=STEP_PROBLEMS)
async def bad_reviews_explain(
    case_id: str, body: BadReviewExplain, session: SessionDep, principal: Staff
) -> BadReviewRead:
    """Explain (解释说明): the request had no legal basis."""
    case = await _handler_case(session, case_id, principal)
    await svc.explain(session, case, actor=principal, note=body.note)
    return await _read(session, case, principal)


@router.post("/{case_id}/appeal", response_model=BadReviewRead, responses=STEP_PROBLEMS)
async def bad_reviews_appeal(
    case_id: str, body: BadReviewAppeal, session: SessionDep, principal: Staff
) -> BadReviewRead:
    """Appeal a mistaken or malicious rating (申诉)."""
    case = await _handler_case(session, case_id, principal)
    await svc.appeal(session, case, actor=principal, reason=body.note)
    return await _read(session, case, principal)


@router.post("/{case_id}/appeal-decision", response_model=BadReviewRead, responses=STEP_PROBLEMS)
async def bad_reviews_appeal_decision(
    case_id: str, body: BadReviewAppealDecision, session: SessionDep, principal: Staff
) -> BadReviewRead:
    """A supervisor or evaluator decides an appeal."""
    case = await svc.case_for_reviewer(session, case_id, actor=principal)
    await svc.decide_appeal(session, case, actor=principal, upheld=body.upheld, note=body.note)
    return await _read(session, case, principal)


@router.post("/{case_id}/feedback", response_model=BadReviewRead, responses=STEP_PROBLEMS)
async def bad_reviews_feedback(
    case_id: str, body: BadReviewFeedback, session: SessionDep, principal: Staff
) -> BadReviewRead:
    """Tell the rater what was done (反馈)."""
    case = await _handler_case(session, case_id, principal)
    await svc.give_feedback(session, case, actor=principal, text=body.text)
    return await _read(session, case, principal)


@router.post("/{case_id}/close", response_model=BadReviewRead, responses=STEP_PROBLEMS)
async def bad_reviews_close(case_id: str, session: SessionDep, principal: Staff) -> BadReviewRead:
    """Close an answered case."""
    case = await _handler_case(session, case_id, principal)
    await svc.close(session, case, actor=principal)
    return await _read(session, case, principal)


@router.post("/{case_id}/transfer", response_model=BadReviewRead, responses=STEP_PROBLEMS)
async def bad_reviews_transfer(
    case_id: str, body: BadReviewTransfer, session: SessionDep, principal: Staff
) -> BadReviewRead:
    """Hand the case to the hotline as a ticket (evaluation.bad_review.transferred.v1)."""
    case = await _handler_case(session, case_id, principal)
    await svc.transfer(session, case, actor=principal, reason=body.note)
    return await _read(session, case, principal)


@router.post("/{case_id}/response-rating", response_model=ResponseRatingRead, responses=STEP_PROBLEMS)
async def bad_reviews_response_rating(
    case_id: str, body: ResponseRatingCreate, session: SessionDep, principal: UnitPrincipal
) -> ResponseRatingRead:
    """The rater rates how their bad review was handled, once, after the unit's feedback."""
    case = await svc.rate_response(session, case_id, rater=principal, level=int(body.level))
    assert case.response_level is not None
    return ResponseRatingRead(
        case_id=case.id,
        response_level=RatingLevel(case.response_level),
        status=BadReviewStatus(case.status),
    )
