"""evaluation-svc's domain errors, each with a stable code.

evaluation.service_event_not_found 404  no such service event (or not yours to see)
evaluation.case_not_found        404  no such bad-review case (or another unit's)
evaluation.not_the_person_served 403  a token that is not the person served, and no code
evaluation.rating_code_invalid   403  unknown or used rating code
evaluation.already_rated         409  the event has its one rating
evaluation.rating_window_closed  409  the rating period is over
evaluation.invalid_step          409  the case's state does not allow this step
evaluation.callback_required     409  a real-name bad review must be called back first
evaluation.unknown_indicator     422  no such indicator / dimension
evaluation.bad_month             422  month not YYYY-MM (schemas.check_month)
evaluation.due_date_past         422  a rectification date in the past (services.cases)
evaluation.indicators_not_found  404  another unit's indicators or report (api.indicators)
evaluation.indicators_forbidden  403  listing every key without an overseer role
evaluation.not_window_clerk / not_handler / not_reviewer / not_evaluator / not_admin / staff_only
                                 403  the role the step needs
"""

from __future__ import annotations

from yiwang_shared.errors import Conflict, Forbidden, NotFound, UnprocessableEntity


def service_event_not_found(event_id: str) -> NotFound:
    """No such service event, or not the caller's."""
    return NotFound(f"No service event {event_id}.", code="evaluation.service_event_not_found")


def case_not_found(case_id: str) -> NotFound:
    """No such case, or another unit's."""
    return NotFound(f"No bad-review case {case_id}.", code="evaluation.case_not_found")


def not_the_person_served() -> Forbidden:
    """The caller is not the person served and gave no rating code."""
    return Forbidden(
        "Only the person served may rate this service: log in as that person, or give the "
        "one-time rating code (评价码) issued with the service.",
        code="evaluation.not_the_person_served",
    )


def rating_code_invalid() -> Forbidden:
    """Unknown, used or foreign rating code."""
    return Forbidden(
        "The rating code is not valid for this service or has already been used.",
        code="evaluation.rating_code_invalid",
    )


def already_rated(event_id: str) -> Conflict:
    """A second rating of one service event."""
    return Conflict(
        f"Service event {event_id} has already been rated; each service is rated once (一事一评).",
        code="evaluation.already_rated",
    )


def rating_window_closed(event_id: str, until: str) -> Conflict:
    """The rating period is over."""
    return Conflict(
        f"The rating period for service event {event_id} ended at {until}.",
        code="evaluation.rating_window_closed",
        rateable_until=until,
    )


def invalid_step(case_id: str, status: str, step: str) -> Conflict:
    """A case step not allowed from the current status."""
    return Conflict(
        f"Bad-review case {case_id} is {status}; '{step}' is not possible now.",
        code="evaluation.invalid_step",
        status_now=status,
    )


def callback_required(case_id: str) -> Conflict:
    """Real-name bad reviews must all be called back (100% 回访)."""
    return Conflict(
        f"Case {case_id} is a real-name bad review: call the rater back (call-back) first.",
        code="evaluation.callback_required",
    )


def unknown_indicator(name: str, known: list[str]) -> UnprocessableEntity:
    """No such indicator or dimension."""
    return UnprocessableEntity(
        f"Unknown {name!r}; use one of: {', '.join(known)}.", code="evaluation.unknown_indicator"
    )
