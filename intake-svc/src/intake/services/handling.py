"""Handling by the deciding unit (审核/审批): steps with actor and opinion, special procedures that
pause the clock (特别程序), extensions with reasons (延期), approval or refusal, and completion
(办结) with the result."""

from __future__ import annotations

from sqlalchemy import select

from yiwang_shared.errors import Conflict, UnprocessableEntity

from .. import events
from ..models.applications import Application, ClockPause, DecisionStep
from ..notices import title_of
from ..orgs import staff_unit_code
from ..schemas import (
    ApplicationApprove,
    ApplicationComplete,
    ApplicationExtend,
    ApplicationPause,
    ApplicationRefuse,
    StepCreate,
)
from ..states import ApplicationAction
from . import deadlines, documents, permissions, trace
from .cases import advance
from .context import Ctx
from .facts import notify, publish

PROCEDURE_NAMES = {
    "hearing": "听证",
    "inspection": "现场勘查",
    "expert_review": "专家评审",
    "assessment": "评估",
    "other": "特别程序",
}


async def _deciding(ctx: Ctx, app: Application, action: ApplicationAction) -> None:
    await permissions.authorise(ctx, app, action)


async def _recompute_due(ctx: Ctx, app: Application) -> None:
    if app.accepted_at is None:
        return
    calendar = await ctx.calendar()
    app.due_on = deadlines.due_on(
        calendar,
        app.accepted_at,
        limit_days=deadlines.effective_limit(app.legal_limit_days, app.promised_limit_days),
        unit=app.limit_unit,
        extension_days=app.extension_days,
        paused_working_days=app.paused_working_days,
    )
    deadlines.flag_provisional(calendar, app, ctx.today)


