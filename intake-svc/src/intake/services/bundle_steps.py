"""Which steps of a 一件事 case belong to its bundle application: receiving, the one-time notice,
corrections, acceptance, hand-over and delivery are taken once for the whole bundle, never case
by case (one notice, one acceptance number, one delivery). The bundle's service takes them on its
cases inside `acting_for_bundle()`; anywhere else they are refused with a pointer to the bundle."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from .. import errors
from ..models.applications import Application

#: The case steps a bundle application takes for all of its cases at once.
BUNDLE_ACTIONS = frozenset(
    {"issue_notice", "resubmit", "accept", "accept_on_the_spot", "hand_over", "deliver"}
)
#: The SMS a bundle sends once for all of its cases (its cases' own are not sent).
BUNDLE_MESSAGES = frozenset({"notice_issued", "accepted", "completed", "delivered"})

# A context variable, not a parameter: the case steps are called by routes, the scan and the bundle
# service alike, and only the bundle service's calls may take these steps on a bundle's case.
_ACTING_FOR_BUNDLE: ContextVar[bool] = ContextVar("intake_acting_for_bundle", default=False)


@contextmanager
def acting_for_bundle() -> Iterator[None]:
    """Within: the bundle application takes the steps of its cases."""
    token = _ACTING_FOR_BUNDLE.set(True)
    try:
        yield
    finally:
        _ACTING_FOR_BUNDLE.reset(token)


def refuse_outside_bundle(application: Application, action: str) -> None:
    """409 when `action` on a bundle's case is asked for outside its bundle application."""
    if (
        application.bundle_application_id is not None
        and action in BUNDLE_ACTIONS
        and not _ACTING_FOR_BUNDLE.get()
    ):
        raise errors.bundle_step_only(action, application.bundle_application_id)


def sent_by_bundle(application: Application, kind: str) -> bool:
    """Whether the bundle application sends this SMS instead of its case."""
    return application.bundle_application_id is not None and kind in BUNDLE_MESSAGES
