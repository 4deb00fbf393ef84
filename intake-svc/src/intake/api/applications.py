"""Applications: /v1/applications — submit, read, and every step from notice to delivery."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any

import aiohttp
from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import HTMLResponse

from yiwang_shared.auth import Principal, bearer_token
from yiwang_shared.db import SessionDep
from yiwang_shared.i18n import pick
from yiwang_shared.links import public_path, set_location
from yiwang_shared.openapi import problems
from yiwang_shared.pagination import PageQuery

from .. import errors
from ..clients.licences import fetch_for_case, own_valid_licences
from ..lifecycles import ApplicationStatus
from ..models.applications import Application
from ..schemas import (
    ApplicationAccept,
    ApplicationApprove,
    ApplicationComplete,
    ApplicationDeliver,
    ApplicationExtend,
    ApplicationPage,
    ApplicationPause,
    ApplicationPrereview,
    ApplicationRead,
    ApplicationRefuse,
    ApplicationRefuseAcceptance,
    ApplicationResubmit,
    ApplicationSubmit,
    ApplicationSummaryRead,
    ApplicationWithdraw,
    DeficiencyCorrection,
    NoticeIssue,
    StepCreate,
    TraceEntryPage,
    TraceEntryRead,
    TraceVerificationRead,
)
from ..services import (
    acceptance,
    access,
    applicants,
    auto_approval,
    bundles,
    cases,
    delivery,
    documents,
    handling,
    library,
    stations,
    submission,
    trace,
)
from ..services.acceptance_checks import check_acceptance
from .deps import Actor, AppSettings, Now
from .docs import CREATED, HTML
from .fonts import STYLESHEET
from .views import application_view

router = APIRouter(prefix="/v1/applications", tags=["applications"])

FETCH_LICENCES = errors.Deed("从电子证照库调取材料", "fetch materials from the licence library")

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=100,
        description="Makes the submission safe to retry: the same key and body replay the result.",
    ),
]


async def _act(
    session: SessionDep,
    application_id: str,
    actor: Principal,
    step: Callable[[Application], Awaitable[Any]],
    *,
    now: datetime,
) -> ApplicationRead:
    """Take `step` on the case (locked for update, loaded with everything that hangs off it) and
    answer with the case as it now stands, built from memory."""
    application = await access.get_visible(session, actor, application_id, for_update=True)
    # The step's changes are written together at its end: each row once (one UPDATE of the case).
    with session.no_autoflush:
        await step(application)
    await session.flush()
    if application.bundle_application_id is not None:
        # A 一件事 case: the next stage may begin, a later one end, or the whole bundle be done.
        await bundles.follow(session, application, now=now)
        await session.flush()
    return await application_view(session, application, actor, now=now)


@router.post(
    "",
    response_model=ApplicationRead,
    status_code=201,
    responses={
        201: {
            "description": "The application as received; a retry with the same Idempotency-Key "
            "answers it again with `Idempotent-Replayed: true`.",
            "headers": {
                **CREATED,
                "Idempotent-Replayed": {
                    "description": "`true` when this answers an earlier request with the same key.",
                    "schema": {"type": "string", "enum": ["true"]},
                },
            },
        },
        **problems(
            409,
            503,
            s403="Not allowed to apply this way: another person's account online, a role that does "
            "not receive applications, or no grant to act for the enterprise (法人授权)",
        ),
    },
)
async def applications_submit(
    body: ApplicationSubmit,
    session: SessionDep,
    actor: Actor,
    now: Now,
    settings: AppSettings,
    request: Request,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> ApplicationRead:
    """Submit an application (接件): online by the applicant for themselves, at a window or by a
    helper for the person named by `applicant.id` (帮办代办). Name and mobile come from identity-svc;
    an enterprise's agent must hold a valid grant for the item (checked with identity-svc)."""
    submission.channel_of(actor)  # staff who do not receive applications: 403 before any call
    person_id = submission.acting_person(actor, body)
    enterprise = submission.enterprise_of(actor, body)
    # identity-svc is asked before any database work, so no transaction waits on it.
    client: aiohttp.ClientSession = request.app.state.identity_client
    base_url, bearer = settings.resolved_identity_url(), bearer_token(request)
    timeout = settings.request_timeout_seconds
    applicant, grant_id = await applicants.resolve_with_grant(
        client,
        actor,
        body.applicant,
        person_id=person_id,
        enterprise_id=enterprise,
        item_codes=[body.item_code],
        base_url=base_url,
        bearer=bearer,
        timeout=timeout,
    )
    # An applicant applying online for themselves brings verified data: their own licences from the
    # library (两个免于提交: fetched, not uploaded) and resident ID (秒批); read before any database
    # work, like identity's answer.
    facts, licences = None, None
    uses = await library.uses_licences(session, body.item_code)
    if not actor.is_staff and not enterprise and (uses.materials or uses.rules):
        licences = await own_valid_licences(
            client, base_url=settings.licence_url, bearer=bearer, timeout=timeout
        )
        if uses.rules:
            facts = auto_approval.VerifiedFacts(applicant.resident_id, licences or [])
    application, created = await submission.submit(
        session,
        body,
        actor,
        applicant=applicant,
        idempotency_key=idempotency_key,
        grant_id=grant_id,
        now=now,
        settings=settings,
        licences=licences or (),
    )
    if created and facts is not None:
        await auto_approval.decide(session, application, facts, now=now)
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    set_location(response, f"/v1/applications/{application.id}")
    return await application_view(session, application, actor, now=now)


