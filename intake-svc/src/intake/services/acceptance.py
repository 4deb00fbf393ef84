"""From receipt to acceptance: the one-time notice (一次性告知, once: a later notice may only
concern what the applicant changed since), acceptance (受理) with a numbered notice and the
promised date, refusal to accept (不予受理) with its notice, 即办件 completed on the spot, 容缺受理
with its correction deadline, and hand-over to the deciding unit (接件转交)."""

from __future__ import annotations

from typing import Any

from yiwang_shared.calendar import local_date

from .. import errors, events
from ..lifecycles import ApplicationAction
from ..models.applications import Application, DecisionStep, Notice
from ..repositories.handling import HandlingRepository
from ..repositories.materials import MaterialRepository
from ..schemas import ApplicationAccept, ApplicationRefuseAcceptance, DeficiencyCorrection, NoticeIssue
from . import deadlines, documents, permissions, trace
from .acceptance_checks import ACCEPTING_ROLES, check_acceptance
from .cases import advance, allowed_target, current_problems, version_of
from .context import ActorCtx, Ctx
from .documents import correction_notices
from .facts import notify, publish, publish_closed
from .submission import record_materials

__all__ = ["ACCEPTING_ROLES", "accept", "issue_notice", "refuse_acceptance"]


async def _only_once(ctx: ActorCtx, application: Application, problems: list[dict[str, Any]]) -> None:
    """一次性告知 means once: a later notice may only concern materials the first already raised or
    the applicant changed since (handed in again, or newly needed by a condition they declared)."""
    earlier = await correction_notices(ctx.session, application)
    if not earlier:
        return
    first = earlier[0]
    raised = {str(p.get("material")) for n in earlier for p in n.content.get("problems", [])}
    first_round = int(first.content.get("round", 0))
    changed = await MaterialRepository(ctx.session).names_after_round(application.id, first_round)
    changed |= set(application.conditions) - set(first.content.get("conditions", application.conditions))
    never = sorted({str(p["material"]) for p in problems} - raised - changed)
    if not never:
        return
    raise errors.notice_already_issued(first.number, local_date(first.issued_at), never)


async def issue_notice(ctx: ActorCtx, application: Application, body: NoticeIssue) -> Notice:
    """Issue the one-time notice listing every problem at once, within the legal window."""
    basis = await check_acceptance(ctx, application, permissions.ISSUE_NOTICE)
    allowed_target(application, "issue_notice")
    if ctx.today > application.notice_due_on:
        raise errors.notice_window_passed(application.notice_due_on)
    problems = [p.as_dict() for p in await current_problems(ctx.session, application)]
    problems += [
        {"material": p.material, "problem": "format", "message": p.message} for p in body.extra_problems
    ]
    if not problems:
        raise errors.NothingToCorrect(
            "申请材料齐全，也没有填写需要补正的问题，无需出具一次性告知书，请直接受理。",
            en="The materials are complete and no problem was given: accept the application instead "
            "of issuing a notice.",
        )
    await _only_once(ctx, application, problems)
    advance(ctx, application, "issue_notice")
    calendar = await ctx.calendar()
    correct_by = calendar.add_working_days(ctx.now, ctx.settings.correction_period_working_days)
    application.correction_deadline = correct_by
    deadlines.flag_provisional(calendar, application, ctx.today)
    notice = await documents.issue(
        ctx,
        application,
        "correction",
        {
            "problems": problems,
            "correct_by": correct_by.isoformat(),
            # What the notice was issued against, so a later notice can tell what changed since.
            "round": application.resubmissions,
            "conditions": list(application.conditions),
        },
        unit_code=basis.unit_code,
        entrustment_id=basis.entrustment_id,
    )
    await trace.append(
        ctx.session,
        application.id,
        action="notice_issued",
        actor=ctx.actor_id,
        at=ctx.now,
        data={"notice_no": notice.number, "problems": problems},
    )
    await publish(
        ctx,
        events.ApplicationNoticeIssued,
        application,
        notice_no=notice.number,
        issued_at=ctx.now,
        problem_count=len(problems),
        working_days_since_receipt=max(0, calendar.working_days_between(application.received_at, ctx.now)),
    )
    await notify(
        ctx, application, "notice_issued", missing_count=len(problems), deadline=correct_by.isoformat()
    )
    return notice


