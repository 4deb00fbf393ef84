"""Handling by the deciding unit (审核/审批): steps with actor and opinion, special procedures that
pause the clock (特别程序), extensions with reasons (延期), approval or refusal, and completion
(办结) with the result."""

from __future__ import annotations

from .. import errors, events
from ..lifecycles import ApplicationAction
from ..models.applications import Application, ClockPause, DecisionStep
from ..repositories.handling import HandlingRepository
from ..schemas import (
    ApplicationApprove,
    ApplicationComplete,
    ApplicationExtend,
    ApplicationPause,
    ApplicationRefuse,
    StepCreate,
)
from . import deadlines, documents, permissions, trace
from .cases import advance
from .context import ActorCtx, Ctx
from .facts import notify, publish
from .notices import title_of
from .orgs import staff_unit_code

PROCEDURE_NAMES = {
    "hearing": "听证",
    "inspection": "现场勘查",
    "expert_review": "专家评审",
    "assessment": "评估",
    "other": "特别程序",
}


async def _deciding(ctx: ActorCtx, application: Application, action: ApplicationAction) -> None:
    await permissions.authorise(ctx, application, action)


async def _recompute_due(ctx: Ctx, application: Application) -> None:
    if application.accepted_at is None:
        return
    calendar = await ctx.calendar()
    application.due_on = deadlines.due_on(
        calendar,
        application.accepted_at,
        limit_days=deadlines.effective_limit(application.legal_limit_days, application.promised_limit_days),
        unit=application.limit_unit,
        extension_days=application.extension_days,
        paused_working_days=application.paused_working_days,
    )
    deadlines.flag_provisional(calendar, application, ctx.today)


async def record_step(ctx: ActorCtx, application: Application, body: StepCreate) -> DecisionStep:
    """Record a review or decision step with its opinion."""
    await _deciding(ctx, application, "record_step")
    advance(ctx, application, "record_step")
    started = body.started_at or ctx.now
    ended = body.ended_at or ctx.now
    if ended < started:
        raise errors.StepTimes(
            "结束时间（ended_at）早于开始时间（started_at），请核对后重新填写。",
            en="ended_at is before started_at.",
            field="ended_at",
        )
    step = DecisionStep(
        application_id=application.id,
        kind=body.kind,
        actor=ctx.actor_id,
        actor_unit_code=await staff_unit_code(ctx.session, ctx.actor),
        opinion=body.opinion,
        started_at=started,
        ended_at=ended,
    )
    HandlingRepository(ctx.session).add(step)
    await ctx.session.flush()
    await trace.append(
        ctx.session,
        application.id,
        action="step_recorded",
        actor=ctx.actor_id,
        at=ctx.now,
        data={
            "kind": body.kind,
            "opinion": body.opinion,
            "started_at": started.isoformat(),
            "ended_at": ended.isoformat(),
        },
    )
    return step


async def pause(ctx: ActorCtx, application: Application, body: ApplicationPause) -> ClockPause:
    """Start a special procedure: the time limit stops running from today."""
    await _deciding(ctx, application, "pause")
    advance(ctx, application, "pause")
    row = ClockPause(
        application_id=application.id,
        procedure=body.procedure,
        reason=body.reason,
        expected_end_on=body.expected_end_on,
        started_on=ctx.today,
        started_by=ctx.actor_id,
    )
    HandlingRepository(ctx.session).add(row)
    await ctx.session.flush()
    await trace.append(
        ctx.session,
        application.id,
        action="paused",
        actor=ctx.actor_id,
        at=ctx.now,
        data={"procedure": body.procedure, "reason": body.reason, "started_on": ctx.today.isoformat()},
    )
    await notify(
        ctx,
        application,
        "special_procedure",
        procedure=PROCEDURE_NAMES[body.procedure],
        expected_end=body.expected_end_on.isoformat() if body.expected_end_on else "程序结束时另行通知",
    )
    return row


async def resume(ctx: ActorCtx, application: Application) -> ClockPause:
    """End the special procedure: the due date moves by the working days it took."""
    await _deciding(ctx, application, "resume")
    advance(ctx, application, "resume")
    row = await HandlingRepository(ctx.session).get_running_pause(application.id)
    calendar = await ctx.calendar()
    row.ended_on = ctx.today
    row.ended_by = ctx.actor_id
    row.paused_working_days = deadlines.paused_days(calendar, row.started_on, ctx.today)
    application.paused_working_days += row.paused_working_days
    await _recompute_due(ctx, application)
    await trace.append(
        ctx.session,
        application.id,
        action="resumed",
        actor=ctx.actor_id,
        at=ctx.now,
        data={
            "paused_working_days": row.paused_working_days,
            "due_on": application.due_on.isoformat() if application.due_on else None,
        },
    )
    return row


