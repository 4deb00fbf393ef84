"""Bad-review cases (差评整改): open → call back → rectify / explain / appeal → feedback → close.

The states and which action leads where are declared once, in `lifecycles.CASE`; every step here
asks it and refuses what the case's state does not allow (409 `evaluation.invalid_step`).

Anonymous bad reviews may skip the call-back (there is nobody to call). The call-back is the
evaluation office's (evaluators, supervisors, administrators: the only ones who see who rated);
the unit rated asks for one (`request_call_back`) and sees the rater only by a random pseudonym.

A real-name bad review must be called back before any resolution (100% 回访). A rating is never
deleted: an upheld appeal marks it excluded and takes it out of the indicators.

The deadline is `CASE_DEADLINE_WORKING_DAYS` working days; a rectification promised for a later
date moves it to the end of that date, and the overdue scan judges against whichever is in force
(a case is flagged overdue once). Every step that moves an indicator is published as an event
(`publish_counted`), so the indicators can be rebuilt from the EVALUATION stream.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import SHANGHAI, local_date
from yiwang_shared.events.payloads import EventPayload
from yiwang_shared.lifecycle import TransitionRefused
from yiwang_shared.orm import as_utc, utcnow
from yiwang_shared.pagination import PageParams

from .. import errors
from ..events import (
    BadReviewAppealDecided,
    BadReviewCalledBack,
    BadReviewClosed,
    BadReviewExplained,
    BadReviewOpened,
    BadReviewOverdue,
    BadReviewRectified,
    BadReviewResponseRated,
    BadReviewTransferred,
    publish,
)
from ..lifecycles import CASE, FEEDBACK_GIVEN, CaseAction, CaseStatus
from ..models import BadReviewCase, CaseStep, Rating, ServiceEvent
from ..repositories.cases import BadReviewCaseRepository
from ..repositories.ratings import RatingRepository
from ..repositories.scopes import UnitScope
from ..repositories.service_events import ServiceEventRepository
from .indicators import publish_counted
from .read_models import codes_below, working_calendar

#: Roles that see and decide every case (district-wide).
OVERSEERS = frozenset({"supervisor", "evaluator", "admin"})
#: Roles of a unit's staff who may handle their unit's cases.
UNIT_HANDLERS = frozenset({"handler", "window_clerk", "approver", "supervisor", "admin"})

#: Roles that decide appeals.
REVIEWERS = frozenset({"supervisor", "evaluator"})


def is_overseer(principal: Principal) -> bool:
    """True for supervisors, evaluators and administrators."""
    return principal.is_staff and principal.has_any_role(OVERSEERS)


def unit_visible(principal: Principal, unit_code: str) -> bool:
    """True if the principal may see this unit's cases and indicators (own unit or its windows)."""
    if is_overseer(principal):
        return True
    own = principal.org_unit
    return bool(principal.is_staff and own and (unit_code == own or unit_code.startswith(own + "-")))


async def unit_scope(session: AsyncSession, principal: Principal) -> UnitScope:
    """The units whose rows `unit_visible` lets the principal see, for a query: their unit's code and
    the codes below it in the organisation read model."""
    if is_overseer(principal):
        return UnitScope(everything=True)
    own = principal.org_unit if principal.is_staff else None
    if not own:
        return UnitScope()
    return UnitScope(codes=await codes_below(session, own))


async def open_case(
    session: AsyncSession,
    *,
    rating: Rating,
    event: ServiceEvent,
    deadline_days: int,
    now: datetime,
    preceding: Sequence[EventPayload] = (),
) -> BadReviewCase:
    """Open the case for the unit that did the work, with a working-day deadline; its event is
    written with the step's `preceding` ones (and their counters), in one statement."""
    calendar = await working_calendar(session)
    case = BadReviewCase(
        rating_id=rating.id,
        unit_code=event.unit_code,
        status="open",
        real_name=rating.real_name,
        deadline_at=calendar.deadline_instant(now, deadline_days),
        opened_at=now,
    )
    repo = BadReviewCaseRepository(session)
    repo.add(case)
    await session.flush()
    repo.add_step(CaseStep(case_id=case.id, action="opened", actor=None, note=None, at=now))
    await publish_counted(
        session,
        *preceding,
        BadReviewOpened(
            **_about(case, rating, event),
            real_name=rating.real_name,
            deadline_at=case.deadline_at,
            opened_at=now,
        ),
    )
    return case


