"""Handling by the deciding unit (审核/审批): steps with actor and opinion, special procedures that
pause the clock (特别程序), extensions with reasons (延期), approval or refusal, and completion
(办结) with the result."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import local_date

from .. import errors, events
from ..config import Settings
from ..lifecycles import ApplicationAction
from ..models.applications import Application, ClockPause, DecisionStep
from ..repositories.applications import ApplicationRepository
from ..schemas import (
    ApplicationApprove,
    ApplicationComplete,
    ApplicationExtend,
    ApplicationPause,
    ApplicationRefuse,
    StepCreate,
)
from . import deadlines, documents, fees, permissions, trace
from .cases import advance, version_of, with_children
from .facts import notify, publish
from .notices import title_of
from .orgs import staff_unit_code
from .read_models import working_calendar

PROCEDURE_NAMES = {
    "hearing": "听证",
    "inspection": "现场勘查",
    "expert_review": "专家评审",
    "assessment": "评估",
    "other": "特别程序",
}


async def _deciding(
    session: AsyncSession,
    application: Application,
    action: ApplicationAction,
    actor: Principal,
    *,
    now: datetime,
) -> None:
    await permissions.authorise(session, application, action, actor, now=now)


async def _recompute_due(session: AsyncSession, application: Application, *, now: datetime) -> None:
    if application.accepted_at is None:
        return
    calendar = await working_calendar(session)
    application.due_on = deadlines.due_on(
        calendar,
        application.accepted_at,
        limit_days=deadlines.effective_limit(application.legal_limit_days, application.promised_limit_days),
        unit=application.limit_unit,
        extension_days=application.extension_days,
        paused_working_days=application.paused_working_days,
    )
    deadlines.flag_provisional(calendar, application, local_date(now))


async def _step(
    session: AsyncSession,
    application: Application,
    kind: str,
    opinion: str,
    actor: Principal,
    *,
    started: datetime,
    ended: datetime,
) -> DecisionStep:
    """A step of the case taken by `actor`, with the unit they act for."""
    return DecisionStep(
        application_id=application.id,
        kind=kind,
        actor=actor.subject,
        actor_unit_code=await staff_unit_code(session, actor),
        opinion=opinion,
        started_at=started,
        ended_at=ended,
    )


async def record_step(
    session: AsyncSession, application: Application, body: StepCreate, actor: Principal, *, now: datetime
) -> DecisionStep:
    """Record a review or decision step with its opinion."""
    await _deciding(session, application, "record_step", actor, now=now)
    advance(application, "record_step", now=now)
    started = body.started_at or now
    ended = body.ended_at or now
    if ended < started:
        raise errors.StepTimes(
            "结束时间（ended_at）早于开始时间（started_at），请核对后重新填写。",
            en="ended_at is before started_at.",
            field="ended_at",
        )
    step = await _step(session, application, body.kind, body.opinion, actor, started=started, ended=ended)
    ApplicationRepository(session).add_child(application, "steps", step)
    trace.append(
        session,
        application,
        action="step_recorded",
        actor=actor.subject,
        at=now,
        data={
            "kind": body.kind,
            "opinion": body.opinion,
            "started_at": started.isoformat(),
            "ended_at": ended.isoformat(),
        },
    )
    return step


async def pause(
    session: AsyncSession,
    application: Application,
    body: ApplicationPause,
    actor: Principal,
    *,
    now: datetime,
) -> ClockPause:
    """Start a special procedure: the time limit stops running from today."""
    await _deciding(session, application, "pause", actor, now=now)
    advance(application, "pause", now=now)
    today = local_date(now)
    row = ClockPause(
        application_id=application.id,
        procedure=body.procedure,
        reason=body.reason,
        expected_end_on=body.expected_end_on,
        started_on=today,
        started_by=actor.subject,
    )
    ApplicationRepository(session).add_child(application, "pauses", row)
    trace.append(
        session,
        application,
        action="paused",
        actor=actor.subject,
        at=now,
        data={"procedure": body.procedure, "reason": body.reason, "started_on": today.isoformat()},
    )
    await notify(
        session,
        application,
        "special_procedure",
        procedure=PROCEDURE_NAMES[body.procedure],
        expected_end=body.expected_end_on.isoformat() if body.expected_end_on else "程序结束时另行通知",
    )
    return row


async def resume(
    session: AsyncSession, application: Application, actor: Principal, *, now: datetime
) -> ClockPause:
    """End the special procedure: the due date moves by the working days it took."""
    await _deciding(session, application, "resume", actor, now=now)
    advance(application, "resume", now=now)
    row = await running_pause(session, application)
    calendar = await working_calendar(session)
    today = local_date(now)
    row.ended_on = today
    row.ended_by = actor.subject
    row.paused_working_days = deadlines.paused_days(calendar, row.started_on, today)
    application.paused_working_days += row.paused_working_days
    await _recompute_due(session, application, now=now)
    trace.append(
        session,
        application,
        action="resumed",
        actor=actor.subject,
        at=now,
        data={
            "paused_working_days": row.paused_working_days,
            "due_on": application.due_on.isoformat() if application.due_on else None,
        },
    )
    return row


async def extend(
    session: AsyncSession,
    application: Application,
    body: ApplicationExtend,
    actor: Principal,
    *,
    now: datetime,
    settings: Settings,
) -> Application:
    """Extend the time limit with reasons, at most the configured total (default 10 days)."""
    await _deciding(session, application, "extend", actor, now=now)
    limit = settings.max_extension_working_days
    if application.extension_days + body.working_days > limit:
        raise errors.extension_too_long(limit, application.extension_days)
    advance(application, "extend", now=now)
    application.extension_days += body.working_days
    application.extension_reason = "；".join(r for r in (application.extension_reason, body.reason) if r)
    await _recompute_due(session, application, now=now)
    trace.append(
        session,
        application,
        action="extended",
        actor=actor.subject,
        at=now,
        data={
            "working_days": body.working_days,
            "reason": body.reason,
            "due_on": application.due_on.isoformat() if application.due_on else None,
        },
    )
    return application


async def decide(
    session: AsyncSession,
    application: Application,
    decision: str,
    body: ApplicationApprove | ApplicationRefuse,
    actor: Principal,
    *,
    now: datetime,
) -> Application:
    """Approve (准予) or refuse (不予, reasons required)."""
    action: ApplicationAction = "approve" if decision == "approved" else "refuse"
    await _deciding(session, application, action, actor, now=now)
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
    advance(application, action, now=now)
    application.decision = decision
    application.decided_at = now
    application.decided_by = actor.subject
    application.decision_reasons = body.reasons
    opinion = ("准予。" if decision == "approved" else "不予。") + (body.reasons or "")
    ApplicationRepository(session).add_child(
        application,
        "steps",
        await _step(session, application, "decide", opinion, actor, started=now, ended=now),
    )
    calendar = await working_calendar(session)
    assert application.accepted_at is not None
    used = deadlines.working_days_used(
        calendar, application.accepted_at, now, application.paused_working_days
    )
    # The decision on paper (准予/不予决定书), signed by the deciding department.
    document = await documents.issue(
        session,
        application,
        "approval" if decision == "approved" else "refusal",
        {"reasons": body.reasons, "decided_on": local_date(now).isoformat()},
        actor,
        now=now,
        unit_code=application.owner_unit_code,
    )
    application.decision_no = document.number
    trace.append(
        session,
        application,
        action="decided",
        actor=actor.subject,
        at=now,
        data={"decision": decision, "reasons": body.reasons, "decision_no": document.number},
    )
    await publish(
        session,
        application,
        events.ApplicationDecided,
        actor,
        decision=decision,
        decided_at=now,
        reasons=body.reasons,
        working_days_used=used,
        paused_working_days=application.paused_working_days,
        extension_days=application.extension_days,
    )
    if decision == "refused":
        await notify(
            session, application, "refused", document=title_of(document), document_no=document.number
        )
    return application


async def complete(
    session: AsyncSession,
    application: Application,
    body: ApplicationComplete,
    actor: Principal,
    *,
    now: datetime,
) -> Application:
    """Complete (办结) with the result; the applicant is told by SMS."""
    await _deciding(session, application, "complete", actor, now=now)
    advance(application, "complete", now=now)
    application.completed_at = now
    application.completed_by = actor.subject
    application.result = {
        "name": body.result_name,
        "number": body.result_number,
        "valid_until": body.valid_until.isoformat() if body.valid_until else None,
    }
    calendar = await working_calendar(session)
    assert application.accepted_at is not None
    used = deadlines.working_days_used(
        calendar, application.accepted_at, now, application.paused_working_days
    )
    on_time = application.due_on is None or local_date(now) <= application.due_on
    trace.append(
        session,
        application,
        action="completed",
        actor=actor.subject,
        at=now,
        data={"result": application.result, "working_days_used": used, "on_time": on_time},
    )
    fee = fees.charge(session, application, await version_of(session, application), now=now)
    await publish(
        session,
        application,
        events.ApplicationCompleted,
        actor,
        completed_at=now,
        decision=application.decision or "approved",
        result_name=body.result_name,
        result_number=body.result_number,
        valid_until=body.valid_until,
        working_days_used=used,
        on_time=on_time,
    )
    await notify(
        session,
        application,
        "completed",
        result_name=body.result_name,
        delivery_hint=f"请缴纳费用{fees.yuan(fee.amount_fen)}（缴款码另行短信告知）后领取办理结果。"
        if fee is not None
        else "请按选择的方式领取办理结果。",
    )
    return application


async def steps_of(session: AsyncSession, application: Application) -> list[DecisionStep]:
    """The case's steps in order."""
    await with_children(session, application, "steps")
    return sorted(application.steps, key=lambda s: s.started_at)


async def pauses_of(session: AsyncSession, application: Application) -> list[ClockPause]:
    """The case's special procedures in order."""
    await with_children(session, application, "pauses")
    return sorted(application.pauses, key=lambda p: p.started_on)


async def running_pause(session: AsyncSession, application: Application) -> ClockPause:
    """The case's running special procedure (a suspended case has exactly one)."""
    await with_children(session, application, "pauses")
    (running,) = [p for p in application.pauses if p.ended_on is None]
    return running
