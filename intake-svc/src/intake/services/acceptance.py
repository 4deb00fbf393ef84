"""From receipt to acceptance: the one-time notice (一次性告知, once: a later notice may only
concern what the applicant changed since), acceptance (受理) with a numbered notice and the
promised date, refusal to accept (不予受理) with its notice, 即办件 completed on the spot, 容缺受理
with its correction deadline, and hand-over to the deciding unit (接件转交)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.calendar import local_date
from yiwang_shared.errors import Conflict, UnprocessableEntity

from .. import errors, events
from ..models.applications import Application, ApplicationMaterial, DecisionStep, Notice
from ..schemas import ApplicationAccept, ApplicationRefuseAcceptance, DeficiencyCorrection, NoticeIssue
from ..states import ACCEPTANCE_STATES, ApplicationAction
from . import deadlines, documents, permissions, trace
from .acceptance_checks import ACCEPTING_ROLES, check_acceptance
from .cases import advance, current_problems, version_of
from .context import Ctx
from .facts import notify, publish, publish_closed
from .submission import _material_rows

__all__ = ["ACCEPTING_ROLES", "accept", "issue_notice", "refuse_acceptance"]


async def correction_notices(session: AsyncSession, app: Application) -> list[Notice]:
    """The one-time notices already issued on the case, oldest first."""
    rows = await session.execute(
        select(Notice)
        .where(Notice.application_id == app.id, Notice.kind == "correction")
        .order_by(Notice.issued_at, Notice.number)
    )
    return list(rows.scalars())


async def _only_once(ctx: Ctx, app: Application, problems: list[dict[str, Any]]) -> None:
    """一次性告知 means once: a later notice may only concern materials the first already raised or
    the applicant changed since (handed in again, or newly needed by a condition they declared)."""
    earlier = await correction_notices(ctx.session, app)
    if not earlier:
        return
    first = earlier[0]
    raised = {str(p.get("material")) for n in earlier for p in n.content.get("problems", [])}
    first_round = int(first.content.get("round", 0))
    changed = set(
        (
            await ctx.session.execute(
                select(ApplicationMaterial.name).where(
                    ApplicationMaterial.application_id == app.id, ApplicationMaterial.round > first_round
                )
            )
        ).scalars()
    )
    changed |= set(app.conditions) - set(first.content.get("conditions", app.conditions))
    never = sorted({str(p["material"]) for p in problems} - raised - changed)
    if not never:
        return
    names = "、".join(f"“{n}”" for n in never)
    issued = local_date(first.issued_at)
    raise Conflict(
        f"本件已于{issued.year}年{issued.month}月{issued.day}日出具一次性告知书（{first.number}），"
        f"需要补正的内容应当一次告知。以下材料在此前的告知书中没有提出，申请人此后也没有补正或更换，"
        f"不能再要求补正：{names}。再次告知只能针对申请人补正或更换的材料；其余材料请按已告知的内容审查，"
        "齐全的予以受理。",
        en=f"The one-time notice {first.number} was issued already: everything to correct is told "
        "once. A later notice may only concern materials the applicant handed in or changed since; "
        f"these were never raised and not changed: {', '.join(never)}.",
        code="intake.notice_already_issued",
        materials=never,
        first_notice_no=first.number,
    )


async def issue_notice(ctx: Ctx, app: Application, body: NoticeIssue) -> Notice:
    """Issue the one-time notice listing every problem at once, within the legal window."""
    basis = await check_acceptance(ctx, app, permissions.ISSUE_NOTICE)
    if app.status != "submitted":
        raise errors.invalid_transition(app.status, "issue_notice")
    if ctx.today > app.notice_due_on:
        raise Conflict(
            f"一次性告知书应在 {app.notice_due_on.isoformat()} 前出具。逾期不告知的，自收到申请材料之日起"
            "即为受理（《行政许可法》第三十二条），请直接受理该申请。",
            en=f"The one-time notice had to be issued by {app.notice_due_on.isoformat()}; after that "
            "the application counts as accepted (逾期不告知的，自收到申请材料之日起即为受理). "
            "Accept it instead.",
            code="intake.notice_window_passed",
            notice_due_on=app.notice_due_on.isoformat(),
        )
    problems = [p.as_dict() for p in await current_problems(ctx.session, app)]
    problems += [
        {"material": p.material, "problem": "format", "message": p.message} for p in body.extra_problems
    ]
    if not problems:
        raise Conflict(
            "申请材料齐全，也没有填写需要补正的问题，无需出具一次性告知书，请直接受理。",
            en="The materials are complete and no problem was given: accept the application instead "
            "of issuing a notice.",
            code="intake.nothing_to_correct",
        )
    await _only_once(ctx, app, problems)
    advance(ctx, app, "issue_notice")
    calendar = await ctx.calendar()
    correct_by = calendar.add_working_days(ctx.now, ctx.settings.correction_period_working_days)
    app.correction_deadline = correct_by
    deadlines.flag_provisional(calendar, app, ctx.today)
    notice = await documents.issue(
        ctx,
        app,
        "correction",
        {
            "problems": problems,
            "correct_by": correct_by.isoformat(),
            # What the notice was issued against, so a later notice can tell what changed since.
            "round": app.resubmissions,
            "conditions": list(app.conditions),
        },
        unit_code=basis.unit_code,
        entrustment_id=basis.entrustment_id,
    )
    await trace.append(
        ctx.session,
        app.id,
        action="notice_issued",
        actor=ctx.actor_id,
        at=ctx.now,
        data={"notice_no": notice.number, "problems": problems},
    )
    await publish(
        ctx,
        events.ApplicationNoticeIssued,
        app,
        notice_no=notice.number,
        issued_at=ctx.now,
        problem_count=len(problems),
        working_days_since_receipt=max(0, calendar.working_days_between(app.received_at, ctx.now)),
    )
    await notify(ctx, app, "notice_issued", missing_count=len(problems), deadline=correct_by.isoformat())
    return notice


async def accept(ctx: Ctx, app: Application, body: ApplicationAccept) -> Application:
    """Accept (受理); 即办件 are completed at once; 容缺受理 records what is still owed."""
    basis = await check_acceptance(ctx, app, permissions.ACCEPT)
    if app.status != "submitted":
        raise errors.invalid_transition(app.status, "accept")
    version = await version_of(ctx.session, app)
    accepting_unit, entrustment_id = basis.unit_code, basis.entrustment_id
    problems = [p.as_dict() for p in await current_problems(ctx.session, app)]
    on_the_spot = app.handling_type == "1"
    if problems and not body.with_deficiencies:
        raise UnprocessableEntity(
            f"申请材料还有 {len(problems)} 处问题，请出具一次性告知书列明需补正的材料"
            + ("，或按容缺受理办理" if app.deficiency_allowed else "")
            + "。",
            en=f"{len(problems)} material problem(s) remain: issue the one-time notice listing them"
            + (", or accept with deficiencies (容缺受理)" if app.deficiency_allowed else "")
            + ".",
            code="intake.materials_incomplete",
            problems=problems,
        )
    if problems and (not app.deficiency_allowed or on_the_spot):
        raise UnprocessableEntity(
            f"事项 {app.item_code} 不适用容缺受理，请出具一次性告知书，待材料补齐后再受理。",
            en=f"Item {app.item_code} does not allow acceptance with deficiencies (容缺受理); issue "
            "the one-time notice instead.",
            code="intake.deficiency_not_allowed",
        )
    calendar = await ctx.calendar()
    deadline = None
    if problems:
        deadline = body.correction_deadline or calendar.add_working_days(
            ctx.now, ctx.settings.deficiency_correction_working_days
        )
        if deadline <= ctx.today:
            raise UnprocessableEntity(
                "容缺材料补齐期限（correction_deadline）应晚于今天。",
                en="correction_deadline must be after today.",
                code="intake.deficiency_deadline",
                field="correction_deadline",
            )
    app.deficiencies = problems
    app.deficiency_deadline = deadline
    await _accept(ctx, app, accepting_unit, entrustment_id, deemed=False)
    if on_the_spot:
        await _complete_on_the_spot(ctx, app, body, version.elements)
        return app
    await publish(
        ctx,
        events.ApplicationAccepted,
        app,
        acceptance_no=app.acceptance_no,
        deemed=False,
        with_deficiencies=bool(problems),
        deficiency_deadline=deadline,
        on_the_spot=False,
    )
    await notify(
        ctx,
        app,
        "accepted",
        acceptance_no=app.acceptance_no,
        promised_date=app.due_on.isoformat() if app.due_on else "",
    )
    return app


async def _accept(
    ctx: Ctx, app: Application, unit: str | None, entrustment_id: str | None, *, deemed: bool
) -> None:
    calendar = await ctx.calendar()
    action: ApplicationAction = "accept_on_the_spot" if app.handling_type == "1" and not deemed else "accept"
    advance(ctx, app, action)
    app.accepted_at = app.received_at if deemed else ctx.now
    app.accepted_by = ctx.actor_id
    app.accepting_unit_code = unit
    app.entrustment_id = entrustment_id
    app.deemed_accepted = deemed
    limit = deadlines.effective_limit(app.legal_limit_days, app.promised_limit_days)
    app.due_on = deadlines.due_on(calendar, app.accepted_at, limit_days=limit, unit=app.limit_unit)
    deadlines.flag_provisional(calendar, app, ctx.today)
    owner = await documents.authority(ctx.session, app.owner_unit_code)
    notice = await documents.issue(
        ctx,
        app,
        "acceptance",
        {
            "accepted_on": local_date(app.accepted_at).isoformat(),
            "due_on": app.due_on.isoformat(),
            "limit_days": limit,
            "limit_unit": app.limit_unit,
            "owner_unit_code": app.owner_unit_code,
            "owner_unit_name": owner["name"],
            "deemed": deemed,
            "deficiencies": app.deficiencies,
            "deficiency_deadline": app.deficiency_deadline.isoformat() if app.deficiency_deadline else None,
            "provisional": app.provisional_deadline,
        },
        unit_code=unit,
        entrustment_id=entrustment_id,
    )
    app.acceptance_no = notice.number
    await trace.append(
        ctx.session,
        app.id,
        action="accepted",
        actor=ctx.actor_id,
        at=ctx.now,
        data={
            "acceptance_no": notice.number,
            "due_on": app.due_on.isoformat(),
            "deemed": deemed,
            "accepting_unit": unit,
            "entrustment_id": entrustment_id,
        },
    )


async def _complete_on_the_spot(
    ctx: Ctx, app: Application, body: ApplicationAccept, elements: dict[str, Any]
) -> None:
    result_name = body.result_name or (elements.get("result") or {}).get("name") or app.item_name
    for kind in ("accept", "decide", "complete"):
        ctx.session.add(
            DecisionStep(
                application_id=app.id,
                kind=kind,
                actor=ctx.actor_id,
                actor_unit_code=app.accepting_unit_code,
                opinion="即办件，当场办结",
                started_at=ctx.now,
                ended_at=ctx.now,
            )
        )
    app.decision = "approved"
    app.decided_at = app.completed_at = ctx.now
    app.decided_by = app.completed_by = ctx.actor_id
    app.result = {"name": result_name, "number": body.result_number, "valid_until": None}
    decision = await documents.issue(
        ctx,
        app,
        "approval",
        {"reasons": "即办件，申请材料齐全、符合法定形式，当场办结。", "result": app.result},
        unit_code=app.owner_unit_code,
    )
    app.decision_no = decision.number
    await trace.append(
        ctx.session,
        app.id,
        action="completed",
        actor=ctx.actor_id,
        at=ctx.now,
        data={"on_the_spot": True, "result": app.result},
    )
    common = {"decision": "approved"}
    await publish(
        ctx,
        events.ApplicationAccepted,
        app,
        acceptance_no=app.acceptance_no,
        deemed=False,
        with_deficiencies=False,
        deficiency_deadline=None,
        on_the_spot=True,
    )
    await publish(
        ctx,
        events.ApplicationDecided,
        app,
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
        app,
        completed_at=ctx.now,
        result_name=result_name,
        working_days_used=0,
        on_time=True,
        **common,
    )
    await notify(ctx, app, "completed", result_name=result_name, delivery_hint="请到窗口领取。")


async def refuse_acceptance(ctx: Ctx, app: Application, body: ApplicationRefuseAcceptance) -> Notice:
    """Refuse to accept (不予受理) with reasons and a printable 不予受理通知书; the case closes."""
    basis = await check_acceptance(ctx, app, permissions.REFUSE_ACCEPTANCE)
    if app.status not in ACCEPTANCE_STATES:
        raise errors.invalid_transition(app.status, "refuse_acceptance")
    advance(ctx, app, "refuse_acceptance")
    app.closed_reason = f"不予受理：{body.reasons}"
    app.closed_at = ctx.now
    app.correction_deadline = None
    notice = await documents.issue(
        ctx,
        app,
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
        app.id,
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
    await publish_closed(ctx, app, "not_accepted", notice_no=notice.number)
    await notify(ctx, app, "not_accepted", document="不予受理通知书", document_no=notice.number)
    return notice


async def deem_accepted(ctx: Ctx, app: Application) -> None:
    """No notice within the legal window: the application counts as accepted from receipt."""
    await _accept(ctx, app, app.intake_unit_code or app.owner_unit_code, None, deemed=True)
    await publish(
        ctx,
        events.ApplicationAccepted,
        app,
        acceptance_no=app.acceptance_no,
        deemed=True,
        with_deficiencies=False,
        deficiency_deadline=None,
        on_the_spot=False,
    )
    await notify(
        ctx,
        app,
        "accepted",
        acceptance_no=app.acceptance_no,
        promised_date=app.due_on.isoformat() if app.due_on else "",
    )


async def hand_over(ctx: Ctx, app: Application) -> Application:
    """Hand the accepted case to the deciding unit (接件转交)."""
    await permissions.authorise(ctx, app, "hand_over")
    advance(ctx, app, "hand_over")
    app.handed_over_at = ctx.now
    await trace.append(
        ctx.session,
        app.id,
        action="handed_over",
        actor=ctx.actor_id,
        at=ctx.now,
        data={"to_unit": app.owner_unit_code},
    )
    return app


async def correct_deficiencies(ctx: Ctx, app: Application, body: DeficiencyCorrection) -> Application:
    """Hand in the materials owed under 容缺受理; the deadline is lifted once nothing is owed."""
    await permissions.authorise(ctx, app, "correct_deficiencies")
    if not app.deficiencies:
        raise Conflict(
            "该申请没有待补齐的容缺材料（未按容缺受理，或材料已经补齐），无需再提交。",
            en="This case owes no materials (it was not accepted with deficiencies, or they were "
            "already handed in).",
            code="intake.no_deficiencies",
        )
    advance(ctx, app, "correct_deficiencies")
    round_no = app.resubmissions + 1
    app.resubmissions = round_no
    await _material_rows(ctx, app, body.materials, round_no)
    remaining = [p.as_dict() for p in await current_problems(ctx.session, app)]
    app.deficiencies = remaining
    if not remaining:
        app.deficiency_deadline = None
    await trace.append(
        ctx.session,
        app.id,
        action="deficiencies_corrected",
        actor=ctx.actor_id,
        at=ctx.now,
        data={"materials": [m.name for m in body.materials], "remaining": len(remaining)},
    )
    return app


async def revoke_acceptance(ctx: Ctx, app: Application) -> None:
    """The 容缺 correction deadline passed: acceptance is revoked with reasons."""
    owed = "、".join(str(p.get("material")) for p in app.deficiencies)
    reason = (
        f"容缺受理的补正期限{app.deficiency_deadline.isoformat() if app.deficiency_deadline else ''}"
        f"已过，以下材料仍未补齐：{owed}"
    )
    advance(ctx, app, "revoke_acceptance")
    app.closed_reason = reason
    app.closed_at = ctx.now
    notice = await documents.issue(
        ctx,
        app,
        "revocation",
        {"reason": reason, "owed": app.deficiencies},
        unit_code=app.accepting_unit_code or app.owner_unit_code,
        entrustment_id=app.entrustment_id,
    )
    await trace.append(
        ctx.session,
        app.id,
        action="acceptance_revoked",
        actor=ctx.actor_id,
        at=ctx.now,
        data={"reason": reason, "notice_no": notice.number},
    )
    await publish_closed(ctx, app, "acceptance_revoked", notice_no=notice.number)
    await notify(ctx, app, "acceptance_revoked", reason=reason)
