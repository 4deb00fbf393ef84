"""一件事 through intake: a bundle of the catalogue applied for in one submission.

One merged form and one set of materials (each handed in once, given to every item that asks for
it), one completeness check and one one-time notice, one acceptance number; then a case per item
for its deciding department, the items of a stage in parallel and a later stage once every case of
the earlier ones is approved; the status is the combination of the cases'; one delivery.

The cases are ordinary applications, so every rule of a case (who may accept it, its deadlines,
its trace, its events) holds for them: the steps here take the cases' own steps inside
`acting_for_bundle()`, the only place a bundle's case takes them (`bundle_steps`). The applicant
hears from the bundle, once per step, not from each case.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import local_date
from yiwang_shared.orm import as_utc, new_id, utcnow
from yiwang_shared.pagination import PageParams
from yiwang_shared.providers.logistics import LogisticsClient

from .. import errors
from ..config import Settings
from ..models.applications import Application
from ..models.bundles import BundleApplication, CatalogueBundle
from ..models.fees import Waybill
from ..repositories.bundles import BundleApplicationRepository, CatalogueBundleRepository
from ..schemas import (
    ApplicationAccept,
    ApplicationDeliver,
    ApplicationResubmit,
    ApplicationSubmit,
    MaterialSubmit,
    NoticeIssue,
    WaybillCreate,
)
from ..schemas.bundles import BundleAction, BundleApplicationSubmit
from . import acceptance, access, delivery, numbering, orgs, permissions, submission, trace, waybills
from .acceptance_checks import ACCEPTING_ROLES
from .applicants import ApplicantRecord
from .bundle_steps import acting_for_bundle
from .cases import advance, current_problems, decided_at_once, version_of
from .catalogue import CatalogueEntry, find_item_status, find_published_item
from .facts import publish_closed
from .notification_outbox import queue_message

#: Case states in which a case is over without a decision to deliver.
CLOSED = frozenset({"withdrawn", "acceptance_revoked", "not_accepted", "correction_expired"})
#: Case states after the department decided.
DECIDED = frozenset({"approved", "refused", "completed", "delivered"})


# --- the read model ------------------------------------------------------------------------------


async def record_bundle_published(session: AsyncSession, data: dict[str, Any]) -> None:
    """Apply a catalog.bundle.published.v1 payload: keep the bundle (a redelivery changes nothing,
    an older publication never overwrites a newer one)."""
    bundles = CatalogueBundleRepository(session)
    published_at = as_utc(datetime.fromisoformat(str(data["published_at"])))
    items = [
        {
            "item_code": str(i["item_code"]),
            "item_name": str(i["item_name"]),
            "owner_unit_code": str(i["owner_unit_code"]),
            "stage": int(i["stage"]),
        }
        for i in data["items"]
    ]
    row = await bundles.find(str(data["bundle_code"]))
    if row is None:
        bundles.add(
            CatalogueBundle(
                code=str(data["bundle_code"]),
                name=str(data["name"]),
                description=data.get("description"),
                items=items,
                published_at=published_at,
                updated_at=utcnow(),
            )
        )
    elif published_at > as_utc(row.published_at):
        row.name, row.description, row.items = str(data["name"]), data.get("description"), items
        row.published_at, row.updated_at = published_at, utcnow()
    await session.flush()


# --- receiving -----------------------------------------------------------------------------------


async def bundle_in_force(session: AsyncSession, code: str) -> tuple[CatalogueBundle, list[CatalogueEntry]]:
    """The bundle and the version in force of each of its items; 422 for an unknown bundle or a
    retired item."""
    bundle = await CatalogueBundleRepository(session).find(code)
    if bundle is None:
        raise errors.bundle_not_found(code)
    entries = []
    for member in bundle.items:
        entry = await find_published_item(session, member["item_code"])
        if entry is None:
            if await find_item_status(session, member["item_code"]) == "retired":
                raise errors.item_retired(member["item_code"])
            raise errors.item_not_found(member["item_code"])
        entries.append(entry)
    return bundle, entries


def _names(entry: CatalogueEntry) -> set[str]:
    return {str(m.get("name")) for m in entry.materials}


def _share(materials: Sequence[MaterialSubmit], names: set[str]) -> list[MaterialSubmit]:
    """The materials an item asks for, out of those handed in once for the bundle."""
    return [m for m in materials if m.name in names]


def _check_materials(materials: Sequence[MaterialSubmit], wanted: set[str], bundle_name: str) -> None:
    """422 for a material none of the items concerned asks for: it would be lost."""
    for m in materials:
        if m.name not in wanted:
            raise errors.material_not_in_bundle(m.name, bundle_name)


def item_body(body: BundleApplicationSubmit, entry: CatalogueEntry) -> ApplicationSubmit:
    """The submission of one item: the merged form, and the conditions and materials it asks for."""
    names = _names(entry)
    return ApplicationSubmit(
        item_code=entry.code,
        applicant=body.applicant,
        enterprise_id=body.enterprise_id,
        form=body.form,
        conditions=[c for c in body.conditions if c in names],
        materials=_share(body.materials, names),
    )


async def submit(
    session: AsyncSession,
    body: BundleApplicationSubmit,
    actor: Principal,
    *,
    applicant: ApplicantRecord,
    grant_id: str | None,
    idempotency_key: str | None,
    now: datetime,
    settings: Settings,
    licences: Sequence[Mapping[str, Any]] = (),
) -> tuple[BundleApplication, bool]:
    """Receive a bundle application: a case per item, each given what it asks for; (bundle
    application, created). A retry with the same Idempotency-Key replays. Online, every case goes
    to the centre's 一件事 window, which accepts them as one; `licences`: the applicant's valid
    licences as the library answered (materials it holds are fetched, not handed in)."""
    body_hash = submission.request_hash(body)
    if idempotency_key:
        earlier = await BundleApplicationRepository(session).find_by_key(actor.subject, idempotency_key)
        if earlier is not None:
            if earlier.request_hash != body_hash:
                raise errors.IdempotencyMismatch(
                    "此 Idempotency-Key 已用于另一份不同的申请，提交新的申请请使用新的 Idempotency-Key。",
                    en="This Idempotency-Key was already used with a different request body.",
                )
            return earlier, False
    bundle, entries = await bundle_in_force(session, body.bundle_code)
    _check_materials(body.materials, set().union(*(_names(e) for e in entries)), bundle.name)
    channel, _visits, _assisted = submission.channel_of(actor)
    today = local_date(now)
    row = BundleApplication(
        id=new_id(),
        bundle_no=f"YJ{today.year}{await numbering.next_value(session, f'bundle-{today.year}'):08d}",
        bundle_code=bundle.code,
        bundle_name=bundle.name,
        applicant_id=applicant.id,
        applicant_name=applicant.name,
        applicant_phone=applicant.phone,
        enterprise_id=submission.enterprise_of(actor, item_body(body, entries[0])),
        submitted_by=actor.subject,
        intake_unit_code=None,
        channel=channel,
        received_at=now,
        notice_numbers=[],
        idempotency_key=idempotency_key,
        request_hash=body_hash if idempotency_key else None,
        created_at=now,
        updated_at=now,
    )
    BundleApplicationRepository(session).add(row)
    stages = {m["item_code"]: int(m["stage"]) for m in bundle.items}
    # Online no department alone sees every case: the centre's 一件事 window receives them all.
    window = None if actor.is_staff else await orgs.bundle_window(session, settings.bundle_window_unit_code)
    for position, entry in enumerate(entries):
        case, _ = await submission.submit(
            session,
            item_body(body, entry),
            actor,
            applicant=applicant,
            idempotency_key=None,
            grant_id=grant_id,
            now=now,
            settings=settings,
            bundle=submission.BundlePlace(row.id, stages[entry.code], position, window),
            licences=licences,
        )
        row.intake_unit_code = case.intake_unit_code
    return row, True


# --- reading -------------------------------------------------------------------------------------


async def get_visible(
    session: AsyncSession, actor: Principal, bundle_application_id: str, *, for_update: bool = False
) -> BundleApplication:
    """The bundle application if `actor` may see it (theirs, or one of its cases is), else 404."""
    bundles = BundleApplicationRepository(session)
    row = await bundles.find(bundle_application_id, for_update=for_update)
    if row is None:
        raise errors.bundle_application_not_found(bundle_application_id)
    if actor.subject in (row.applicant_id, row.submitted_by):
        return row
    if await bundles.visible_to(row.id, await access.viewer_of(session, actor)):
        return row
    raise errors.bundle_application_not_found(bundle_application_id)


async def cases_of(
    session: AsyncSession, row: BundleApplication, *, for_update: bool = False
) -> list[Application]:
    """The bundle application's cases in the bundle's order, with what hangs off them."""
    return await BundleApplicationRepository(session).cases(row.id, for_update=for_update)


def combined_status(row: BundleApplication, cases: Sequence[Application]) -> str:
    """The bundle application's status from its cases' (see `BundleStatus`)."""
    live = [c for c in cases if c.status not in CLOSED]
    if not live:
        return "closed"
    states = {c.status for c in live}
    if "correction_requested" in states:
        return "correction_requested"
    if states == {"submitted"}:
        return "submitted"
    if states <= {"completed", "delivered"}:
        return "delivered" if row.delivered_at is not None else "ready"
    return "in_progress"


def current_stage(cases: Sequence[Application]) -> int | None:
    """The earliest stage with a live case not yet decided (None when every one is)."""
    waiting = [c.bundle_stage or 1 for c in cases if c.status not in CLOSED | DECIDED]
    return min(waiting) if waiting else None


async def merged_problems(session: AsyncSession, cases: Sequence[Application]) -> list[dict[str, Any]]:
    """The one completeness check: the problems of the cases not yet accepted, each material once."""
    merged: dict[str, dict[str, Any]] = {}
    for case in cases:
        if case.status not in ("submitted", "correction_requested"):
            continue
        for p in await current_problems(session, case):
            row = merged.setdefault(
                p.material, {"material": p.material, "message": p.message, "item_codes": []}
            )
            row["item_codes"].append(case.item_code)
    return list(merged.values())


async def offered_actions(
    session: AsyncSession,
    row: BundleApplication,
    cases: Sequence[Application],
    actor: Principal,
    *,
    now: datetime,
) -> list[BundleAction]:
    """What the caller may do with the bundle application now: a step every case concerned allows
    the caller (the cases' own rules, taken for the bundle)."""
    status = combined_status(row, cases)
    concerned: dict[BundleAction, list[Application]] = {
        "issue_notice": [c for c in cases if c.status == "submitted"] if status == "submitted" else [],
        "accept": [c for c in cases if c.status == "submitted"] if status == "submitted" else [],
        "resubmit": [c for c in cases if c.status == "correction_requested"],
        "deliver": [c for c in cases if c.status == "completed"] if status == "ready" else [],
    }
    offered: list[BundleAction] = []
    with acting_for_bundle():
        for action, targets in concerned.items():
            if not targets:
                continue
            allowed = True
            for case in targets:
                mine = await permissions.offered_actions(session, case, actor, now=now)
                step = "accept_on_the_spot" if action == "accept" and decided_at_once(case) else action
                if step not in mine:
                    allowed = False
                    break
            if allowed:
                offered.append(action)
    return offered


async def page_for(
    session: AsyncSession, actor: Principal, page: PageParams
) -> tuple[list[BundleApplication], int]:
    """One page of the bundle applications the actor may see, newest first, and the total."""
    viewer = await access.viewer_of(session, actor)
    return await BundleApplicationRepository(session).page_visible(viewer, page)


# --- the steps taken once for the whole bundle ---------------------------------------------------


async def _tell(
    session: AsyncSession, row: BundleApplication, cases: Sequence[Application], kind: str, **params: Any
) -> None:
    """Queue the bundle's one SMS of `kind` to the applicant."""
    base = {"application_no": row.bundle_no, "item_name": row.bundle_name}
    await queue_message(
        session,
        kind=kind,
        phone=row.applicant_phone,
        person_id=row.applicant_id,
        application_id=cases[0].id if cases else None,
        params={k: str(v) for k, v in {**base, **params}.items()},
    )


async def issue_notice(
    session: AsyncSession,
    row: BundleApplication,
    body: NoticeIssue,
    actor: Principal,
    *,
    now: datetime,
    settings: Settings,
) -> BundleApplication:
    """The one one-time notice (一次性告知) for the whole bundle: every case with a problem gets its
    notice, the applicant one message listing each material once."""
    access.require_role(actor, permissions.ISSUE_NOTICE, ACCEPTING_ROLES)
    cases = await cases_of(session, row, for_update=True)
    if combined_status(row, cases) != "submitted":
        raise errors.bundle_not_ready(
            "只有全部事项均为“已接件”时才能出具一次性告知书。",
            "A one-time notice is issued while every case of the bundle is submitted.",
        )
    notices = []
    missing: set[str] = set()
    with acting_for_bundle():
        for case in cases:
            if case.status != "submitted":
                continue
            extra = [p for p in body.extra_problems if p.material in _names(await version_of(session, case))]
            problems = await current_problems(session, case)
            if not problems and not extra:
                continue
            notice = await acceptance.issue_notice(
                session, case, NoticeIssue(extra_problems=extra), actor, now=now, settings=settings
            )
            notices.append(notice.number)
            missing |= {str(p["material"]) for p in notice.content.get("problems", [])}
    if not notices:
        raise errors.NothingToCorrect(
            "各事项申请材料均已齐全，也没有填写需要补正的问题，无需出具一次性告知书，请直接受理。",
            en="Every case of the bundle is complete and no problem was given: accept it instead.",
        )
    row.notice_numbers = [*row.notice_numbers, *notices]
    row.updated_at = now
    deadlines = [c.correction_deadline for c in cases if c.correction_deadline is not None]
    await _tell(
        session, row, cases, "notice_issued", missing_count=len(missing), deadline=min(deadlines).isoformat()
    )
    return row


async def resubmit(
    session: AsyncSession,
    row: BundleApplication,
    body: ApplicationResubmit,
    actor: Principal,
    *,
    now: datetime,
    settings: Settings,
) -> BundleApplication:
    """Hand in the corrections once: every case awaiting them gets those it asks for."""
    if actor.subject not in (row.applicant_id, row.submitted_by):
        access.require_role(actor, permissions.CORRECT, access.HELPER_ROLES)
    cases = await cases_of(session, row, for_update=True)
    waiting = [c for c in cases if c.status == "correction_requested"]
    if not waiting:
        raise errors.bundle_not_ready(
            "该“一件事”没有待补正的事项，无需补正材料。",
            "No case of the bundle is waiting for corrections.",
        )
    entries = {c.id: await version_of(session, c) for c in waiting}
    _check_materials(body.materials, set().union(*(_names(e) for e in entries.values())), row.bundle_name)
    with acting_for_bundle():
        for case in waiting:
            names = _names(entries[case.id])
            conditions = None if body.conditions is None else [c for c in body.conditions if c in names]
            share = _share(body.materials, names)
            if not share:
                raise errors.bundle_not_ready(
                    f"“{case.item_name}”尚待补正，补正材料中没有它需要的材料，请一并提交。",
                    f"The corrections hold nothing case {case.application_no} waits for.",
                )
            await submission.resubmit(
                session,
                case,
                ApplicationResubmit(conditions=conditions, materials=share),
                actor,
                now=now,
                settings=settings,
            )
    row.updated_at = now
    return row


async def accept(
    session: AsyncSession,
    row: BundleApplication,
    body: ApplicationAccept,
    actor: Principal,
    *,
    now: datetime,
    settings: Settings,
) -> BundleApplication:
    """Accept the whole bundle with one acceptance number; the first stage's cases go to their
    departments at once (即办件 are completed on the spot), the later stages wait."""
    access.require_role(actor, permissions.ACCEPT, ACCEPTING_ROLES)
    cases = await cases_of(session, row, for_update=True)
    if combined_status(row, cases) != "submitted":
        raise errors.bundle_not_ready(
            "只有全部事项材料齐全（状态均为“已接件”）时才能统一受理；请先补正。",
            "The bundle is accepted once every case is submitted and complete.",
        )
    live = [c for c in cases if c.status == "submitted"]
    first = min(c.bundle_stage or 1 for c in live)
    with acting_for_bundle():
        for case in live:
            await acceptance.accept(session, case, body, actor, now=now, settings=settings)
        for case in live:
            if case.status == "accepted" and (case.bundle_stage or 1) == first:
                await acceptance.hand_over(session, case, actor, now=now)
    row.acceptance_no = await numbering.notice_no(session, "acceptance", local_date(now).year)
    row.accepted_at, row.accepted_by, row.updated_at = now, actor.subject, now
    due = max((c.due_on for c in live if c.due_on is not None), default=None)
    await _tell(
        session,
        row,
        cases,
        "accepted",
        acceptance_no=row.acceptance_no,
        promised_date=due.isoformat() if due else "",
    )
    await _when_all_done(session, row, cases, now=now)
    return row


async def _ready_cases(session: AsyncSession, row: BundleApplication) -> list[Application]:
    """The bundle's cases, once every one is completed (409 before)."""
    cases = await cases_of(session, row, for_update=True)
    if combined_status(row, cases) != "ready":
        raise errors.bundle_not_ready(
            "该“一件事”还有事项未办结，全部办结后统一送达。",
            "The results are delivered together once every case of the bundle is completed.",
        )
    return cases


async def order_waybill(
    session: AsyncSession,
    courier: LogisticsClient | None,
    row: BundleApplication,
    body: WaybillCreate,
    actor: Principal,
    *,
    notify_url: str,
    now: datetime,
) -> Waybill:
    """One waybill for every result of the bundle (one parcel), once all are ready."""
    cases = [c for c in await _ready_cases(session, row) if c.status == "completed"]
    parcel = waybills.Parcel(
        ref=row.id,
        unit_code=row.intake_unit_code or cases[0].owner_unit_code,
        remark=f"{row.bundle_name}办理结果（{row.bundle_no}）",
        bundle_application_id=row.id,
    )
    return await waybills.create_for_bundle(
        session, courier, parcel, cases, body, actor, notify_url=notify_url, now=now
    )


async def deliver(
    session: AsyncSession,
    row: BundleApplication,
    body: ApplicationDeliver,
    actor: Principal,
    *,
    now: datetime,
    courier: bool = False,
) -> BundleApplication:
    """One delivery of every result of the bundle (决定书 and certificates together); with a
    courier configured, a posted parcel names the bundle's waybill."""
    access.require_role(actor, permissions.DELIVER, permissions.DELIVERING_ROLES)
    cases = await _ready_cases(session, row)
    with acting_for_bundle():
        for case in cases:
            if case.status == "completed":
                await delivery.deliver(session, case, body, actor, now=now, courier=courier)
    row.delivery_mode, row.delivered_at, row.updated_at = body.mode, now, now
    detail = (
        f"签收人：{body.signed_by}"
        if body.mode == "window"
        else f"{body.carrier or (waybills.CARRIER if courier else '')}运单号{body.tracking_no or ''}"
    )
    if body.mode != "locker":  # a locker's pickup codes go out per result, by the cases
        await _tell(session, row, cases, "delivered", mode=delivery.MODE_NAMES[body.mode], detail=detail)
    return row


# --- following the cases -------------------------------------------------------------------------


async def follow(session: AsyncSession, case: Application, *, now: datetime) -> None:
    """After a step on one of its cases: start the next stage once the earlier ones are approved,
    end a later stage's cases when an earlier case is refused, and tell the applicant once every
    case is completed. Takes the bundle row's lock, so two departments deciding at once take turns
    and the second sees the first's decision."""
    if case.bundle_application_id is None:
        return
    row = await BundleApplicationRepository(session).find(case.bundle_application_id, for_update=True)
    if row is None:
        return
    cases = await cases_of(session, row, for_update=True)
    stages = sorted({c.bundle_stage or 1 for c in cases})
    for stage in stages:
        mine = [c for c in cases if (c.bundle_stage or 1) == stage and c.status not in CLOSED]
        later = [
            c
            for c in cases
            if (c.bundle_stage or 1) > stage and c.status == "accepted" and c.handed_over_at is None
        ]
        if any(c.decision == "refused" for c in mine):
            for waiting in later:
                await _end_for_refused_prerequisite(session, waiting, now=now)
            break
        if not mine or any(c.decision != "approved" for c in mine):
            break
        for waiting in (c for c in later if (c.bundle_stage or 1) == _next(stages, stage)):
            await acceptance.dispatch_stage(session, waiting, waiting.bundle_stage or 1, now=now)
    await _when_all_done(session, row, cases, now=now)


def _next(stages: Sequence[int], stage: int) -> int:
    return next((s for s in stages if s > stage), stage)


async def _end_for_refused_prerequisite(session: AsyncSession, case: Application, *, now: datetime) -> None:
    """A later stage's case cannot go on once a case it depends on was refused (前置事项不予许可)."""
    advance(case, "withdraw", now=now)
    case.closed_reason = "同一“一件事”中前一阶段的事项未获准予，本事项依法终止办理，可待条件具备后重新申请。"
    case.closed_at = now
    trace.append(
        session,
        case,
        action="withdrawn",
        actor=access.SYSTEM_ACTOR,
        at=now,
        data={"reason": case.closed_reason},
    )
    await publish_closed(session, case, "withdrawn", None, notice_no=None, now=now)


async def _when_all_done(
    session: AsyncSession, row: BundleApplication, cases: Sequence[Application], *, now: datetime
) -> None:
    """Once every live case is completed: record it and tell the applicant, once."""
    if row.completed_at is not None or combined_status(row, cases) != "ready":
        return
    row.completed_at, row.updated_at = now, now
    results = "、".join(
        str((c.result or {}).get("name") or c.item_name) for c in cases if c.status == "completed"
    )
    await _tell(session, row, cases, "completed", result_name=results, delivery_hint="全部结果将一次送达。")


__all__ = [
    "accept",
    "bundle_in_force",
    "cases_of",
    "combined_status",
    "current_stage",
    "deliver",
    "follow",
    "get_visible",
    "issue_notice",
    "merged_problems",
    "offered_actions",
    "page_for",
    "record_bundle_published",
    "resubmit",
    "submit",
]
