"""一件事: /v1/bundle-applications — one submission for a bundle, one notice, one acceptance number,
one delivery; the cases it splits into are decided by their departments under /v1/applications."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, cast

import aiohttp
from fastapi import APIRouter, Header, Request, Response

from yiwang_shared.auth import Principal, bearer_token
from yiwang_shared.db import SessionDep
from yiwang_shared.links import public_path, set_location
from yiwang_shared.openapi import problems
from yiwang_shared.pagination import PageQuery

from ..clients.licences import own_valid_licences
from ..lifecycles import STATUS_NAMES
from ..models.applications import Application
from ..models.bundles import BundleApplication
from ..schemas import (
    ApplicationAccept,
    ApplicationDeliver,
    ApplicationResubmit,
    CaseWaybillsRead,
    NoticeIssue,
    NoticeRead,
    WaybillCreate,
    WaybillRead,
)
from ..schemas.bundles import (
    BUNDLE_STATUS_NAMES,
    BundleApplicationPage,
    BundleApplicationRead,
    BundleApplicationSubmit,
    BundleApplicationSummaryRead,
    BundleCaseRead,
    BundleProblemRead,
    BundleStatus,
)
from ..services import access, applicants, bundles, library, submission, waybills
from ..services.documents import notices_of
from ..services.orgs import find_unit
from .deps import Actor, AppSettings, Now
from .docs import CREATED
from .fees import waybill_view
from .views import delivery_wish

router = APIRouter(prefix="/v1/bundle-applications", tags=["bundle-applications"])

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=100,
        description="Makes the submission safe to retry: the same key and body replay the result.",
    ),
]


async def bundle_view(
    session: SessionDep, row: BundleApplication, actor: Principal, *, now: datetime
) -> BundleApplicationRead:
    """The bundle application as it stands, with its cases and what the caller may do."""
    cases = await bundles.cases_of(session, row)
    status = bundles.combined_status(row, cases)
    due = [c.due_on for c in cases if c.due_on is not None and c.status not in bundles.CLOSED]
    return BundleApplicationRead(
        id=row.id,
        bundle_no=row.bundle_no,
        bundle_code=row.bundle_code,
        bundle_name=row.bundle_name,
        applicant_id=row.applicant_id,
        applicant_name=row.applicant_name,
        enterprise_id=row.enterprise_id,
        channel=row.channel,
        intake_unit_code=row.intake_unit_code,
        delivery_wish=delivery_wish(
            cases[0].form if cases else None,
            mask=not (access.is_applicant_side(actor, cases[0]) or actor.is_staff) if cases else True,
        ),
        received_at=row.received_at,
        status=cast(BundleStatus, status),
        status_name=BUNDLE_STATUS_NAMES[status],
        stage=bundles.current_stage(cases) if status == "in_progress" else None,
        problems=[BundleProblemRead.model_validate(p) for p in await bundles.merged_problems(session, cases)],
        notice_numbers=list(row.notice_numbers),
        notices=await _bundle_notices(session, row, cases),
        acceptance_no=row.acceptance_no,
        accepted_at=row.accepted_at,
        due_on=max(due) if due else None,
        completed_at=row.completed_at,
        delivery_mode=row.delivery_mode,
        delivered_at=row.delivered_at,
        cases=[_case_view(c, await _unit_name(session, c.owner_unit_code)) for c in cases],
        allowed_actions=await bundles.offered_actions(session, row, cases, actor, now=now),
    )


async def _bundle_notices(
    session: SessionDep, row: BundleApplication, cases: list[Application]
) -> list[NoticeRead]:
    # The bundle's one-time notices are its cases' (one per case that lacked something).
    wanted = set(row.notice_numbers)
    if not wanted:
        return []
    return [
        NoticeRead(
            id=n.id,
            kind=n.kind,  # type: ignore[arg-type]  # a NoticeKind, as written
            number=n.number,
            issued_at=n.issued_at,
            issued_by=n.issued_by,
            html_url=public_path(f"/v1/applications/{case.id}/notices/{n.id}"),
        )
        for case in cases
        for n in await notices_of(session, case)
        if n.number in wanted
    ]


async def _unit_name(session: SessionDep, code: str) -> str | None:
    unit = await find_unit(session, code)  # the cached tree: no statement once it is warm
    return unit.name if unit is not None else None


def _case_view(case: Application, unit_name: str | None) -> BundleCaseRead:
    return BundleCaseRead.model_validate(
        {
            "application_id": case.id,
            "application_no": case.application_no,
            "item_code": case.item_code,
            "item_name": case.item_name,
            "owner_unit_code": case.owner_unit_code,
            "owner_unit_name": unit_name,
            "stage": case.bundle_stage or 1,
            "status": case.status,
            "status_name": STATUS_NAMES.get(case.status, case.status),
            "handed_over": case.handed_over_at is not None,
            "due_on": case.due_on,
            "decision": case.decision,
            "result_name": (case.result or {}).get("name")
            if case.status in ("completed", "delivered")
            else None,
        }
    )


@router.post(
    "",
    response_model=BundleApplicationRead,
    status_code=201,
    responses={
        201: {"description": "The bundle application as received, with a case per item.", "headers": CREATED},
        **problems(409, 503, s403="Not allowed to apply this way (as for a single application)"),
    },
)
async def bundle_applications_submit(
    body: BundleApplicationSubmit,
    session: SessionDep,
    actor: Actor,
    now: Now,
    settings: AppSettings,
    request: Request,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> BundleApplicationRead:
    """Apply for a "one thing" bundle (一件事) in one submission: the merged form, each material
    once. It splits into a case per item at once; online by the applicant, at a window or by a
    helper for the person named by `applicant.id`, as a single application is."""
    submission.channel_of(actor)  # staff who do not receive applications: 403 before any call
    _bundle, entries = await bundles.bundle_in_force(session, body.bundle_code)
    first = bundles.item_body(body, entries[0])
    person_id = submission.acting_person(actor, first)
    enterprise = submission.enterprise_of(actor, first)
    # identity-svc is asked before any write, so no transaction waits on it.
    client: aiohttp.ClientSession = request.app.state.identity_client
    base_url, bearer = settings.resolved_identity_url(), bearer_token(request)
    timeout = settings.request_timeout_seconds
    applicant, grant_id = await applicants.resolve_with_grant(
        client,
        actor,
        body.applicant,
        person_id=person_id,
        enterprise_id=enterprise,
        item_codes=[entry.code for entry in entries],  # the grant must cover every item
        base_url=base_url,
        bearer=bearer,
        timeout=timeout,
    )
    licences = None
    if not actor.is_staff and not enterprise and any(library.licence_types(e.materials) for e in entries):
        # 两个免于提交: what the library holds for the applicant is fetched, not handed in.
        licences = await own_valid_licences(
            client, base_url=settings.licence_url, bearer=bearer, timeout=timeout
        )
    row, created = await bundles.submit(
        session,
        body,
        actor,
        applicant=applicant,
        grant_id=grant_id,
        idempotency_key=idempotency_key,
        now=now,
        settings=settings,
        licences=licences or (),
    )
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    set_location(response, f"/v1/bundle-applications/{row.id}")
    await session.flush()
    return await bundle_view(session, row, actor, now=now)


@router.get("", response_model=BundleApplicationPage)
async def bundle_applications_list(
    session: SessionDep, actor: Actor, page: PageQuery
) -> BundleApplicationPage:
    """The bundle applications the caller may see (their own; staff: those with a case they see),
    newest first."""
    rows, total = await bundles.page_for(session, actor, page)
    return BundleApplicationPage(
        items=[BundleApplicationSummaryRead.model_validate(r, from_attributes=True) for r in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/{bundle_application_id}", response_model=BundleApplicationRead)
async def bundle_applications_get(
    bundle_application_id: str, session: SessionDep, actor: Actor, now: Now
) -> BundleApplicationRead:
    """A bundle application with its combined status, the one completeness check and its cases."""
    row = await bundles.get_visible(session, actor, bundle_application_id)
    return await bundle_view(session, row, actor, now=now)


@router.post("/{bundle_application_id}/notice", response_model=BundleApplicationRead, responses=problems(409))
async def bundle_applications_notice(
    bundle_application_id: str,
    body: NoticeIssue,
    session: SessionDep,
    actor: Actor,
    now: Now,
    settings: AppSettings,
) -> BundleApplicationRead:
    """The one one-time notice (一次性告知) for the whole bundle: each case with a problem gets its
    notice, the applicant one message."""
    row = await bundles.get_visible(session, actor, bundle_application_id, for_update=True)
    await bundles.issue_notice(session, row, body, actor, now=now, settings=settings)
    await session.flush()
    return await bundle_view(session, row, actor, now=now)


@router.post(
    "/{bundle_application_id}/resubmit", response_model=BundleApplicationRead, responses=problems(409)
)
async def bundle_applications_resubmit(
    bundle_application_id: str,
    body: ApplicationResubmit,
    session: SessionDep,
    actor: Actor,
    now: Now,
    settings: AppSettings,
) -> BundleApplicationRead:
    """Hand in the corrections once; every case awaiting them gets those it asks for."""
    row = await bundles.get_visible(session, actor, bundle_application_id, for_update=True)
    await bundles.resubmit(session, row, body, actor, now=now, settings=settings)
    await session.flush()
    return await bundle_view(session, row, actor, now=now)


@router.post("/{bundle_application_id}/accept", response_model=BundleApplicationRead, responses=problems(409))
async def bundle_applications_accept(
    bundle_application_id: str,
    body: ApplicationAccept,
    session: SessionDep,
    actor: Actor,
    now: Now,
    settings: AppSettings,
) -> BundleApplicationRead:
    """Accept the whole bundle with one acceptance number (受理); the first stage's cases go to
    their departments at once."""
    row = await bundles.get_visible(session, actor, bundle_application_id, for_update=True)
    await bundles.accept(session, row, body, actor, now=now, settings=settings)
    await session.flush()
    return await bundle_view(session, row, actor, now=now)


@router.post(
    "/{bundle_application_id}/deliver", response_model=BundleApplicationRead, responses=problems(409)
)
async def bundle_applications_deliver(
    bundle_application_id: str,
    body: ApplicationDeliver,
    request: Request,
    session: SessionDep,
    actor: Actor,
    now: Now,
) -> BundleApplicationRead:
    """Deliver every result of the bundle at once (一次送达): at the window, or by post in one parcel
    (with a courier configured, `tracking_no` is the bundle's waybill from POST …/waybills)."""
    row = await bundles.get_visible(session, actor, bundle_application_id, for_update=True)
    courier = request.app.state.providers.logistics is not None
    await bundles.deliver(session, row, body, actor, now=now, courier=courier)
    await session.flush()
    return await bundle_view(session, row, actor, now=now)


@router.post(
    "/{bundle_application_id}/waybills",
    response_model=WaybillRead,
    status_code=201,
    responses={
        201: {"description": "The waybill made for the bundle's results.", "headers": CREATED},
        **problems(409, 503),
    },
)
async def bundle_applications_waybills_create(
    bundle_application_id: str,
    body: WaybillCreate,
    request: Request,
    response: Response,
    session: SessionDep,
    actor: Actor,
    now: Now,
    settings: AppSettings,
) -> WaybillRead:
    """Send every result of the bundle by post in one parcel (一次寄递): the courier's waybill, picked
    up at the window once all are ready; deliver the bundle with it then (mode post)."""
    row = await bundles.get_visible(session, actor, bundle_application_id, for_update=True)
    waybill = await bundles.order_waybill(
        session,
        request.app.state.providers.logistics,
        row,
        body,
        actor,
        notify_url=settings.resolved_logistics_notify_url(),
        now=now,
    )
    await session.flush()
    set_location(response, f"/v1/bundle-applications/{bundle_application_id}/waybills")
    return waybill_view(waybill)


@router.get("/{bundle_application_id}/waybills", response_model=CaseWaybillsRead)
async def bundle_applications_waybills(
    bundle_application_id: str, session: SessionDep, actor: Actor
) -> CaseWaybillsRead:
    """The bundle's parcel and its tracking (物流轨迹), for whoever sees the bundle application."""
    row = await bundles.get_visible(session, actor, bundle_application_id)
    return CaseWaybillsRead(waybills=[waybill_view(w) for w in await waybills.of_bundle(session, row.id)])
