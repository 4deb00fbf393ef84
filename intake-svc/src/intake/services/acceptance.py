"""From receipt to acceptance: the one-time notice (一次性告知, once: a later notice may only
concern what the applicant changed since), acceptance (受理) with a numbered notice and the
promised date, refusal to accept (不予受理) with its notice, 即办件 completed on the spot, 容缺受理
with its correction deadline, and hand-over to the deciding unit (接件转交)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import local_date

from .. import errors, events
from ..config import Settings
from ..lifecycles import ApplicationAction
from ..models.applications import Application, DecisionStep, Notice
from ..repositories.applications import ApplicationRepository
from ..schemas import ApplicationAccept, ApplicationRefuseAcceptance, DeficiencyCorrection, NoticeIssue
from . import commitments, deadlines, documents, fees, permissions, trace
from .acceptance_checks import ACCEPTING_ROLES, check_acceptance
from .access import actor_id
from .bundle_steps import refuse_outside_bundle
from .cases import (
    advance,
    allowed_target,
    current_problems,
    decided_at_once,
    materials_after_round,
    version_of,
)
from .documents import correction_notices
from .facts import notify, publish, publish_closed
from .read_models import working_calendar
from .submission import record_materials

__all__ = [
    "ACCEPTING_ROLES",
    "accept",
    "decide_by_rules",
    "dispatch_stage",
    "issue_notice",
    "refuse_acceptance",
]


async def _only_once(session: AsyncSession, application: Application, problems: list[dict[str, Any]]) -> None:
    """一次性告知 means once: a later notice may only concern materials the first already raised or
    the applicant changed since (handed in again, or newly needed by a condition they declared)."""
    earlier = await correction_notices(session, application)
    if not earlier:
        return
    first = earlier[0]
    raised = {str(p.get("material")) for n in earlier for p in n.content.get("problems", [])}
    first_round = int(first.content.get("round", 0))
    changed = await materials_after_round(session, application, first_round)
    changed |= set(application.conditions) - set(first.content.get("conditions", application.conditions))
    never = sorted({str(p["material"]) for p in problems} - raised - changed)
    if not never:
        return
    raise errors.notice_already_issued(first.number, local_date(first.issued_at), never)


async def issue_notice(
    session: AsyncSession,
    application: Application,
    body: NoticeIssue,
    actor: Principal,
    *,
    now: datetime,
    settings: Settings,
) -> Notice:
    """Issue the one-time notice listing every problem at once, within the legal window."""
    refuse_outside_bundle(application, "issue_notice")
    basis = await check_acceptance(session, application, permissions.ISSUE_NOTICE, actor, now=now)
    allowed_target(application, "issue_notice")
    today = local_date(now)
    if today > application.notice_due_on:
        raise errors.notice_window_passed(application.notice_due_on)
    problems = [p.as_dict() for p in await current_problems(session, application)]
    problems += [
        {"material": p.material, "problem": "format", "message": p.message} for p in body.extra_problems
    ]
    if not problems:
        raise errors.NothingToCorrect(
            "申请材料齐全，也没有填写需要补正的问题，无需出具一次性告知书，请直接受理。",
            en="The materials are complete and no problem was given: accept the application instead "
            "of issuing a notice.",
        )
    await _only_once(session, application, problems)
    advance(application, "issue_notice", now=now)
    calendar = await working_calendar(session)
    correct_by = calendar.add_working_days(now, settings.correction_period_working_days)
    application.correction_deadline = correct_by
    deadlines.flag_provisional(calendar, application, today)
    notice = await documents.issue(
        session,
        application,
        "correction",
        {
            "problems": problems,
            "correct_by": correct_by.isoformat(),
            # What the notice was issued against, so a later notice can tell what changed since.
            "round": application.resubmissions,
            "conditions": list(application.conditions),
        },
        actor,
        now=now,
        unit_code=basis.unit_code,
        entrustment_id=basis.entrustment_id,
    )
    trace.append(
        session,
        application,
        action="notice_issued",
        actor=actor.subject,
        at=now,
        data={"notice_no": notice.number, "problems": problems},
    )
    await publish(
        session,
        application,
        events.ApplicationNoticeIssued,
        actor,
        notice_no=notice.number,
        issued_at=now,
        problem_count=len(problems),
        working_days_since_receipt=max(0, calendar.working_days_between(application.received_at, now)),
    )
    await notify(
        session, application, "notice_issued", missing_count=len(problems), deadline=correct_by.isoformat()
    )
    return notice


async def accept(
    session: AsyncSession,
    application: Application,
    body: ApplicationAccept,
    actor: Principal,
    *,
    now: datetime,
    settings: Settings,
) -> Application:
    """Accept (受理); 即办件 are completed at once; 容缺受理 records what is still owed."""
    refuse_outside_bundle(application, "accept")
    basis = await check_acceptance(session, application, permissions.ACCEPT, actor, now=now)
    allowed_target(application, "accept")
    version = await version_of(session, application)
    accepting_unit, entrustment_id = basis.unit_code, basis.entrustment_id
    problems = [p.as_dict() for p in await current_problems(session, application)]
    on_the_spot = decided_at_once(application)
    if problems and not body.with_deficiencies:
        raise errors.materials_incomplete(problems, deficiency_allowed=application.deficiency_allowed)
    if problems and (not application.deficiency_allowed or on_the_spot):
        raise errors.deficiency_not_allowed(application.item_code)
    calendar = await working_calendar(session)
    deadline = None
    if problems:
        deadline = body.correction_deadline or calendar.add_working_days(
            now, settings.deficiency_correction_working_days
        )
        if deadline <= local_date(now):
            raise errors.DeficiencyDeadline(
                "容缺材料补齐期限（correction_deadline）应晚于今天。",
                en="correction_deadline must be after today.",
                field="correction_deadline",
            )
    application.deficiencies = problems
    application.deficiency_deadline = deadline
    await _accept(session, application, accepting_unit, entrustment_id, actor, deemed=False, now=now)
    if on_the_spot:
        await _complete_on_the_spot(session, application, body, version.elements, actor, now=now)
        return application
    await publish(
        session,
        application,
        events.ApplicationAccepted,
        actor,
        acceptance_no=application.acceptance_no,
        deemed=False,
        with_deficiencies=bool(problems),
        deficiency_deadline=deadline,
        on_the_spot=False,
    )
    await notify(
        session,
        application,
        "accepted",
        acceptance_no=application.acceptance_no,
        promised_date=application.due_on.isoformat() if application.due_on else "",
    )
    return application


async def _accept(
    session: AsyncSession,
    application: Application,
    unit: str | None,
    entrustment_id: str | None,
    actor: Principal | None,
    *,
    deemed: bool,
    now: datetime,
    at_once: bool = False,
) -> None:
    calendar = await working_calendar(session)
    on_the_spot = (at_once or decided_at_once(application)) and not deemed
    action: ApplicationAction = "accept_on_the_spot" if on_the_spot else "accept"
    advance(application, action, now=now)
    application.accepted_at = application.received_at if deemed else now
    application.accepted_by = actor_id(actor)
    application.accepting_unit_code = unit
    application.entrustment_id = entrustment_id
    application.deemed_accepted = deemed
    limit = deadlines.effective_limit(application.legal_limit_days, application.promised_limit_days)
    application.due_on = deadlines.due_on(
        calendar, application.accepted_at, limit_days=limit, unit=application.limit_unit
    )
    deadlines.flag_provisional(calendar, application, local_date(now))
    owner = await documents.authority(session, application.owner_unit_code)
    notice = await documents.issue(
        session,
        application,
        "acceptance",
        {
            "accepted_on": local_date(application.accepted_at).isoformat(),
            "due_on": application.due_on.isoformat(),
            "limit_days": limit,
            "limit_unit": application.limit_unit,
            "owner_unit_code": application.owner_unit_code,
            "owner_unit_name": owner["name"],
            "deemed": deemed,
            "deficiencies": application.deficiencies,
            "deficiency_deadline": application.deficiency_deadline.isoformat()
            if application.deficiency_deadline
            else None,
            "provisional": application.provisional_deadline,
        },
        actor,
        now=now,
        unit_code=unit,
        entrustment_id=entrustment_id,
    )
    application.acceptance_no = notice.number
    trace.append(
        session,
        application,
        action="accepted",
        actor=actor_id(actor),
        at=now,
        data={
            "acceptance_no": notice.number,
            "due_on": application.due_on.isoformat(),
            "deemed": deemed,
            "accepting_unit": unit,
            "entrustment_id": entrustment_id,
        },
    )


async def _complete_on_the_spot(
    session: AsyncSession,
    application: Application,
    body: ApplicationAccept,
    elements: dict[str, Any],
    actor: Principal,
    *,
    now: datetime,
) -> None:
    result_name = body.result_name or (elements.get("result") or {}).get("name") or application.item_name
    on_commitment = application.commitment is not None
    opinion = "告知承诺制，申请人已签署告知承诺书，当场作出准予决定" if on_commitment else "即办件，当场办结"
    reasons = (
        "申请人已签署告知承诺书，承诺符合法定条件、标准，依照告知承诺制当场作出准予决定；"
        f"本机关将在{application.commitment['post_check_days']}个工作日内核查，承诺不实的依法撤销本决定。"
        if application.commitment is not None
        else "即办件，申请材料齐全、符合法定形式，当场办结。"
    )
    await _decided_at_once(
        session,
        application,
        result=(result_name, body.result_number),
        opinion=opinion,
        reasons=reasons,
        actor=actor,
        data={"on_commitment": on_commitment},
        now=now,
    )
    if on_commitment:
        await commitments.schedule(session, application, now=now)


async def _decided_at_once(
    session: AsyncSession,
    application: Application,
    *,
    result: tuple[str, str | None],
    opinion: str,
    reasons: str,
    actor: Principal | None,
    data: dict[str, Any],
    now: datetime,
) -> None:
    """Accepted, decided (approved) and completed in one step: its steps, the decision document,
    the trace, the fees it owes and its events (`actor` None: the system decided)."""
    by = actor_id(actor)
    cases = ApplicationRepository(session)
    for kind in ("accept", "decide", "complete"):
        cases.add_child(
            application,
            "steps",
            DecisionStep(
                application_id=application.id,
                kind=kind,
                actor=by,
                actor_unit_code=application.accepting_unit_code,
                opinion=opinion,
                started_at=now,
                ended_at=now,
            ),
        )
    result_name, result_number = result
    application.decision = "approved"
    application.decided_at = application.completed_at = now
    application.decided_by = application.completed_by = by
    application.result = {"name": result_name, "number": result_number, "valid_until": None}
    decision = await documents.issue(
        session,
        application,
        "approval",
        {"reasons": reasons, "result": application.result},
        actor,
        now=now,
        unit_code=application.owner_unit_code,
    )
    application.decision_no = decision.number
    trace.append(
        session,
        application,
        action="completed",
        actor=by,
        at=now,
        data={"on_the_spot": True, **data, "result": application.result},
    )
    fees.charge(session, application, await version_of(session, application), now=now)
    await _announce_on_the_spot(session, application, result_name, actor, now=now)


async def decide_by_rules(
    session: AsyncSession,
    application: Application,
    version: int,
    checked: list[dict[str, Any]],
    *,
    now: datetime,
) -> None:
    """秒批: every rule of the item held on verified data, so the system accepts and approves the
    case on submission, with a decision naming the rules' version."""
    await _accept(
        session, application, application.owner_unit_code, None, None, deemed=False, now=now, at_once=True
    )
    held = "；".join(str(c["text"]) for c in checked)
    entry = await version_of(session, application)
    await _decided_at_once(
        session,
        application,
        result=(str((entry.elements.get("result") or {}).get("name") or application.item_name), None),
        opinion=f"秒批：核验数据符合自动审批规则第{version}版的全部条件，系统自动作出准予决定",
        reasons=f"经数据核验，申请人符合本事项自动审批规则（第{version}版）的全部条件：{held}。"
        "依照该规则自动作出准予决定，无人工干预。",
        actor=None,
        data={"auto_approval": {"version": version, "rules": checked}},
        now=now,
    )


