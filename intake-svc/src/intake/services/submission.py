"""Receiving applications (接件): submission with Idempotency-Key, resubmission after a one-time
notice, and withdrawal before the decision."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from yiwang_shared.auth import Principal
from yiwang_shared.errors import Conflict, UnprocessableEntity
from yiwang_shared.orm import new_id

from .. import errors, events
from ..catalogue import CatalogueEntry, find_item_status, find_published_item
from ..models.applications import Application, ApplicationMaterial, IdempotencyKey, StoredFile
from ..orgs import staff_unit_code
from ..schemas import ApplicationResubmit, ApplicationSubmit, ApplicationWithdraw, MaterialSubmit
from ..states import BEFORE_DECISION
from . import access, deadlines, numbering, permissions, stations, trace
from .applicants import ApplicantRecord
from .cases import advance, current_problems
from .context import Ctx
from .facts import publish, publish_closed

APPLY_FOR_SOMEONE = errors.Deed("代为申请", "apply for someone")


def request_hash(body: ApplicationSubmit) -> str:
    """A stable hash of a submission body (same body, same hash)."""
    raw = json.dumps(body.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def deficiency_allowed(entry: CatalogueEntry, configured: Sequence[str]) -> bool:
    """Does the item allow acceptance with deficiencies (容缺受理)?"""
    if entry.code in configured:
        return True
    return any("容缺" in str(m.get("notes") or "") + str(m.get("condition") or "") for m in entry.materials)


def enterprise_of(principal: Principal, body: ApplicationSubmit) -> str | None:
    """The enterprise applied for: named in the body, or the one the token acts for."""
    if body.enterprise_id:
        return body.enterprise_id
    return principal.acting_for.entity_id if principal.acting_for else None


def channel_of(principal: Principal) -> tuple[str, int, str | None]:
    """(channel, visits, assisted_by) of a submission by `principal`; 403 for staff whose roles do
    not receive applications. A window submission is the applicant's visit to the site."""
    if not principal.is_staff:
        return "online", 0, None
    if principal.roles & {"window_clerk", "admin"}:
        return "window", 1, principal.subject
    if "handler" in principal.roles:
        return "assisted", 0, principal.subject  # 帮办代办
    raise errors.role_required(APPLY_FOR_SOMEONE, list(access.HELPER_ROLES))


def acting_person(principal: Principal, body: ApplicationSubmit) -> str:
    """The natural person who applies (the agent, for an enterprise)."""
    if principal.is_staff:
        if body.applicant is None or not body.applicant.id:
            raise UnprocessableEntity(
                "工作人员代为申请时，请填写申请人的统一身份账号（applicant.id），以便记录为谁办理。",
                en="Staff applying for someone must give the applicant's identity-svc person id "
                "(applicant.id), so the case is recorded for whom it was made.",
                code="intake.applicant_required",
                field="applicant.id",
            )
        return body.applicant.id
    return principal.subject


async def find_replay(ctx: Ctx, key: str, body_hash: str) -> Application | None:
    """The application an earlier request with this Idempotency-Key created, if any."""
    assert ctx.actor is not None
    row = await ctx.session.get(IdempotencyKey, (ctx.actor.subject, key))
    if row is None:
        return None
    if row.request_hash != body_hash:
        raise UnprocessableEntity(
            "此 Idempotency-Key 已用于另一份不同的申请，提交新的申请请使用新的 Idempotency-Key。",
            en="This Idempotency-Key was already used with a different request body; use a new key "
            "for a new application.",
            code="intake.idempotency_mismatch",
        )
    return await ctx.session.get(Application, row.application_id)


async def _claim_key(ctx: Ctx, key: str, body_hash: str, application_id: str) -> None:
    assert ctx.actor is not None
    ctx.session.add(
        IdempotencyKey(
            principal=ctx.actor.subject,
            key=key,
            request_hash=body_hash,
            application_id=application_id,
            created_at=ctx.now,
        )
    )
    try:
        await ctx.session.flush()
    except IntegrityError as exc:
        raise Conflict(
            "使用此 Idempotency-Key 的申请正在处理中，请稍后用同一 Idempotency-Key 重试以获取结果。",
            en="A request with this Idempotency-Key is being processed; retry it in a moment to get "
            "its result.",
            code="intake.idempotency_in_progress",
        ) from exc


async def _material_rows(
    ctx: Ctx, app: Application, materials: Sequence[MaterialSubmit], round_no: int
) -> None:
    owners = {app.submitted_by, app.applicant_id, ctx.actor_id}
    for m in materials:
        file_id = None
        if m.file_id:
            stored = await ctx.session.get(StoredFile, m.file_id)
            file_id = stored.id if stored is not None and stored.owner in owners else None
        ctx.session.add(
            ApplicationMaterial(
                application_id=app.id,
                round=round_no,
                name=m.name,
                provided_as=m.provided_as,
                media=list(m.media),
                originals=m.originals,
                copies=m.copies,
                file_id=file_id,
                licence_no=m.licence_no,
                created_at=ctx.now,
            )
        )
    await ctx.session.flush()