async def accept(ctx: ActorCtx, application: Application, body: ApplicationAccept) -> Application:
    """Accept (受理); 即办件 are completed at once; 容缺受理 records what is still owed."""
    basis = await check_acceptance(ctx, application, permissions.ACCEPT)
    allowed_target(application, "accept")
    version = await version_of(ctx.session, application)
    accepting_unit, entrustment_id = basis.unit_code, basis.entrustment_id
    problems = [p.as_dict() for p in await current_problems(ctx.session, application)]
    on_the_spot = application.handling_type == "1"
    if problems and not body.with_deficiencies:
        raise errors.materials_incomplete(problems, deficiency_allowed=application.deficiency_allowed)
    if problems and (not application.deficiency_allowed or on_the_spot):
        raise errors.deficiency_not_allowed(application.item_code)
    calendar = await ctx.calendar()
    deadline = None
    if problems:
        deadline = body.correction_deadline or calendar.add_working_days(
            ctx.now, ctx.settings.deficiency_correction_working_days
        )
        if deadline <= ctx.today:
            raise errors.DeficiencyDeadline(
                "容缺材料补齐期限（correction_deadline）应晚于今天。",
                en="correction_deadline must be after today.",
                field="correction_deadline",
            )
    application.deficiencies = problems
    application.deficiency_deadline = deadline
    await _accept(ctx, application, accepting_unit, entrustment_id, deemed=False)
    if on_the_spot:
        await _complete_on_the_spot(ctx, application, body, version.elements)
        return application
    await publish(
        ctx,
        events.ApplicationAccepted,
        application,
        acceptance_no=application.acceptance_no,
        deemed=False,
        with_deficiencies=bool(problems),
        deficiency_deadline=deadline,
        on_the_spot=False,
    )
    await notify(
        ctx,
        application,
        "accepted",
        acceptance_no=application.acceptance_no,
        promised_date=application.due_on.isoformat() if application.due_on else "",
    )
    return application


async def _accept(
    ctx: Ctx, application: Application, unit: str | None, entrustment_id: str | None, *, deemed: bool
) -> None:
    calendar = await ctx.calendar()
    action: ApplicationAction = (
        "accept_on_the_spot" if application.handling_type == "1" and not deemed else "accept"
    )
    advance(ctx, application, action)
    application.accepted_at = application.received_at if deemed else ctx.now
    application.accepted_by = ctx.actor_id
    application.accepting_unit_code = unit
    application.entrustment_id = entrustment_id
    application.deemed_accepted = deemed
    limit = deadlines.effective_limit(application.legal_limit_days, application.promised_limit_days)
    application.due_on = deadlines.due_on(
        calendar, application.accepted_at, limit_days=limit, unit=application.limit_unit
    )
    deadlines.flag_provisional(calendar, application, ctx.today)
    owner = await documents.authority(ctx.session, application.owner_unit_code)
    notice = await documents.issue(
        ctx,
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
        unit_code=unit,
        entrustment_id=entrustment_id,
    )
    application.acceptance_no = notice.number
    await trace.append(
        ctx.session,
        application.id,
        action="accepted",
        actor=ctx.actor_id,
        at=ctx.now,
        data={
            "acceptance_no": notice.number,
            "due_on": application.due_on.isoformat(),
            "deemed": deemed,
            "accepting_unit": unit,
            "entrustment_id": entrustment_id,
        },
    )


async def _complete_on_the_spot(
    ctx: ActorCtx, application: Application, body: ApplicationAccept, elements: dict[str, Any]
) -> None:
    result_name = body.result_name or (elements.get("result") or {}).get("name") or application.item_name
    steps = HandlingRepository(ctx.session)
    for kind in ("accept", "decide", "complete"):
        steps.add(
            DecisionStep(
                application_id=application.id,
                kind=kind,
                actor=ctx.actor_id,
                actor_unit_code=application.accepting_unit_code,
                opinion="即办件，当场办结",
                started_at=ctx.now,
                ended_at=ctx.now,
            )
        )
    application.decision = "approved"
    application.decided_at = application.completed_at = ctx.now
    application.decided_by = application.completed_by = ctx.actor_id
    application.result = {"name": result_name, "number": body.result_number, "valid_until": None}
    decision = await documents.issue(
        ctx,
        application,
        "approval",
        {"reasons": "即办件，申请材料齐全、符合法定形式，当场办结。", "result": application.result},
        unit_code=application.owner_unit_code,
    )
    application.decision_no = decision.number
    await trace.append(
        ctx.session,
        application.id,
        action="completed",
        actor=ctx.actor_id,
        at=ctx.now,
        data={"on_the_spot": True, "result": application.result},
    )
    common = {"decision": "approved"}
    await publish(
        ctx,
        events.ApplicationAccepted,
        application,
        acceptance_no=application.acceptance_no,
        deemed=False,
        with_deficiencies=False,
        deficiency_deadline=None,
        on_the_spot=True,
    )
    await publish(
        ctx,
        events.ApplicationDecided,
        application,
        decided_at=ctx.now,
        reasons=None,
        working_days_used=0,
        paused_working_days=0,
        extension_days=0,
        **common,
    )
    await publish(
        ctx,
        events.ApplicationCompleted,
        application,
        completed_at=ctx.now,
        result_name=result_name,
        working_days_used=0,
        on_time=True,
        **common,
    )
    await notify(ctx, application, "completed", result_name=result_name, delivery_hint="请到窗口领取。")