async def get_case(session: AsyncSession, case_id: str, principal: Principal) -> BadReviewCase:
    """The case if the principal may see it; another unit's case is 404."""
    case = await BadReviewCaseRepository(session).find(case_id)
    if case is None or not unit_visible(principal, case.unit_code):
        raise errors.case_not_found(case_id)
    return case


async def case_for_office(session: AsyncSession, case_id: str, *, actor: Principal) -> BadReviewCase:
    """The case, for the evaluation office only (the one who knows who rated): 404 if the actor may
    not see it, 403 if they may but are not of the office."""
    case = await get_case(session, case_id, actor)
    if not is_overseer(actor):
        raise errors.callback_by_office()
    return case


async def case_for_handler(session: AsyncSession, case_id: str, *, actor: Principal) -> BadReviewCase:
    """The case, for those who handle cases: 404 if the actor may not see it, 403 if they may but
    handle none."""
    case = await get_case(session, case_id, actor)
    if not actor.has_any_role(UNIT_HANDLERS | OVERSEERS):
        raise errors.not_handler()
    return case


async def case_for_reviewer(session: AsyncSession, case_id: str, *, actor: Principal) -> BadReviewCase:
    """The case, for those who decide appeals (supervisors, evaluators): 404 if the actor may not see
    it, 403 if they may but decide none."""
    case = await get_case(session, case_id, actor)
    if not actor.has_any_role(REVIEWERS):
        raise errors.not_reviewer()
    return case


async def list_cases(
    session: AsyncSession, *, viewer: Principal, status: str | None, overdue: bool | None, page: PageParams
) -> tuple[list[BadReviewCase], int]:
    """A page of the cases the viewer may see (in one state, overdue or not), newest first, and how
    many there are."""
    return await BadReviewCaseRepository(session).page(
        scope=await unit_scope(session, viewer), status=status, overdue=overdue, page=page
    )


async def cases_of_rater(
    session: AsyncSession, *, rater: Principal, page: PageParams
) -> tuple[list[BadReviewCase], int]:
    """A page of the cases of the rater's own bad reviews, newest first, and how many there are."""
    return await BadReviewCaseRepository(session).page_of_rater(rater.subject, page)


async def ratings_and_steps(
    session: AsyncSession, cases: Sequence[BadReviewCase]
) -> tuple[dict[str, Rating], dict[str, list[CaseStep]]]:
    """The cases' ratings by id and their steps by case id, in order (one query each)."""
    if not cases:
        return {}, {}
    ratings = await RatingRepository(session).by_ids([c.rating_id for c in cases])
    steps = await BadReviewCaseRepository(session).steps_of([c.id for c in cases])
    return ratings, steps


async def levels_and_steps(
    session: AsyncSession, cases: Sequence[BadReviewCase]
) -> tuple[dict[str, int], dict[str, list[CaseStep]]]:
    """The levels of the cases' ratings by rating id and their steps by case id (one query each)."""
    if not cases:
        return {}, {}
    levels = await RatingRepository(session).levels([c.rating_id for c in cases])
    steps = await BadReviewCaseRepository(session).steps_of([c.id for c in cases])
    return levels, steps


async def _context(session: AsyncSession, case: BadReviewCase) -> tuple[Rating, ServiceEvent]:
    rating = await RatingRepository(session).find(case.rating_id)
    assert rating is not None
    event = await ServiceEventRepository(session).find(rating.service_event_id)
    assert event is not None
    return rating, event


def _about(case: BadReviewCase, rating: Rating, event: ServiceEvent) -> dict[str, Any]:
    """What every case event says about the case and what it counts for (never the rater)."""
    return {
        "case_id": case.id,
        "rating_id": rating.id,
        "unit_code": case.unit_code,
        "service_kind": event.kind,
        "source_id": event.source_id,
        "level": rating.level,
        "month": rating.month,
        "window_code": rating.window_code,
        "staff_id": rating.staff_id,
        "item_code": rating.item_code,
    }


def _target(case: BadReviewCase, action: CaseAction, step: str) -> CaseStatus:
    """Where `action` leads the case; 409 naming the `step` the person took if its state refuses it."""
    try:
        return CASE.target(case.status, action)
    except TransitionRefused:
        raise errors.invalid_step(case.id, case.status, step) from None


def _step(
    session: AsyncSession, case: BadReviewCase, action: str, actor: Principal, note: str | None
) -> None:
    BadReviewCaseRepository(session).add_step(
        CaseStep(case_id=case.id, action=action, actor=actor.subject, note=note, at=utcnow())
    )