async def _announce_on_the_spot(
    session: AsyncSession,
    application: Application,
    result_name: str,
    actor: Principal | None,
    *,
    now: datetime,
) -> None:
    """A 即办件 was accepted, decided and completed at once: its three events and the SMS."""
    common = {"decision": "approved"}
    await publish(
        session,
        application,
        events.ApplicationAccepted,
        actor,
        acceptance_no=application.acceptance_no,
        deemed=False,
        with_deficiencies=False,
        deficiency_deadline=None,
        on_the_spot=True,
    )
    await publish(
        session,
        application,
        events.ApplicationDecided,
        actor,
        decided_at=now,
        reasons=None,
        working_days_used=0,
        paused_working_days=0,
        extension_days=0,
        **common,
    )
    await publish(
        session,
        application,
        events.ApplicationCompleted,
        actor,
        completed_at=now,
        result_name=result_name,
        result_number=application.result.get("number") if application.result else None,
        working_days_used=0,
        on_time=True,
        **common,
    )
    await notify(session, application, "completed", result_name=result_name, delivery_hint="请到窗口领取。")


async def refuse_acceptance(
    session: AsyncSession,
    application: Application,
    body: ApplicationRefuseAcceptance,
    actor: Principal,
    *,
    now: datetime,
) -> Notice:
    """Refuse to accept (不予受理) with reasons and a printable 不予受理通知书; the case closes."""
    basis = await check_acceptance(session, application, permissions.REFUSE_ACCEPTANCE, actor, now=now)
    advance(application, "refuse_acceptance", now=now)
    application.closed_reason = f"不予受理：{body.reasons}"
    application.closed_at = now
    application.correction_deadline = None
    notice = await documents.issue(
        session,
        application,
        "non_acceptance",
        {
            "reasons": body.reasons,
            "cited_basis": body.legal_basis,
            "competent_authority": body.competent_authority,
        },
        actor,
        now=now,
        unit_code=basis.unit_code,
        entrustment_id=basis.entrustment_id,
    )
    trace.append(
        session,
        application,
        action="not_accepted",
        actor=actor.subject,
        at=now,
        data={
            "notice_no": notice.number,
            "reasons": body.reasons,
            "legal_basis": body.legal_basis,
            "unit": basis.unit_code,
        },
    )
    await publish_closed(session, application, "not_accepted", actor, notice_no=notice.number, now=now)
    await notify(session, application, "not_accepted", document="不予受理通知书", document_no=notice.number)
    return notice