async def refuse_acceptance(
    ctx: ActorCtx, application: Application, body: ApplicationRefuseAcceptance
) -> Notice:
    """Refuse to accept (不予受理) with reasons and a printable 不予受理通知书; the case closes."""
    basis = await check_acceptance(ctx, application, permissions.REFUSE_ACCEPTANCE)
    advance(ctx, application, "refuse_acceptance")
    application.closed_reason = f"不予受理：{body.reasons}"
    application.closed_at = ctx.now
    application.correction_deadline = None
    notice = await documents.issue(
        ctx,
        application,
        "non_acceptance",
        {
            "reasons": body.reasons,
            "cited_basis": body.legal_basis,
            "competent_authority": body.competent_authority,
        },
        unit_code=basis.unit_code,
        entrustment_id=basis.entrustment_id,
    )
    await trace.append(
        ctx.session,
        application.id,
        action="not_accepted",
        actor=ctx.actor_id,
        at=ctx.now,
        data={
            "notice_no": notice.number,
            "reasons": body.reasons,
            "legal_basis": body.legal_basis,
            "unit": basis.unit_code,
        },
    )
    await publish_closed(ctx, application, "not_accepted", notice_no=notice.number)
    await notify(ctx, application, "not_accepted", document="不予受理通知书", document_no=notice.number)
    return notice


async def deem_accepted(ctx: Ctx, application: Application) -> None:
    """No notice within the legal window: the application counts as accepted from receipt."""
    await _accept(
        ctx, application, application.intake_unit_code or application.owner_unit_code, None, deemed=True
    )
    await publish(
        ctx,
        events.ApplicationAccepted,
        application,
        acceptance_no=application.acceptance_no,
        deemed=True,
        with_deficiencies=False,
        deficiency_deadline=None,
        on_the_spot=False,
    )
    await notify(
        ctx,
        application,
        "accepted",
        acceptance_no=application.acceptance_no,
        promised_date=application.due_on.isoformat() if application.due_on else "",
    )


async def hand_over(ctx: ActorCtx, application: Application) -> Application:
    """Hand the accepted case to the deciding unit (接件转交)."""
    await permissions.authorise(ctx, application, "hand_over")
    advance(ctx, application, "hand_over")
    application.handed_over_at = ctx.now
    await trace.append(
        ctx.session,
        application.id,
        action="handed_over",
        actor=ctx.actor_id,
        at=ctx.now,
        data={"to_unit": application.owner_unit_code},
    )
    return application


async def correct_deficiencies(
    ctx: ActorCtx, application: Application, body: DeficiencyCorrection
) -> Application:
    """Hand in the materials owed under 容缺受理; the deadline is lifted once nothing is owed."""
    await permissions.authorise(ctx, application, "correct_deficiencies")
    if not application.deficiencies:
        raise errors.NoDeficiencies(
            "该申请没有待补齐的容缺材料（未按容缺受理，或材料已经补齐），无需再提交。",
            en="This case owes no materials (it was not accepted with deficiencies, or they were "
            "already handed in).",
        )
    advance(ctx, application, "correct_deficiencies")
    round_no = application.resubmissions + 1
    application.resubmissions = round_no
    await record_materials(ctx, application, body.materials, round_no)
    remaining = [p.as_dict() for p in await current_problems(ctx.session, application)]
    application.deficiencies = remaining
    if not remaining:
        application.deficiency_deadline = None
    await trace.append(
        ctx.session,
        application.id,
        action="deficiencies_corrected",
        actor=ctx.actor_id,
        at=ctx.now,
        data={"materials": [m.name for m in body.materials], "remaining": len(remaining)},
    )
    return application


async def revoke_acceptance(ctx: Ctx, application: Application) -> None:
    """The 容缺 correction deadline passed: acceptance is revoked with reasons."""
    owed = "、".join(str(p.get("material")) for p in application.deficiencies)
    deadline = application.deficiency_deadline
    reason = f"容缺受理的补正期限{deadline.isoformat() if deadline else ''}已过，以下材料仍未补齐：{owed}"
    advance(ctx, application, "revoke_acceptance")
    application.closed_reason = reason
    application.closed_at = ctx.now
    notice = await documents.issue(
        ctx,
        application,
        "revocation",
        {"reason": reason, "owed": application.deficiencies},
        unit_code=application.accepting_unit_code or application.owner_unit_code,
        entrustment_id=application.entrustment_id,
    )
    await trace.append(
        ctx.session,
        application.id,
        action="acceptance_revoked",
        actor=ctx.actor_id,
        at=ctx.now,
        data={"reason": reason, "notice_no": notice.number},
    )
    await publish_closed(ctx, application, "acceptance_revoked", notice_no=notice.number)
    await notify(ctx, application, "acceptance_revoked", reason=reason)