@router.get("", response_model=ApplicationPage)
async def applications_list(
    session: SessionDep,
    actor: Actor,
    page: PageQuery,
    status: Annotated[ApplicationStatus | None, Query(description="Only applications in this state.")] = None,
) -> ApplicationPage:
    """Applications the caller may see, newest first."""
    applications, total = await submission.list_for(
        session, actor, status=status, limit=page.limit, offset=page.offset
    )
    return ApplicationPage(
        items=[ApplicationSummaryRead.model_validate(a, from_attributes=True) for a in applications],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/{application_id}", response_model=ApplicationRead)
async def applications_get(
    application_id: str, session: SessionDep, actor: Actor, now: Now
) -> ApplicationRead:
    """One application (404 if it is not the caller's to see)."""
    application = await access.get_visible(session, actor, application_id)
    return await application_view(session, application, actor, now=now, with_materials=True)


@router.post("/{application_id}/resubmit", response_model=ApplicationRead, responses=problems(409))
async def applications_resubmit(
    application_id: str,
    body: ApplicationResubmit,
    session: SessionDep,
    actor: Actor,
    now: Now,
    settings: AppSettings,
) -> ApplicationRead:
    """Hand in the corrections a one-time notice asked for (补正)."""
    return await _act(
        session,
        application_id,
        actor,
        lambda a: submission.resubmit(session, a, body, actor, now=now, settings=settings),
        now=now,
    )


@router.post(
    "/{application_id}/licence-fetches", response_model=ApplicationRead, responses=problems(409, 503)
)
async def applications_licence_fetches(
    application_id: str,
    session: SessionDep,
    actor: Actor,
    now: Now,
    settings: AppSettings,
    request: Request,
) -> ApplicationRead:
    """Fetch from the electronic licence library the materials it holds for the applicant (两个免于提交,
    staff who may accept the case, before acceptance): each use is recorded at licence-svc, and the
    case records which licence stands for which material and its state. What the library does not
    hold is still asked for. For an item with 秒批 rules the data they are checked on are fetched
    too, and when every rule holds the case is approved at once, as an online application is."""
    application = await access.get_visible(session, actor, application_id)
    await check_acceptance(session, application, FETCH_LICENCES, actor, now=now)
    if application.status not in ("submitted", "correction_requested"):
        raise errors.licence_fetch_not_now(application.status)
    version = await cases.version_of(session, application)
    provided = await cases.provided_materials(session, application)
    purposes = {
        t: f"申请材料：{n}"
        for n, t in library.still_wanted(version.materials, application.conditions, provided)
    }
    rules = auto_approval.rules_of(version)
    for type_code in auto_approval.licence_types_of(rules[1]) if rules else ():
        purposes.setdefault(type_code, "秒批规则核验")
    licences = []
    # licence-svc asks intake whether the case is the clerk's to serve: nothing is locked meanwhile.
    for type_code, purpose in purposes.items():
        licence = await fetch_for_case(
            request.app.state.identity_client,
            base_url=settings.licence_url,
            bearer=bearer_token(request),
            application_id=application.id,
            type_code=type_code,
            purpose=purpose,
            timeout=settings.request_timeout_seconds,
        )
        if licence is not None:
            licences.append(licence)

    async def step(case: Application) -> None:
        await submission.add_fetched(session, case, licences, actor, now=now)
        if rules:  # 秒批 on the data just verified, as for an online application
            await auto_approval.decide(session, case, auto_approval.facts_from_library(licences), now=now)

    return await _act(session, application_id, actor, step, now=now)


@router.post("/{application_id}/notice", response_model=ApplicationRead, responses=problems(409))
async def applications_notice(
    application_id: str,
    session: SessionDep,
    actor: Actor,
    now: Now,
    settings: AppSettings,
    body: NoticeIssue | None = None,
) -> ApplicationRead:
    """Issue the one-time notice (一次性告知书) listing every problem at once."""
    return await _act(
        session,
        application_id,
        actor,
        lambda a: acceptance.issue_notice(
            session, a, body or NoticeIssue(), actor, now=now, settings=settings
        ),
        now=now,
    )


@router.post("/{application_id}/accept", response_model=ApplicationRead, responses=problems(409))
async def applications_accept(
    application_id: str,
    session: SessionDep,
    actor: Actor,
    now: Now,
    settings: AppSettings,
    body: ApplicationAccept | None = None,
) -> ApplicationRead:
    """Accept (受理) with a numbered notice and the promised date; 即办件 complete at once."""
    return await _act(
        session,
        application_id,
        actor,
        lambda a: acceptance.accept(
            session, a, body or ApplicationAccept(), actor, now=now, settings=settings
        ),
        now=now,
    )


@router.post("/{application_id}/refuse-acceptance", response_model=ApplicationRead, responses=problems(409))
async def applications_refuse_acceptance(
    application_id: str, body: ApplicationRefuseAcceptance, session: SessionDep, actor: Actor, now: Now
) -> ApplicationRead:
    """Refuse to accept (不予受理) with reasons: the case closes with a printable 不予受理通知书 and an
    SMS to the applicant."""
    return await _act(
        session,
        application_id,
        actor,
        lambda a: acceptance.refuse_acceptance(session, a, body, actor, now=now),
        now=now,
    )


@router.post("/{application_id}/hand-over", response_model=ApplicationRead, responses=problems(409))
async def applications_hand_over(
    application_id: str, session: SessionDep, actor: Actor, now: Now
) -> ApplicationRead:
    """Hand the case to the deciding unit (接件转交)."""
    return await _act(
        session, application_id, actor, lambda a: acceptance.hand_over(session, a, actor, now=now), now=now
    )


@router.post("/{application_id}/prereview", response_model=ApplicationRead, responses=problems(409))
async def applications_prereview(
    application_id: str, body: ApplicationPrereview, session: SessionDep, actor: Actor, now: Now
) -> ApplicationRead:
    """A community station's pre-review (咨询预审) of a 咨询预审类 item: the opinion is recorded and
    the case handed to the street centre that entrusted the station, which decides acceptance."""
    return await _act(
        session,
        application_id,
        actor,
        lambda a: stations.prereview(session, a, body, actor, now=now),
        now=now,
    )


@router.post("/{application_id}/deficiencies", response_model=ApplicationRead, responses=problems(409))
async def applications_correct_deficiencies(
    application_id: str, body: DeficiencyCorrection, session: SessionDep, actor: Actor, now: Now
) -> ApplicationRead:
    """Hand in materials owed under 容缺受理."""
    return await _act(
        session,
        application_id,
        actor,
        lambda a: acceptance.correct_deficiencies(session, a, body, actor, now=now),
        now=now,
    )


@router.post("/{application_id}/steps", response_model=ApplicationRead, responses=problems(409))
async def applications_step(
    application_id: str, body: StepCreate, session: SessionDep, actor: Actor, now: Now
) -> ApplicationRead:
    """Record a review or decision step (actor, opinion, start, end)."""
    return await _act(
        session,
        application_id,
        actor,
        lambda a: handling.record_step(session, a, body, actor, now=now),
        now=now,
    )


@router.post("/{application_id}/pause", response_model=ApplicationRead, responses=problems(409))
async def applications_pause(
    application_id: str, body: ApplicationPause, session: SessionDep, actor: Actor, now: Now
) -> ApplicationRead:
    """Start a special procedure (听证/现场勘查/专家评审): the clock stops."""
    return await _act(
        session, application_id, actor, lambda a: handling.pause(session, a, body, actor, now=now), now=now
    )


@router.post("/{application_id}/resume", response_model=ApplicationRead, responses=problems(409))
async def applications_resume(
    application_id: str, session: SessionDep, actor: Actor, now: Now
) -> ApplicationRead:
    """End the special procedure: the due date moves by the paused working days."""
    return await _act(
        session, application_id, actor, lambda a: handling.resume(session, a, actor, now=now), now=now
    )


@router.post("/{application_id}/extend", response_model=ApplicationRead, responses=problems(409))
async def applications_extend(
    application_id: str,
    body: ApplicationExtend,
    session: SessionDep,
    actor: Actor,
    now: Now,
    settings: AppSettings,
) -> ApplicationRead:
    """Extend the time limit with reasons (at most 10 working days in all by default)."""
    return await _act(
        session,
        application_id,
        actor,
        lambda a: handling.extend(session, a, body, actor, now=now, settings=settings),
        now=now,
    )


@router.post("/{application_id}/approve", response_model=ApplicationRead, responses=problems(409))
async def applications_approve(
    application_id: str, session: SessionDep, actor: Actor, now: Now, body: ApplicationApprove | None = None
) -> ApplicationRead:
    """Approve (准予)."""
    return await _act(
        session,
        application_id,
        actor,
        lambda a: handling.decide(session, a, "approved", body or ApplicationApprove(), actor, now=now),
        now=now,
    )


@router.post("/{application_id}/refuse", response_model=ApplicationRead, responses=problems(409))
async def applications_refuse(
    application_id: str, body: ApplicationRefuse, session: SessionDep, actor: Actor, now: Now
) -> ApplicationRead:
    """Refuse (不予) with reasons."""
    return await _act(
        session,
        application_id,
        actor,
        lambda a: handling.decide(session, a, "refused", body, actor, now=now),
        now=now,
    )


@router.post("/{application_id}/complete", response_model=ApplicationRead, responses=problems(409))
async def applications_complete(
    application_id: str, body: ApplicationComplete, session: SessionDep, actor: Actor, now: Now
) -> ApplicationRead:
    """Complete (办结) with the result."""
    return await _act(
        session, application_id, actor, lambda a: handling.complete(session, a, body, actor, now=now), now=now
    )


@router.post("/{application_id}/deliver", response_model=ApplicationRead, responses=problems(409))
async def applications_deliver(
    application_id: str,
    body: ApplicationDeliver,
    session: SessionDep,
    actor: Actor,
    now: Now,
    request: Request,
) -> ApplicationRead:
    """Deliver the result (送达): window with signed receipt, post (with a courier configured: the
    waybill made for the case, POST …/waybills), or locker. Where the item delivers only after
    payment (先缴费后出件), its fees must be paid."""
    courier = request.app.state.providers.logistics is not None
    return await _act(
        session,
        application_id,
        actor,
        lambda a: delivery.deliver(session, a, body, actor, now=now, courier=courier),
        now=now,
    )


@router.post("/{application_id}/withdraw", response_model=ApplicationRead, responses=problems(409))
async def applications_withdraw(
    application_id: str, session: SessionDep, actor: Actor, now: Now, body: ApplicationWithdraw | None = None
) -> ApplicationRead:
    """Withdraw before the decision (撤回)."""
    return await _act(
        session,
        application_id,
        actor,
        lambda a: submission.withdraw(session, a, body or ApplicationWithdraw(), actor, now=now),
        now=now,
    )


@router.get(
    "/{application_id}/notices/{notice_id}",
    response_class=HTMLResponse,
    responses={
        200: {"description": "The notice as a printable page (可打印的告知书/通知书).", "content": HTML}
    },
)
async def applications_notice_html(
    application_id: str, notice_id: str, session: SessionDep, actor: Actor
) -> HTMLResponse:
    """A notice as printable Chinese HTML."""
    application = await access.get_visible(session, actor, application_id)
    font_css = public_path(f"/v1/fonts/{STYLESHEET}")
    return HTMLResponse(await documents.printable(session, application, notice_id, font_css=font_css))


@router.get("/{application_id}/trace", response_model=TraceEntryPage)
async def applications_trace(
    application_id: str, session: SessionDep, actor: Actor, page: PageQuery
) -> TraceEntryPage:
    """Every action on the case (办事留痕), in order."""
    application = await access.get_visible(session, actor, application_id)
    rows, total = await trace.entries_page(session, application.id, limit=page.limit, offset=page.offset)
    return TraceEntryPage(
        items=[TraceEntryRead.model_validate(e, from_attributes=True) for e in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/{application_id}/trace/verify", response_model=TraceVerificationRead)
async def applications_trace_verify(
    application_id: str, session: SessionDep, actor: Actor
) -> TraceVerificationRead:
    """Recompute the hash chain; name the first entry that breaks it."""
    application = await access.get_visible(session, actor, application_id)
    result = trace.verify_chain(
        await trace.entries(session, application.id),
        recorded_seq=application.trace_seq,
        recorded_head=application.trace_head,
    )
    return TraceVerificationRead(
        valid=result.valid,
        entries=result.entries,
        first_broken_seq=result.first_broken_seq,
        reason=pick(result.reason_zh, result.reason) if result.reason_zh else result.reason,
    )