async def deem_accepted(
    session: AsyncSession, application: Application, actor: Principal | None, *, now: datetime
) -> None:
    """No notice within the legal window: the application counts as accepted from receipt."""
    unit = application.intake_unit_code or application.owner_unit_code
    await _accept(session, application, unit, None, actor, deemed=True, now=now)
    await publish(
        session,
        application,
        events.ApplicationAccepted,
        actor,
        acceptance_no=application.acceptance_no,
        deemed=True,
        with_deficiencies=False,
        deficiency_deadline=None,
        on_the_spot=False,
    )
    await notify(
        session,
        application,
        "accepted",
        acceptance_no=application.acceptance_no,
        promised_date=application.due_on.isoformat() if application.due_on else "",
    )


async def hand_over(
    session: AsyncSession, application: Application, actor: Principal, *, now: datetime
) -> Application:
    """Hand the accepted case to the deciding unit (接件转交)."""
    await permissions.authorise(session, application, "hand_over", actor, now=now)
    advance(application, "hand_over", now=now)
    application.handed_over_at = now
    trace.append(
        session,
        application,
        action="handed_over",
        actor=actor.subject,
        at=now,
        data={"to_unit": application.owner_unit_code},
    )
    return application


async def dispatch_stage(
    session: AsyncSession, application: Application, stage: int, *, now: datetime
) -> None:
    """Hand a 一件事 case to its deciding unit now that its stage has begun (the system acts: the
    cases of the stage before it were all approved). Its time limit runs from now: the working
    days it waited for the earlier stage are off its clock, as a special procedure's are."""
    advance(application, "hand_over", now=now)
    application.handed_over_at = now
    calendar = await working_calendar(session)
    waited = 0
    if application.accepted_at is not None:
        waited = max(0, calendar.working_days_between(application.accepted_at, now))
        application.paused_working_days += waited
        application.due_on = deadlines.due_on(
            calendar,
            application.accepted_at,
            limit_days=deadlines.effective_limit(
                application.legal_limit_days, application.promised_limit_days
            ),
            unit=application.limit_unit,
            extension_days=application.extension_days,
            paused_working_days=application.paused_working_days,
        )
        deadlines.flag_provisional(calendar, application, local_date(now))
    trace.append(
        session,
        application,
        action="handed_over",
        actor=actor_id(None),
        at=now,
        data={
            "to_unit": application.owner_unit_code,
            "bundle_stage": stage,
            "waited_working_days": waited,
            "due_on": application.due_on.isoformat() if application.due_on else None,
        },
    )


