"""Receiving applications (接件): submission with Idempotency-Key, resubmission after a one-time
notice, and withdrawal before the decision."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from yiwang_shared.auth import Principal
from yiwang_shared.orm import new_id

from .. import errors, events
from ..models.applications import Application, ApplicationMaterial, IdempotencyKey
from ..repositories.applications import ApplicationRepository
from ..repositories.files import FileRepository
from ..repositories.idempotency import IdempotencyKeyRepository
from ..repositories.materials import MaterialRepository
from ..schemas import ApplicationResubmit, ApplicationSubmit, ApplicationWithdraw, MaterialSubmit
from . import access, deadlines, numbering, permissions, stations, trace
from .applicants import ApplicantRecord
from .cases import advance, current_problems
from .catalogue import CatalogueEntry, find_item_status, find_published_item
from .context import ActorCtx, Ctx
from .facts import publish, publish_closed
from .orgs import staff_unit_code

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
            raise errors.ApplicantRequired(
                "工作人员代为申请时，请填写申请人的统一身份账号（applicant.id），以便记录为谁办理。",
                en="Staff applying for someone must give the applicant's identity-svc person id "
                "(applicant.id), so the case is recorded for whom it was made.",
                field="applicant.id",
            )
        return body.applicant.id
    return principal.subject


async def find_replay(ctx: ActorCtx, key: str, body_hash: str) -> Application | None:
    """The application an earlier request with this Idempotency-Key created, if any."""
    row = await IdempotencyKeyRepository(ctx.session).find(ctx.actor.subject, key)
    if row is None:
        return None
    if row.request_hash != body_hash:
        raise errors.IdempotencyMismatch(
            "此 Idempotency-Key 已用于另一份不同的申请，提交新的申请请使用新的 Idempotency-Key。",
            en="This Idempotency-Key was already used with a different request body; use a new key "
            "for a new application.",
        )
    return await ApplicationRepository(ctx.session).find(row.application_id)


async def _claim_key(ctx: ActorCtx, key: str, body_hash: str, application_id: str) -> None:
    """Hold the Idempotency-Key for this submission; 409 while another request holds it."""
    claimed = await IdempotencyKeyRepository(ctx.session).claim(
        IdempotencyKey(
            principal=ctx.actor.subject,
            key=key,
            request_hash=body_hash,
            application_id=application_id,
            created_at=ctx.now,
        )
    )
    if not claimed:
        raise errors.IdempotencyInProgress(
            "使用此 Idempotency-Key 的申请正在处理中，请稍后用同一 Idempotency-Key 重试以获取结果。",
            en="A request with this Idempotency-Key is being processed; retry it in a moment to get "
            "its result.",
        )


async def record_materials(
    ctx: Ctx, application: Application, materials: Sequence[MaterialSubmit], round_no: int
) -> None:
    """Record the materials handed in in round `round_no` (a file counts only if the applicant's
    side uploaded it)."""
    owners = {application.submitted_by, application.applicant_id, ctx.actor_id}
    files, rows = FileRepository(ctx.session), MaterialRepository(ctx.session)
    for m in materials:
        file_id = None
        if m.file_id:
            stored = await files.find(m.file_id)
            file_id = stored.id if stored is not None and stored.owner in owners else None
        rows.add(
            ApplicationMaterial(
                application_id=application.id,
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


async def _item_in_force(ctx: Ctx, item_code: str) -> CatalogueEntry:
    """The version in force of the item applied for; 404 (unknown) or 409 (retired) otherwise."""
    entry = await find_published_item(ctx.session, item_code)
    if entry is None:
        if await find_item_status(ctx.session, item_code) == "retired":
            raise errors.item_retired(item_code)
        raise errors.item_not_found(item_code)
    return entry


async def _new_application(
    ctx: ActorCtx,
    application_id: str,
    body: ApplicationSubmit,
    entry: CatalogueEntry,
    applicant: ApplicantRecord,
    grant_id: str | None,
) -> Application:
    """The application as received, its deadlines counted (not yet staged)."""
    principal = ctx.actor
    channel, visits, assisted_by = channel_of(principal)
    intake_unit = await staff_unit_code(ctx.session, principal) if principal.is_staff else None
    calendar = await ctx.calendar()
    legal, unit = entry.limit("legal_limit")
    promised, promised_unit = entry.limit("promised_limit")
    application = Application(
        id=application_id,
        application_no=await numbering.application_no(ctx.session, ctx.today.year),
        item_code=entry.code,
        version_no=entry.version_no,
        item_name=entry.name,
        owner_unit_code=entry.owner_unit_code,
        intake_unit_code=intake_unit,
        channel=channel,
        online=channel == "online",
        applicant_id=applicant.id,
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
    deadlines.flag_provisional(calendar, application, ctx.today)
    return application


async def submit(
    ctx: ActorCtx,
    body: ApplicationSubmit,
    *,
    applicant: ApplicantRecord,
    idempotency_key: str | None,
    grant_id: str | None,
) -> tuple[Application, bool]:
    """Receive an application for `applicant` (as identity-svc records them); (application,
    created). A retry with the same key replays."""
    body_hash = request_hash(body)
    if idempotency_key:
        earlier = await find_replay(ctx, idempotency_key, body_hash)
        if earlier is not None:
            return earlier, False
    application_id = new_id()
    if idempotency_key:
        await _claim_key(ctx, idempotency_key, body_hash, application_id)
    entry = await _item_in_force(ctx, body.item_code)
    application = await _new_application(ctx, application_id, body, entry, applicant, grant_id)
    ApplicationRepository(ctx.session).add(application)
    await ctx.session.flush()
    await record_materials(ctx, application, body.materials, 0)
    problems = await current_problems(ctx.session, application)
    await trace.append(
        ctx.session,
        application.id,
        action="submitted",
        actor=ctx.actor_id,
        at=ctx.now,
        data={
            "item_code": application.item_code,
            "version_no": application.version_no,
            "channel": application.channel,
            "representation": application.representation,
            "applicant_id": applicant.id,
            # Name and mobile were read from identity-svc, not typed: the trace says so.
            "applicant_source": "identity_contact" if ctx.actor.is_staff else "identity_account",
            "enterprise_id": application.enterprise_id,
            "grant_id": grant_id,
            "assisted_by": application.assisted_by,
            "materials": [m.name for m in body.materials],
            "problems": len(problems),
        },
    )
    await stations.forward_collected(ctx, application)
    await publish(ctx, events.ApplicationSubmitted, application, resubmission=0, complete=not problems)
    return application, True


async def resubmit(ctx: ActorCtx, application: Application, body: ApplicationResubmit) -> Application:
    """Hand in corrections after a one-time notice (补正); the notice window starts again."""
    principal = ctx.actor
    await permissions.authorise(ctx, application, "resubmit")
    advance(ctx, application, "resubmit")
    application.resubmissions += 1
    application.correction_deadline = None
    if body.conditions is not None:
        application.conditions = list(body.conditions)
    in_person = principal.is_staff and "window_clerk" in principal.roles
    if in_person:
        application.visits += 1
    await record_materials(ctx, application, body.materials, application.resubmissions)
    calendar = await ctx.calendar()
    application.notice_due_on = deadlines.notice_due_on(
        calendar, ctx.now, ctx.settings.notice_window_working_days
    )
    deadlines.flag_provisional(calendar, application, ctx.today)
    problems = await current_problems(ctx.session, application)
    await trace.append(
        ctx.session,
        application.id,
        action="resubmitted",
        actor=ctx.actor_id,
        at=ctx.now,
        data={
            "round": application.resubmissions,
            "materials": [m.name for m in body.materials],
            "problems": len(problems),
            "in_person": in_person,
        },
    )
    await publish(
        ctx,
        events.ApplicationSubmitted,
        application,
        resubmission=application.resubmissions,
        complete=not problems,
    )
    return application


async def withdraw(ctx: ActorCtx, application: Application, body: ApplicationWithdraw) -> Application:
    """Withdraw before the decision (the applicant, or a clerk for them)."""
    await permissions.authorise(ctx, application, "withdraw")
    advance(ctx, application, "withdraw")
    application.closed_reason = body.reason or "申请人撤回申请"
    application.closed_at = ctx.now
    application.correction_deadline = None
    await trace.append(
        ctx.session,
        application.id,
        action="withdrawn",
        actor=ctx.actor_id,
        at=ctx.now,
        data={"reason": application.closed_reason},
    )
    await publish_closed(ctx, application, "withdrawn", notice_no=None)
    return application


async def list_for(
    ctx: ActorCtx, *, status: str | None, limit: int, offset: int
) -> tuple[list[Application], int]:
    """One page of the applications the actor may see, newest first, and how many match in all."""
    viewer = await access.viewer_of(ctx.session, ctx.actor)
    return await ApplicationRepository(ctx.session).page_visible(
        viewer, status=status, limit=limit, offset=offset
    )
