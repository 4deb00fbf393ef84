"""Who may take which action on a case: one rule per action, used both to refuse an action (403)
and to list what a caller is offered (`allowed_actions`), so a list never offers what the action
would refuse — a citizen is never offered accept, a clerk of another unit nothing it cannot do.

The state machine says what a state allows; these rules say who. Actions only the system takes
(the scan's revocation and expiry) are never offered to a person.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import local_date
from yiwang_shared.errors import ProblemError

from .. import errors
from ..lifecycles import SYSTEM_ACTIONS, ApplicationAction, allowed_actions
from ..models.applications import Application
from . import access, stations
from .acceptance_checks import ACCEPTING_ROLES, check_acceptance
from .bundle_steps import refuse_outside_bundle
from .cases import decided_at_once

ISSUE_NOTICE = errors.Deed("出具一次性告知书", "issue a one-time notice")
ACCEPT = errors.Deed("受理申请", "accept an application")
REFUSE_ACCEPTANCE = errors.Deed("作出不予受理决定", "refuse to accept an application")
HAND_OVER = errors.Deed("接件转交", "hand a case over")
CORRECT = errors.Deed("代为补正材料", "hand in materials for the applicant")
WITHDRAW = errors.Deed("撤回申请", "withdraw an application")
DELIVER = errors.Deed("送达办理结果", "deliver a result")
DECIDING_DEEDS: dict[str, errors.Deed] = {
    "record_step": errors.Deed("记录审查环节", "record a decision step"),
    "pause": errors.Deed("启动特别程序", "start a special procedure"),
    "resume": errors.Deed("结束特别程序", "end a special procedure"),
    "extend": errors.Deed("延长办理期限", "extend the time limit"),
    "approve": errors.Deed("作出审批决定", "decide"),
    "refuse": errors.Deed("作出审批决定", "decide"),
    "complete": errors.Deed("办结", "complete the case"),
}
DELIVERING_ROLES = ("window_clerk", "approver", "handler", "admin")


ACCEPTANCE_ACTIONS = ("issue_notice", "accept", "accept_on_the_spot", "refuse_acceptance")


def _applicant_or(
    application: Application, deed: errors.Deed, roles: tuple[str, ...], actor: Principal
) -> None:
    if not access.is_applicant_side(actor, application):
        access.require_role(actor, deed, roles)


async def authorise(
    session: AsyncSession,
    application: Application,
    action: ApplicationAction,
    actor: Principal,
    *,
    now: datetime,
) -> None:
    """403 unless the caller may take `action` on `application` (the state is checked by the action);
    409 for a step a 一件事 case takes only with its bundle."""
    refuse_outside_bundle(application, action)
    if action in SYSTEM_ACTIONS:
        raise errors.system_only(action)
    if action == "issue_notice":
        await check_acceptance(session, application, ISSUE_NOTICE, actor, now=now)
    elif action in ("accept", "accept_on_the_spot"):
        await check_acceptance(session, application, ACCEPT, actor, now=now)
    elif action == "refuse_acceptance":
        await check_acceptance(session, application, REFUSE_ACCEPTANCE, actor, now=now)
    elif action == "prereview":
        await stations.check_prereview(session, application, actor, now=now)
    elif action == "hand_over":
        access.require_role(actor, HAND_OVER, ACCEPTING_ROLES)
    elif action in ("resubmit", "correct_deficiencies"):
        _applicant_or(application, CORRECT, access.HELPER_ROLES, actor)
    elif action == "withdraw":
        _applicant_or(application, WITHDRAW, access.INTAKE_ROLES, actor)
    elif action == "deliver":
        access.require_role(actor, DELIVER, DELIVERING_ROLES)
    else:
        await access.require_deciding_unit(session, actor, application, DECIDING_DEEDS[action])


def _applies(application: Application, action: str, *, now: datetime) -> bool:
    """Actions the state allows that make no sense for this case right now."""
    if action == "accept":
        return not decided_at_once(application)  # a 即办件 or a commitment is decided on the spot
    if action == "accept_on_the_spot":
        return decided_at_once(application)
    if action == "issue_notice":
        return local_date(now) <= application.notice_due_on
    if action == "correct_deficiencies":
        return bool(application.deficiencies)
    if action == "prereview":
        return application.forwarded_to_unit_code is None
    return True


async def offered_actions(
    session: AsyncSession, application: Application, actor: Principal, *, now: datetime
) -> list[ApplicationAction]:
    """The actions the caller may take on `application` now."""
    offered: list[ApplicationAction] = []
    checked: dict[str, bool] = {}
    for action in allowed_actions(application.status):
        if action in SYSTEM_ACTIONS or not _applies(application, action, now=now):
            continue
        # The acceptance decision's actions share one (database-reading) check.
        key = "acceptance" if action in ACCEPTANCE_ACTIONS else action
        if key not in checked:
            try:
                await authorise(session, application, action, actor, now=now)
                checked[key] = True
            except ProblemError:
                checked[key] = False
        if checked[key]:
            offered.append(action)
    return offered