async def submit(
    ctx: Ctx,
    body: ApplicationSubmit,
    *,
    applicant: ApplicantRecord,
    idempotency_key: str | None,
    grant_id: str | None,
) -> tuple[Application, bool]:
    """Receive an application for `applicant` (as identity-svc records them); (application,
    created). A retry with the same key replays."""
    principal = ctx.actor
    assert principal is not None
    body_hash = request_hash(body)
    if idempotency_key:
        earlier = await find_replay(ctx, idempotency_key, body_hash)
        if earlier is not None:
            return earlier, False
    application_id = new_id()
    if idempotency_key:
        await _claim_key(ctx, idempotency_key, body_hash, application_id)

    entry = await find_published_item(ctx.session, body.item_code)
    if entry is None:
        if await find_item_status(ctx.session, body.item_code) == "retired":
            raise errors.item_retired(body.item_code)
        raise errors.item_not_found(body.item_code)

    channel, visits, assisted_by = channel_of(principal)
    intake_unit = await staff_unit_code(ctx.session, principal) if principal.is_staff else None
    applicant_id = applicant.id

    calendar = await ctx.calendar()
    legal, unit = entry.limit("legal_limit")
    promised, promised_unit = entry.limit("promised_limit")
    app = Application(
        id=application_id,
        application_no=await numbering.application_no(ctx.session, ctx.today.year),
        item_code=entry.code,
        version_no=entry.version_no,
        item_name=entry.name,
        owner_unit_code=entry.owner_unit_code,
        intake_unit_code=intake_unit,
        channel=channel,
        online=channel == "online",
        applicant_id=applicant_id,
        applicant_name=applicant.name,
        applicant_phone=applicant.phone,
        enterprise_id=enterprise_of(principal, body),
        grant_id=grant_id,
        submitted_by=principal.subject,
        assisted_by=assisted_by,
        representation=applicant.representation,
        status="submitted",
        handling_type=entry.handling_type,
        legal_limit_days=legal,
        promised_limit_days=promised,
        limit_unit=promised_unit if promised is not None else unit,
        deficiency_allowed=deficiency_allowed(entry, ctx.settings.deficiency_item_codes),
        form=body.form,
        conditions=list(body.conditions),
        received_at=ctx.now,
        notice_due_on=deadlines.notice_due_on(calendar, ctx.now, ctx.settings.notice_window_working_days),
        resubmissions=0,
        deemed_accepted=False,
        paused_working_days=0,
        extension_days=0,
        deficiencies=[],
        visits=visits,
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    deadlines.flag_provisional(calendar, app, ctx.today)
    ctx.session.add(app)
    await ctx.session.flush()
    await _material_rows(ctx, app, body.materials, 0)
    problems = await current_problems(ctx.session, app)
    await trace.append(
        ctx.session,
        app.id,
        action="submitted",
        actor=ctx.actor_id,
        at=ctx.now,
        data={
            "item_code": app.item_code,
            "version_no": app.version_no,
            "channel": channel,
            "representation": app.representation,
            "applicant_id": applicant_id,
            # Name and mobile were read from identity-svc, not typed: the trace says so.
            "applicant_source": "identity_contact" if principal.is_staff else "identity_account",
            "enterprise_id": app.enterprise_id,
            "grant_id": grant_id,
            "assisted_by": app.assisted_by,
            "materials": [m.name for m in body.materials],
            "problems": len(problems),
        },
    )
    await stations.forward_collected(ctx, app)
    await publish(ctx, events.ApplicationSubmitted, app, resubmission=0, complete=not problems)
    return app, True


async def resubmit(ctx: Ctx, app: Application, body: ApplicationResubmit) -> Application:
    """Hand in corrections after a one-time notice (补正); the notice window starts again."""
    principal = ctx.actor
    assert principal is not None
    await permissions.authorise(ctx, app, "resubmit")
    advance(ctx, app, "resubmit")
    app.resubmissions += 1
    app.correction_deadline = None
    if body.conditions is not None:
        app.conditions = list(body.conditions)
    in_person = principal.is_staff and "window_clerk" in principal.roles
    if in_person:
        app.visits += 1
    await _material_rows(ctx, app, body.materials, app.resubmissions)
    calendar = await ctx.calendar()
    app.notice_due_on = deadlines.notice_due_on(calendar, ctx.now, ctx.settings.notice_window_working_days)
    deadlines.flag_provisional(calendar, app, ctx.today)
    problems = await current_problems(ctx.session, app)
    await trace.append(
        ctx.session,
        app.id,
        action="resubmitted",
        actor=ctx.actor_id,
        at=ctx.now,
        data={
            "round": app.resubmissions,
            "materials": [m.name for m in body.materials],
            "problems": len(problems),
            "in_person": in_person,
        },
    )
    await publish(
        ctx, events.ApplicationSubmitted, app, resubmission=app.resubmissions, complete=not problems
    )
    return app


async def withdraw(ctx: Ctx, app: Application, body: ApplicationWithdraw) -> Application:
    """Withdraw before the decision (the applicant, or a clerk for them)."""
    await permissions.authorise(ctx, app, "withdraw")
    if app.status not in BEFORE_DECISION:
        raise errors.invalid_transition(app.status, "withdraw")
    advance(ctx, app, "withdraw")
    app.closed_reason = body.reason or "申请人撤回申请"
    app.closed_at = ctx.now
    app.correction_deadline = None
    await trace.append(
        ctx.session,
        app.id,
        action="withdrawn",
        actor=ctx.actor_id,
        at=ctx.now,
        data={"reason": app.closed_reason},
    )
    await publish_closed(ctx, app, "withdrawn", notice_no=None)
    return app


async def list_for(ctx: Ctx, *, status: str | None, limit: int, offset: int) -> tuple[list[Application], int]:
    """One page of the applications the actor may see, newest first, and how many match in all."""
    assert ctx.actor is not None
    where = [await access.visibility(ctx.session, ctx.actor)]
    if status:
        where.append(Application.status == status)
    total = int(await ctx.session.scalar(select(func.count()).select_from(Application).where(*where)) or 0)
    query = (
        select(Application)
        .where(*where)
        .order_by(Application.received_at.desc(), Application.id)
        .limit(limit)
        .offset(offset)
    )
    return list((await ctx.session.execute(query)).scalars()), total