async def extend(ctx: ActorCtx, application: Application, body: ApplicationExtend) -> Application:
    """Extend the time limit with reasons, at most the configured total (default 10 days)."""
    await _deciding(ctx, application, "extend")
    limit = ctx.settings.max_extension_working_days
    if application.extension_days + body.working_days > limit:
        raise errors.extension_too_long(limit, application.extension_days)
    advance(ctx, application, "extend")
    application.extension_days += body.working_days
    application.extension_reason = "；".join(r for r in (application.extension_reason, body.reason) if r)
    await _recompute_due(ctx, application)
    await trace.append(
        ctx.session,
        application.id,
        action="extended",
        actor=ctx.actor_id,
        at=ctx.now,
        data={
            "working_days": body.working_days,
            "reason": body.reason,
            "due_on": application.due_on.isoformat() if application.due_on else None,
        },
    )
    return application


async def decide(
    ctx: ActorCtx, application: Application, decision: str, body: ApplicationApprove | ApplicationRefuse
) -> Application:
    """Approve (准予) or refuse (不予, reasons required)."""
    await _deciding(ctx, application, "approve" if decision == "approved" else "refuse")
    if decision == "refused" and not body.reasons:
        raise errors.ReasonsRequired(
            "作出不予许可决定时，请填写不予许可的理由（reasons）。",
            en="A refusal must give its reasons (不予许可的理由).",
            field="reasons",
        )
    if application.deficiencies:
        raise errors.DeficienciesOutstanding(
            "容缺受理的材料尚未补齐，须在作出审批决定前补齐。",
            en="Materials owed under 容缺受理 are still missing; they must be handed in before the decision.",
            deficiencies=application.deficiencies,
        )
    advance(ctx, application, "approve" if decision == "approved" else "refuse")
    application.decision = decision
    application.decided_at = ctx.now
    application.decided_by = ctx.actor_id
    application.decision_reasons = body.reasons
    HandlingRepository(ctx.session).add(
        DecisionStep(
            application_id=application.id,
            kind="decide",
            actor=ctx.actor_id,
            actor_unit_code=await staff_unit_code(ctx.session, ctx.actor),
            opinion=("准予。" if decision == "approved" else "不予。") + (body.reasons or ""),
            started_at=ctx.now,
            ended_at=ctx.now,
        )
    )
    calendar = await ctx.calendar()
    assert application.accepted_at is not None
    used = deadlines.working_days_used(
        calendar, application.accepted_at, ctx.now, application.paused_working_days
    )
    # The decision on paper (准予/不予决定书), signed by the deciding department.
    document = await documents.issue(
        ctx,
        application,
        "approval" if decision == "approved" else "refusal",
        {"reasons": body.reasons, "decided_on": ctx.today.isoformat()},
        unit_code=application.owner_unit_code,
    )
    application.decision_no = document.number
    await trace.append(
        ctx.session,
        application.id,
        action="decided",
        actor=ctx.actor_id,
        at=ctx.now,
        data={"decision": decision, "reasons": body.reasons, "decision_no": document.number},
    )
    await publish(
        ctx,
        events.ApplicationDecided,
        application,
        decision=decision,
        decided_at=ctx.now,
        reasons=body.reasons,
        working_days_used=used,
        paused_working_days=application.paused_working_days,
        extension_days=application.extension_days,
    )
    if decision == "refused":
        await notify(ctx, application, "refused", document=title_of(document), document_no=document.number)
    return application


async def complete(ctx: ActorCtx, application: Application, body: ApplicationComplete) -> Application:
    """Complete (办结) with the result; the applicant is told by SMS."""
    await _deciding(ctx, application, "complete")
    advance(ctx, application, "complete")
    application.completed_at = ctx.now
    application.completed_by = ctx.actor_id
    application.result = {
        "name": body.result_name,
        "number": body.result_number,
        "valid_until": body.valid_until.isoformat() if body.valid_until else None,
    }
    calendar = await ctx.calendar()
    assert application.accepted_at is not None
    used = deadlines.working_days_used(
        calendar, application.accepted_at, ctx.now, application.paused_working_days
    )
    on_time = application.due_on is None or ctx.today <= application.due_on
    await trace.append(
        ctx.session,
        application.id,
        action="completed",
        actor=ctx.actor_id,
        at=ctx.now,
        data={"result": application.result, "working_days_used": used, "on_time": on_time},
    )
    await publish(
        ctx,
        events.ApplicationCompleted,
        application,
        completed_at=ctx.now,
        decision=application.decision or "approved",
        result_name=body.result_name,
        working_days_used=used,
        on_time=on_time,
    )
    await notify(
        ctx,
        application,
        "completed",
        result_name=body.result_name,
        delivery_hint="请按选择的方式领取办理结果。",
    )
    return application


async def steps_of(ctx: Ctx, application: Application) -> list[DecisionStep]:
    """The case's steps in order."""
    return await HandlingRepository(ctx.session).steps_of(application.id)


async def pauses_of(ctx: Ctx, application: Application) -> list[ClockPause]:
    """The case's special procedures in order."""
    return await HandlingRepository(ctx.session).pauses_of(application.id)