async def record_step(ctx: Ctx, app: Application, body: StepCreate) -> DecisionStep:
    """Record a review or decision step with its opinion."""
    await _deciding(ctx, app, "record_step")
    advance(ctx, app, "record_step")
    started = body.started_at or ctx.now
    ended = body.ended_at or ctx.now
    if ended < started:
        raise UnprocessableEntity(
            "结束时间（ended_at）早于开始时间（started_at），请核对后重新填写。",
            en="ended_at is before started_at.",
            code="intake.step_times",
            field="ended_at",
        )
    assert ctx.actor is not None
    step = DecisionStep(
        application_id=app.id,
        kind=body.kind,
        actor=ctx.actor_id,
        actor_unit_code=await staff_unit_code(ctx.session, ctx.actor),
        opinion=body.opinion,
        started_at=started,
        ended_at=ended,
    )
    ctx.session.add(step)
    await ctx.session.flush()
    await trace.append(
        ctx.session,
        app.id,
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


async def pause(ctx: Ctx, app: Application, body: ApplicationPause) -> ClockPause:
    """Start a special procedure: the time limit stops running from today."""
    await _deciding(ctx, app, "pause")
    advance(ctx, app, "pause")
    row = ClockPause(
        application_id=app.id,
        procedure=body.procedure,
        reason=body.reason,
        expected_end_on=body.expected_end_on,
        started_on=ctx.today,
        started_by=ctx.actor_id,
    )
    ctx.session.add(row)
    await ctx.session.flush()
    await trace.append(
        ctx.session,
        app.id,
        action="paused",
        actor=ctx.actor_id,
        at=ctx.now,
        data={"procedure": body.procedure, "reason": body.reason, "started_on": ctx.today.isoformat()},
    )
    await notify(
        ctx,
        app,
        "special_procedure",
        procedure=PROCEDURE_NAMES[body.procedure],
        expected_end=body.expected_end_on.isoformat() if body.expected_end_on else "程序结束时另行通知",
    )
    return row


async def resume(ctx: Ctx, app: Application) -> ClockPause:
    """End the special procedure: the due date moves by the working days it took."""
    await _deciding(ctx, app, "resume")
    advance(ctx, app, "resume")
    row = (
        await ctx.session.execute(
            select(ClockPause).where(ClockPause.application_id == app.id, ClockPause.ended_on.is_(None))
        )
    ).scalar_one()
    calendar = await ctx.calendar()
    row.ended_on = ctx.today
    row.ended_by = ctx.actor_id
    row.paused_working_days = deadlines.paused_days(calendar, row.started_on, ctx.today)
    app.paused_working_days += row.paused_working_days
    await _recompute_due(ctx, app)
    await trace.append(
        ctx.session,
        app.id,
        action="resumed",
        actor=ctx.actor_id,
        at=ctx.now,
        data={
            "paused_working_days": row.paused_working_days,
            "due_on": app.due_on.isoformat() if app.due_on else None,
        },
    )
    return row


async def extend(ctx: Ctx, app: Application, body: ApplicationExtend) -> Application:
    """Extend the time limit with reasons, at most the configured total (default 10 days)."""
    await _deciding(ctx, app, "extend")
    limit = ctx.settings.max_extension_working_days
    if app.extension_days + body.working_days > limit:
        raise UnprocessableEntity(
            f"延长办理期限累计不得超过 {limit} 个工作日；已延长 {app.extension_days} 个工作日，"
            f"最多还能延长 {limit - app.extension_days} 个工作日。",
            en=f"Extensions may total at most {limit} working days; {app.extension_days} already "
            f"granted, so at most {limit - app.extension_days} more.",
            code="intake.extension_too_long",
            field="working_days",
        )
    advance(ctx, app, "extend")
    app.extension_days += body.working_days
    app.extension_reason = "；".join(r for r in (app.extension_reason, body.reason) if r)
    await _recompute_due(ctx, app)
    await trace.append(
        ctx.session,
        app.id,
        action="extended",
        actor=ctx.actor_id,
        at=ctx.now,
        data={
            "working_days": body.working_days,
            "reason": body.reason,
            "due_on": app.due_on.isoformat() if app.due_on else None,
        },
    )
    return app


async def decide(
    ctx: Ctx, app: Application, decision: str, body: ApplicationApprove | ApplicationRefuse
) -> Application:
    """Approve (准予) or refuse (不予, reasons required)."""
    await _deciding(ctx, app, "approve" if decision == "approved" else "refuse")
    if decision == "refused" and not body.reasons:
        raise UnprocessableEntity(
            "作出不予许可决定时，请填写不予许可的理由（reasons）。",
            en="A refusal must give its reasons (不予许可的理由).",
            code="intake.reasons_required",
            field="reasons",
        )
    if app.deficiencies:
        raise Conflict(
            "容缺受理的材料尚未补齐，须在作出审批决定前补齐。",
            en="Materials owed under 容缺受理 are still missing; they must be handed in before the decision.",
            code="intake.deficiencies_outstanding",
            deficiencies=app.deficiencies,
        )
    advance(ctx, app, "approve" if decision == "approved" else "refuse")
    app.decision = decision
    app.decided_at = ctx.now
    app.decided_by = ctx.actor_id
    app.decision_reasons = body.reasons
    assert ctx.actor is not None
    ctx.session.add(
        DecisionStep(
            application_id=app.id,
            kind="decide",
            actor=ctx.actor_id,
            actor_unit_code=await staff_unit_code(ctx.session, ctx.actor),
            opinion=("准予。" if decision == "approved" else "不予。") + (body.reasons or ""),
            started_at=ctx.now,
            ended_at=ctx.now,
        )
    )
    calendar = await ctx.calendar()
    assert app.accepted_at is not None
    used = deadlines.working_days_used(calendar, app.accepted_at, ctx.now, app.paused_working_days)
    # The decision on paper (准予/不予决定书), signed by the deciding department.
    document = await documents.issue(
        ctx,
        app,
        "approval" if decision == "approved" else "refusal",
        {"reasons": body.reasons, "decided_on": ctx.today.isoformat()},
        unit_code=app.owner_unit_code,
    )
    app.decision_no = document.number
    await trace.append(
        ctx.session,
        app.id,
        action="decided",
        actor=ctx.actor_id,
        at=ctx.now,
        data={"decision": decision, "reasons": body.reasons, "decision_no": document.number},
    )
    await publish(
        ctx,
        events.ApplicationDecided,
        app,
        decision=decision,
        decided_at=ctx.now,
        reasons=body.reasons,
        working_days_used=used,
        paused_working_days=app.paused_working_days,
        extension_days=app.extension_days,
    )
    if decision == "refused":
        await notify(ctx, app, "refused", document=title_of(document), document_no=document.number)
    return app


async def complete(ctx: Ctx, app: Application, body: ApplicationComplete) -> Application:
    """Complete (办结) with the result; the applicant is told by SMS."""
    await _deciding(ctx, app, "complete")
    advance(ctx, app, "complete")
    app.completed_at = ctx.now
    app.completed_by = ctx.actor_id
    app.result = {
        "name": body.result_name,
        "number": body.result_number,
        "valid_until": body.valid_until.isoformat() if body.valid_until else None,
    }
    calendar = await ctx.calendar()
    assert app.accepted_at is not None
    used = deadlines.working_days_used(calendar, app.accepted_at, ctx.now, app.paused_working_days)
    on_time = app.due_on is None or ctx.today <= app.due_on
    await trace.append(
        ctx.session,
        app.id,
        action="completed",
        actor=ctx.actor_id,
        at=ctx.now,
        data={"result": app.result, "working_days_used": used, "on_time": on_time},
    )
    await publish(
        ctx,
        events.ApplicationCompleted,
        app,
        completed_at=ctx.now,
        decision=app.decision or "approved",
        result_name=body.result_name,
        working_days_used=used,
        on_time=on_time,
    )
    await notify(
        ctx,
        app,
        "completed",
        result_name=body.result_name,
        delivery_hint="请按选择的方式领取办理结果。",
    )
    return app


async def steps_of(ctx: Ctx, app: Application) -> list[DecisionStep]:
    """The case's steps in order."""
    rows = await ctx.session.execute(
        select(DecisionStep).where(DecisionStep.application_id == app.id).order_by(DecisionStep.started_at)
    )
    return list(rows.scalars())


async def pauses_of(ctx: Ctx, app: Application) -> list[ClockPause]:
    """The case's special procedures in order."""
    rows = await ctx.session.execute(
        select(ClockPause).where(ClockPause.application_id == app.id).order_by(ClockPause.started_on)
    )
    return list(rows.scalars())