async def call_back(
    session: AsyncSession, case: BadReviewCase, *, actor: Principal, reached: bool, note: str
) -> BadReviewCase:
    """Record a call-back to the rater (回访核实); only a reached rater counts."""
    target = _target(case, "call_back" if reached else "call_back_failed", "call_back")
    _step(session, case, "call_back" if reached else "call_back_failed", actor, note)
    if reached and case.called_back_at is None:
        case.called_back_at = utcnow()
        case.status = target
        rating, event = await _context(session, case)
        await publish_counted(
            session,
            BadReviewCalledBack(**_about(case, rating, event), called_back_at=case.called_back_at),
        )
    return case


async def request_call_back(
    session: AsyncSession, case: BadReviewCase, *, actor: Principal, note: str
) -> BadReviewCase:
    """The unit asks the evaluation office to call the rater back (it never learns who rated)."""
    _target(case, "request_call_back", "call_back_request")
    _step(session, case, "call_back_requested", actor, note)
    return case


def _require_callback(case: BadReviewCase) -> None:
    if case.real_name and case.called_back_at is None:
        raise errors.callback_required(case.id)


async def _rectified(session: AsyncSession, case: BadReviewCase, target: CaseStatus) -> None:
    now = utcnow()
    case.status = target
    case.rectified_at = now
    rating, event = await _context(session, case)
    await publish_counted(session, BadReviewRectified(**_about(case, rating, event), rectified_at=now))


async def rectify(
    session: AsyncSession, case: BadReviewCase, *, actor: Principal, due_on: date | None, note: str
) -> BadReviewCase:
    """Rectify now (due_on None) or commit to a rectification deadline (整改)."""
    target = _target(case, "rectify" if due_on is None else "plan_rectification", "rectify")
    _require_callback(case)
    if due_on is not None and due_on < local_date(utcnow()):
        raise errors.due_date_past(due_on)
    case.resolution = "rectify"
    _step(session, case, "rectify" if due_on is None else "rectify_planned", actor, note)
    if due_on is None:
        await _rectified(session, case, target)
    else:
        case.rectify_due_on = due_on
        case.status = target
        # A later promised date becomes the deadline the overdue scan judges against.
        promised = datetime.combine(due_on, time.max, tzinfo=SHANGHAI)
        if promised > as_utc(case.deadline_at):
            case.deadline_at = promised
    return case


async def rectification_done(
    session: AsyncSession, case: BadReviewCase, *, actor: Principal, note: str
) -> BadReviewCase:
    """A planned rectification is done."""
    target = _target(case, "finish_rectification", "rectification_done")
    _step(session, case, "rectification_done", actor, note)
    await _rectified(session, case, target)
    return case


async def explain(
    session: AsyncSession, case: BadReviewCase, *, actor: Principal, note: str
) -> BadReviewCase:
    """Explain why the request has no legal basis (解释说明)."""
    target = _target(case, "explain", "explain")
    _require_callback(case)
    case.resolution = "explain"
    case.status = target
    _step(session, case, "explain", actor, note)
    rating, event = await _context(session, case)
    await publish_counted(session, BadReviewExplained(**_about(case, rating, event), explained_at=utcnow()))
    return case


async def appeal(
    session: AsyncSession, case: BadReviewCase, *, actor: Principal, reason: str
) -> BadReviewCase:
    """Appeal a mistaken or malicious rating (申诉), to be decided by a reviewer."""
    target = _target(case, "appeal", "appeal")
    _require_callback(case)
    case.resolution = "appeal"
    case.appeal_reason = reason
    case.status = target
    _step(session, case, "appeal", actor, reason)
    return case


async def decide_appeal(
    session: AsyncSession, case: BadReviewCase, *, actor: Principal, upheld: bool, note: str
) -> BadReviewCase:
    """A reviewer decides the appeal; upheld excludes the rating from indicators (never deletes it)."""
    # A rejected appeal goes back to where the case stood: called back, or not yet.
    action: CaseAction = (
        "uphold_appeal"
        if upheld
        else "reject_appeal"
        if case.called_back_at is not None
        else "reject_appeal_uncalled"
    )
    target = _target(case, action, "decide_appeal")
    case.appeal_decision = "upheld" if upheld else "rejected"
    _step(session, case, "appeal_upheld" if upheld else "appeal_rejected", actor, note)
    rating, event = await _context(session, case)
    await publish_counted(
        session,
        BadReviewAppealDecided(
            **_about(case, rating, event),
            upheld=upheld,
            called_back=case.called_back_at is not None,
            decided_at=utcnow(),
        ),
    )
    case.status = target
    if upheld:
        rating.excluded = True
    else:
        case.resolution = None
    return case