async def correct_deficiencies(
    session: AsyncSession,
    application: Application,
    body: DeficiencyCorrection,
    actor: Principal,
    *,
    now: datetime,
) -> Application:
    """Hand in the materials owed under 容缺受理; the deadline is lifted once nothing is owed."""
    await permissions.authorise(session, application, "correct_deficiencies", actor, now=now)
    if not application.deficiencies:
        raise errors.NoDeficiencies(
            "该申请没有待补齐的容缺材料（未按容缺受理，或材料已经补齐），无需再提交。",
            en="This case owes no materials (it was not accepted with deficiencies, or they were "
            "already handed in).",
        )
    advance(application, "correct_deficiencies", now=now)
    round_no = application.resubmissions + 1
    application.resubmissions = round_no
    await record_materials(session, application, body.materials, round_no, actor, now=now)
    remaining = [p.as_dict() for p in await current_problems(session, application)]
    application.deficiencies = remaining
    if not remaining:
        application.deficiency_deadline = None
    trace.append(
        session,
        application,
        action="deficiencies_corrected",
        actor=actor.subject,
        at=now,
        data={"materials": [m.name for m in body.materials], "remaining": len(remaining)},
    )
    return application


async def revoke_acceptance(
    session: AsyncSession, application: Application, actor: Principal | None, *, now: datetime
) -> None:
    """The 容缺 correction deadline passed: acceptance is revoked with reasons."""
    owed = "、".join(str(p.get("material")) for p in application.deficiencies)
    deadline = application.deficiency_deadline
    reason = f"容缺受理的补正期限{deadline.isoformat() if deadline else ''}已过，以下材料仍未补齐：{owed}"
    advance(application, "revoke_acceptance", now=now)
    application.closed_reason = reason
    application.closed_at = now
    notice = await documents.issue(
        session,
        application,
        "revocation",
        {"reason": reason, "owed": application.deficiencies},
        actor,
        now=now,
        unit_code=application.accepting_unit_code or application.owner_unit_code,
        entrustment_id=application.entrustment_id,
    )
    trace.append(
        session,
        application,
        action="acceptance_revoked",
        actor=actor_id(actor),
        at=now,
        data={"reason": reason, "notice_no": notice.number},
    )
    await publish_closed(session, application, "acceptance_revoked", actor, notice_no=notice.number, now=now)
    await notify(session, application, "acceptance_revoked", reason=reason)
