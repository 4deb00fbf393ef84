"""Receiving applications (接件): submission with Idempotency-Key, resubmission after a one-time
notice, and withdrawal before the decision."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import local_date
from yiwang_shared.orm import new_id
from yiwang_shared.pagination import PageParams

from .. import errors, events
from ..config import Settings
from ..models.applications import Application, ApplicationMaterial, IdempotencyKey
from ..repositories.applications import ApplicationRepository
from ..repositories.files import FileRepository
from ..repositories.idempotency import IdempotencyKeyRepository
from ..schemas import ApplicationResubmit, ApplicationSubmit, ApplicationWithdraw, MaterialSubmit
from . import access, commitments, deadlines, library, numbering, permissions, stations, trace
from .applicants import ApplicantRecord
from .cases import OFFER_KEY, advance, current_problems, provided_materials, version_of
from .catalogue import CatalogueEntry, find_item_status, find_published_item
from .facts import publish, publish_closed
from .library import HeldLicence
from .orgs import staff_unit_code
from .read_models import working_calendar
from .storage import within_validity

APPLY_FOR_SOMEONE = errors.Deed("代为申请", "apply for someone")


@dataclass(frozen=True)
class BundlePlace:
    """Where a case stands in the 一件事 submission that makes it."""

    bundle_application_id: str
    stage: int
    position: int
    #: The window that receives the bundle's cases when nobody's window did (online).
    window: str | None = None


def request_hash(body: BaseModel) -> str:
    """A stable hash of a submission body (same body, same hash)."""
    raw = json.dumps(body.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def handed_in(materials: Sequence[MaterialSubmit]) -> int:
    """How many materials the applicant had to bring: on paper or uploaded (not fetched, exempt)."""
    return sum(1 for m in materials if m.provided_as in ("paper", "upload"))


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


async def find_replay(
    session: AsyncSession, key: str, body_hash: str, actor: Principal
) -> Application | None:
    """The application an earlier request with this Idempotency-Key created, if any."""
    row = await IdempotencyKeyRepository(session).find(actor.subject, key)
    if row is None:
        return None
    if row.request_hash != body_hash:
        raise errors.IdempotencyMismatch(
            "此 Idempotency-Key 已用于另一份不同的申请，提交新的申请请使用新的 Idempotency-Key。",
            en="This Idempotency-Key was already used with a different request body; use a new key "
            "for a new application.",
        )
    return await ApplicationRepository(session).find(row.application_id)


async def _claim_key(
    session: AsyncSession, key: str, body_hash: str, application_id: str, actor: Principal, *, now: datetime
) -> Application | None:
    """Hold the Idempotency-Key for this submission (None), or the application an earlier request
    with the key created (a replay); 422 when that request had another body, 409 when the key
    names no application. One statement when the key is new; on PostgreSQL a concurrent request
    holding the key is waited for, and then replayed."""
    claimed = await IdempotencyKeyRepository(session).claim(
        IdempotencyKey(
            principal=actor.subject,
            key=key,
            request_hash=body_hash,
            application_id=application_id,
            created_at=now,
        )
    )
    if claimed:
        return None
    earlier = await find_replay(session, key, body_hash, actor)
    if earlier is None:
        raise errors.IdempotencyInProgress(
            "使用此 Idempotency-Key 的申请正在处理中，请稍后用同一 Idempotency-Key 重试以获取结果。",
            en="A request with this Idempotency-Key is being processed; retry it in a moment to get "
            "its result.",
        )
    return earlier


async def record_materials(
    session: AsyncSession,
    application: Application,
    materials: Sequence[MaterialSubmit],
    round_no: int,
    actor: Principal,
    *,
    now: datetime,
    held: Mapping[str, HeldLicence] | None = None,
) -> None:
    """Record the materials handed in in round `round_no` (a file counts only if the applicant's
    side uploaded it) and those the licence library holds for the applicant (`held`)."""
    owners = {application.submitted_by, application.applicant_id, actor.subject}
    files, cases = FileRepository(session), ApplicationRepository(session)
    held = dict(held or {})
    for m in materials:
        file_id = None
        if m.file_id:
            stored = await files.find(m.file_id)
            # Only the applicant's side's own file, within its reuse validity (材料复用).
            mine = stored is not None and stored.owner in owners and within_validity(stored, now)
            file_id = stored.id if stored is not None and mine else None
        row = ApplicationMaterial(
            application_id=application.id,
            round=round_no,
            name=m.name,
            provided_as=m.provided_as,
            media=list(m.media),
            originals=m.originals,
            copies=m.copies,
            file_id=file_id,
            licence_no=m.licence_no,
            created_at=now,
        )
        if m.provided_as == "e_licence" and m.name in held:
            _fetched(row, held.pop(m.name))
        cases.add_child(application, "materials", row)
    for licence in held.values():
        row = ApplicationMaterial(
            application_id=application.id,
            round=round_no,
            name=licence.material,
            provided_as="e_licence",
            media=["electronic"],
            originals=0,
            copies=0,
            created_at=now,
        )
        cases.add_child(application, "materials", _fetched(row, licence))


async def add_fetched(
    session: AsyncSession,
    application: Application,
    licences: Sequence[Mapping[str, Any]],
    actor: Principal,
    *,
    now: datetime,
) -> None:
    """Record on the case the materials the library gave for it at the window (两个免于提交); 409
    once its acceptance is decided."""
    if application.status not in ("submitted", "correction_requested"):
        raise errors.licence_fetch_not_now(application.status)
    version = await version_of(session, application)
    provided = await provided_materials(session, application)
    held = library.match(version.materials, application.conditions, provided, licences)
    round_no = max((m.round for m in application.materials), default=0)
    await record_materials(session, application, [], round_no, actor, now=now, held=held)
    trace.append(
        session,
        application,
        action="licences_fetched",
        actor=actor.subject,
        at=now,
        data={"fetched": [_fetched_entry(h) for h in held.values()]},
    )


def _fetched(row: ApplicationMaterial, licence: HeldLicence) -> ApplicationMaterial:
    """The material row as the library confirmed it: which licence, its state and validity."""
    row.licence_no, row.licence_type_code = licence.number, licence.type_code
    row.licence_status, row.licence_valid_until = licence.status, licence.valid_until
    return row


async def _item_in_force(session: AsyncSession, item_code: str) -> CatalogueEntry:
    """The version in force of the item applied for; 404 (unknown) or 409 (retired) otherwise."""
    entry = await find_published_item(session, item_code)
    if entry is None:
        if await find_item_status(session, item_code) == "retired":
            raise errors.item_retired(item_code)
        raise errors.item_not_found(item_code)
    return entry


async def _new_application(
    session: AsyncSession,
    application_id: str,
    body: ApplicationSubmit,
    actor: Principal,
    *,
    entry: CatalogueEntry,
    applicant: ApplicantRecord,
    grant_id: str | None,
    now: datetime,
    settings: Settings,
) -> Application:
    """The application as received, its deadlines counted (not yet staged)."""
    channel, visits, assisted_by = channel_of(actor)
    intake_unit = await staff_unit_code(session, actor) if actor.is_staff else None
    calendar = await working_calendar(session)
    legal, unit = entry.limit("legal_limit")
    promised, promised_unit = entry.limit("promised_limit")
    today = local_date(now)
    application = Application(
        id=application_id,
        application_no=await numbering.application_no(session, today.year),
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
        enterprise_id=enterprise_of(actor, body),
        grant_id=grant_id,
        submitted_by=actor.subject,
        assisted_by=assisted_by,
        representation=applicant.representation,
        status="submitted",
        handling_type=entry.handling_type,
        legal_limit_days=legal,
        promised_limit_days=promised,
        limit_unit=promised_unit if promised is not None else unit,
        deficiency_allowed=deficiency_allowed(entry, settings.deficiency_item_codes),
        form=body.form,
        conditions=list(body.conditions),
        received_at=now,
        notice_due_on=deadlines.notice_due_on(calendar, now, settings.notice_window_working_days),
        resubmissions=0,
        deemed_accepted=False,
        paused_working_days=0,
        extension_days=0,
        deficiencies=[],
        visits=visits,
        trace_seq=0,
        created_at=now,
        updated_at=now,
        # A new case has nothing hanging off it yet: its collections are in memory from the start.
        materials=[],
        notices=[],
        steps=[],
        pauses=[],
    )
    deadlines.flag_provisional(calendar, application, today)
    return application


async def submit(
    session: AsyncSession,
    body: ApplicationSubmit,
    actor: Principal,
    *,
    applicant: ApplicantRecord,
    idempotency_key: str | None,
    grant_id: str | None,
    now: datetime,
    settings: Settings,
    bundle: BundlePlace | None = None,
    licences: Sequence[Mapping[str, Any]] = (),
    from_offer: bool = False,
) -> tuple[Application, bool]:
    """Receive an application for `applicant` (as identity-svc records them); (application,
    created). A retry with the same key replays. `bundle`: the case is one of a 一件事 submission.
    `licences`: the applicant's valid licences as the library answered (两个免于提交). `from_offer`:
    opened by confirming a 免申即享 offer (its form marks it; a client's form may not)."""
    if OFFER_KEY in body.form and not from_offer:
        raise errors.form_key_reserved(OFFER_KEY)
    application_id = new_id()
    if idempotency_key:
        earlier = await _claim_key(
            session, idempotency_key, request_hash(body), application_id, actor, now=now
        )
        if earlier is not None:
            return earlier, False
    entry = await _item_in_force(session, body.item_code)
    application = await _new_application(
        session,
        application_id,
        body,
        actor,
        entry=entry,
        applicant=applicant,
        grant_id=grant_id,
        now=now,
        settings=settings,
    )
    if body.commitment is not None:
        await commitments.sign(session, application, entry, body.commitment, now=now)
    if bundle is not None:
        _place_in_bundle(application, bundle)
    ApplicationRepository(session).add(application)
    held = library.match(entry.materials, body.conditions, body.materials, licences)
    await record_materials(session, application, body.materials, 0, actor, now=now, held=held)
    problems = await current_problems(session, application)
    trace.append(
        session,
        application,
        action="submitted",
        actor=actor.subject,
        at=now,
        data=_submitted_entry(application, body, actor, grant_id, held, len(problems), bundle),
    )
    await stations.forward_collected(session, application, actor, now=now)
    await publish(
        session,
        application,
        events.ApplicationSubmitted,
        actor,
        resubmission=0,
        complete=not problems,
        materials_handed_in=handed_in(body.materials),
    )
    return application, True


def _submitted_entry(
    application: Application,
    body: ApplicationSubmit,
    actor: Principal,
    grant_id: str | None,
    held: Mapping[str, HeldLicence],
    problems: int,
    bundle: BundlePlace | None,
) -> dict[str, Any]:
    """The trace's record of a submission."""
    return {
        "item_code": application.item_code,
        "version_no": application.version_no,
        "channel": application.channel,
        "representation": application.representation,
        "applicant_id": application.applicant_id,
        # Name and mobile were read from identity-svc, not typed: the trace says so.
        "applicant_source": "identity_contact" if actor.is_staff else "identity_account",
        "enterprise_id": application.enterprise_id,
        "grant_id": grant_id,
        "assisted_by": application.assisted_by,
        "materials": [m.name for m in body.materials],
        # Fetched from the licence library, not handed in: which licence, in what state then.
        **({"fetched": [_fetched_entry(h) for h in held.values()]} if held else {}),
        "problems": problems,
        **({"bundle_application_id": bundle.bundle_application_id} if bundle else {}),
        # The commitment's text is part of the record: what was signed, word for word.
        **({"commitment": application.commitment} if application.commitment else {}),
    }


def _place_in_bundle(application: Application, bundle: BundlePlace) -> None:
    application.bundle_application_id = bundle.bundle_application_id
    application.bundle_stage, application.bundle_position = bundle.stage, bundle.position
    application.intake_unit_code = application.intake_unit_code or bundle.window
    if bundle.position:
        application.visits = 0  # one visit to the window for the whole bundle, however many cases


def _fetched_entry(licence: HeldLicence) -> dict[str, Any]:
    return {
        "material": licence.material,
        "type_code": licence.type_code,
        "licence_no": library.shown_number(licence.number),  # the trace is read by every viewer
        "status": licence.status,
        "valid_until": licence.valid_until.isoformat() if licence.valid_until else None,
    }


async def resubmit(
    session: AsyncSession,
    application: Application,
    body: ApplicationResubmit,
    actor: Principal,
    *,
    now: datetime,
    settings: Settings,
) -> Application:
    """Hand in corrections after a one-time notice (补正); the notice window starts again."""
    await permissions.authorise(session, application, "resubmit", actor, now=now)
    advance(application, "resubmit", now=now)
    application.resubmissions += 1
    application.correction_deadline = None
    if body.conditions is not None:
        application.conditions = list(body.conditions)
    in_person = actor.is_staff and "window_clerk" in actor.roles
    if in_person:
        application.visits += 1
    await record_materials(session, application, body.materials, application.resubmissions, actor, now=now)
    calendar = await working_calendar(session)
    application.notice_due_on = deadlines.notice_due_on(calendar, now, settings.notice_window_working_days)
    deadlines.flag_provisional(calendar, application, local_date(now))
    problems = await current_problems(session, application)
    trace.append(
        session,
        application,
        action="resubmitted",
        actor=actor.subject,
        at=now,
        data={
            "round": application.resubmissions,
            "materials": [m.name for m in body.materials],
            "problems": len(problems),
            "in_person": in_person,
        },
    )
    await publish(
        session,
        application,
        events.ApplicationSubmitted,
        actor,
        resubmission=application.resubmissions,
        complete=not problems,
        materials_handed_in=handed_in(body.materials),
    )
    return application


async def withdraw(
    session: AsyncSession,
    application: Application,
    body: ApplicationWithdraw,
    actor: Principal,
    *,
    now: datetime,
) -> Application:
    """Withdraw before the decision (the applicant, or a clerk for them)."""
    await permissions.authorise(session, application, "withdraw", actor, now=now)
    advance(application, "withdraw", now=now)
    application.closed_reason = body.reason or "申请人撤回申请"
    application.closed_at = now
    application.correction_deadline = None
    trace.append(
        session,
        application,
        action="withdrawn",
        actor=actor.subject,
        at=now,
        data={"reason": application.closed_reason},
    )
    await publish_closed(session, application, "withdrawn", actor, notice_no=None, now=now)
    return application


async def list_for(
    session: AsyncSession, actor: Principal, *, status: str | None, limit: int, offset: int
) -> tuple[list[Application], int]:
    """One page of the applications the actor may see, newest first, and how many match in all."""
    viewer = await access.viewer_of(session, actor)
    return await ApplicationRepository(session).page_visible(
        viewer, status=status, page=PageParams(limit=limit, offset=offset)
    )