async def give_feedback(
    session: AsyncSession, case: BadReviewCase, *, actor: Principal, text: str
) -> BadReviewCase:
    """Tell the rater what was done (反馈)."""
    target = _target(case, "feedback", "feedback")
    case.feedback = text
    case.feedback_at = utcnow()
    case.status = target
    _step(session, case, "feedback", actor, text)
    return case


async def close(session: AsyncSession, case: BadReviewCase, *, actor: Principal) -> BadReviewCase:
    """Close an answered case."""
    target = _target(case, "close", "close")
    _require_callback(case)
    now = utcnow()
    case.closed = True
    case.closed_at = now
    prior = case.resolution or "appeal"
    case.status = target
    _step(session, case, "closed", actor, None)
    rating, event = await _context(session, case)
    await publish(
        session,
        BadReviewClosed(
            **_about(case, rating, event),
            resolution="appeal_upheld" if case.appeal_decision == "upheld" else prior,
            called_back=case.called_back_at is not None,
            overdue=case.overdue,
            closed_at=now,
        ),
    )
    return case


async def close_withdrawn(session: AsyncSession, case: BadReviewCase, *, reason: str, now: datetime) -> None:
    """Close the case of a rating that left the indicators: superseded by the served person's own
    rating, or found forged by the evaluation office (status `superseded` / `withdrawn`)."""
    status = CASE.target(case.status, "supersede" if reason == "superseded" else "withdraw")
    case.closed = True
    case.closed_at = now
    case.status = status
    BadReviewCaseRepository(session).add_step(
        CaseStep(case_id=case.id, action=status, actor=None, note=None, at=now)
    )
    rating, event = await _context(session, case)
    await publish(
        session,
        BadReviewClosed(
            **_about(case, rating, event),
            resolution=status,
            called_back=case.called_back_at is not None,
            overdue=case.overdue,
            closed_at=now,
        ),
    )


async def rate_response(
    session: AsyncSession, case_id: str, *, rater: Principal, level: int
) -> BadReviewCase:
    """The rater rates how the bad review was handled (once, after feedback)."""
    case = await BadReviewCaseRepository(session).find(case_id)
    rating = await RatingRepository(session).find(case.rating_id) if case is not None else None
    if case is None or rating is None or rating.rater_subject != rater.subject:
        raise errors.case_not_found(case_id)
    if case.status not in FEEDBACK_GIVEN:
        raise errors.response_not_yet(case.id, case.status)
    if case.response_level is not None:
        raise errors.response_already_rated(case.id, case.status)
    case.response_level = level
    now = utcnow()
    BadReviewCaseRepository(session).add_step(
        CaseStep(case_id=case.id, action="response_rated", actor=None, note=str(level), at=now)
    )
    event = await ServiceEventRepository(session).find(rating.service_event_id)
    assert event is not None
    await publish_counted(
        session, BadReviewResponseRated(**_about(case, rating, event), response_level=level, rated_at=now)
    )
    return case


async def transfer(
    session: AsyncSession, case: BadReviewCase, *, actor: Principal, reason: str
) -> BadReviewCase:
    """Hand the case to the hotline as a ticket (the hotline consumes the event)."""
    _target(case, "transfer", "transfer")
    if case.transferred_at is not None:  # once: the hotline has it
        raise errors.invalid_step(case.id, case.status, "transfer")
    now = utcnow()
    case.transferred_at = now
    _step(session, case, "transferred", actor, reason)
    rating, event = await _context(session, case)
    about = {k: v for k, v in _about(case, rating, event).items() if k != "source_id"}
    await publish(
        session,
        BadReviewTransferred(
            **about,
            comment=rating.comment,
            reason=reason,
            transferred_at=now,
        ),
    )
    return case


async def flag_overdue(session: AsyncSession, *, now: datetime | None = None) -> int:
    """Flag open cases past their deadline; safe with replicas (the UPDATE claims each row once)."""
    now = now or utcnow()
    repo = BadReviewCaseRepository(session)
    flagged = 0
    for case_id in await repo.overdue_ids(now):
        case = await repo.claim_overdue(case_id)
        if case is None:
            continue
        flagged += 1
        rating, event = await _context(session, case)
        repo.add_step(CaseStep(case_id=case.id, action="overdue", actor=None, note=None, at=now))
        await publish(
            session,
            BadReviewOverdue(
                **_about(case, rating, event),
                deadline_at=case.deadline_at,
                detected_at=now,
            ),
        )
    return flagged
