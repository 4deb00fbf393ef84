"""Fees and posted results: a case's payment notices, the payment provider's and the courier's
signed callbacks, refunds, the day's reconciliation, and waybills."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from yiwang_shared.db import SessionDep
from yiwang_shared.links import set_location
from yiwang_shared.openapi import problems
from yiwang_shared.pagination import PageQuery
from yiwang_shared.providers import CallbackRejected
from yiwang_shared.providers.logistics import read_tracking_notification
from yiwang_shared.providers.payment import read_payment_notification

from .. import errors
from ..models.fees import Fee, FeeRefund, Waybill
from ..schemas import (
    CaseFeesRead,
    CaseWaybillsRead,
    FeeItemRead,
    FeeRead,
    FeeRefundCreate,
    ReconciliationProblemRead,
    ReconciliationRead,
    ReconciliationRunCreate,
    ReconciliationRunPage,
    ReconciliationRunRead,
    WaybillCreate,
    WaybillRead,
)
from ..services import access, fees, waybills
from ..services.fee_worker import Providers
from .deps import Actor, AppSettings, Now
from .docs import CREATED

router = APIRouter(tags=["fees"])


class CallbackAckRead(BaseModel):
    """What became of a provider's callback: applied, stale (a duplicate or older) or unknown."""

    result: Literal["applied", "stale", "unknown"]


def _providers(request: Request) -> Providers:
    providers: Providers = request.app.state.providers
    return providers


def fee_view(fee: Fee, refunds: list[FeeRefund]) -> FeeRead:
    """A payment notice as the API shows it: its items, then its refunds."""
    return FeeRead(
        id=fee.id,
        application_id=fee.application_id,
        amount_fen=fee.amount_fen,
        lines=[
            *(FeeItemRead.model_validate(i) for i in fee.items),
            *(
                FeeItemRead(
                    amount_fen=r.amount_fen,
                    refund_no=r.refund_no,
                    refund_status=r.status,  # type: ignore[arg-type]  # requested | succeeded | failed
                    reason=r.reason,
                    at=r.succeeded_at,
                )
                for r in refunds
            ),
        ],
        status=fee.status,  # type: ignore[arg-type]  # new | awaiting | paid | refunded | closed, as written
        payment_code=fee.payment_code,
        pay_url=fee.pay_url,
        paid_at=fee.paid_at,
        channel=fee.channel,
        refunded_fen=fee.refunded_fen,
        created_at=fee.created_at,
    )


def waybill_view(row: Waybill) -> WaybillRead:
    """A waybill with its tracking events."""
    return WaybillRead(
        waybill_no=row.waybill_no,
        carrier=waybills.CARRIER,
        application_id=row.application_id,
        bundle_application_id=row.bundle_application_id,
        status=row.status,
        events=list(row.events),
        created_at=row.created_at,
    )


@router.get("/v1/applications/{application_id}/fees", response_model=CaseFeesRead)
async def fees_of_case(application_id: str, session: SessionDep, actor: Actor) -> CaseFeesRead:
    """The case's payment notices (缴费通知): amount, 缴款码, paid or not (whoever sees the case)."""
    application = await access.get_visible(session, actor, application_id)
    rows = await fees.of_case(session, application)
    refunds = await fees.refunds_of(session, [f.id for f in rows])
    return CaseFeesRead(fees=[fee_view(f, refunds.get(f.id, [])) for f in rows])


@router.post(
    "/v1/payments/notify",
    response_model=CallbackAckRead,
    responses=problems(s401="The callback's signature, time or nonce does not check out"),
)
async def payments_notify(
    request: Request, session: SessionDep, settings: AppSettings, now: Now
) -> CallbackAckRead:
    """The payment provider's signed notification (支付结果通知): a fee paid or refunded. A duplicate
    or an older one changes nothing; the answer comes after the commit, so the provider retries
    until it is applied."""
    verifier = _providers(request).payment_callbacks
    if verifier is None:
        raise errors.callback_not_configured("缴费渠道", "payment provider")
    path = _path(settings.resolved_payment_notify_url())
    try:
        note = await read_payment_notification(
            verifier, method="POST", path=path, headers=request.headers, body=await request.body()
        )
    except CallbackRejected as exc:
        raise errors.callback_refused(exc.reason) from None
    result = await fees.apply_notification(session, note, now=now)
    return CallbackAckRead(result=result)  # type: ignore[arg-type]  # applied | stale | unknown


@router.post(
    "/v1/waybills/notify",
    response_model=CallbackAckRead,
    responses=problems(s401="The callback's signature, time or nonce does not check out"),
)
async def waybills_notify(
    request: Request, session: SessionDep, settings: AppSettings, now: Now
) -> CallbackAckRead:
    """The courier's signed tracking event (物流轨迹推送) of a posted result."""
    verifier = _providers(request).logistics_callbacks
    if verifier is None:
        raise errors.callback_not_configured("寄递服务", "courier")
    path = _path(settings.resolved_logistics_notify_url())
    try:
        note = await read_tracking_notification(
            verifier, method="POST", path=path, headers=request.headers, body=await request.body()
        )
    except CallbackRejected as exc:
        raise errors.callback_refused(exc.reason) from None
    return CallbackAckRead(result=await waybills.apply_tracking(session, note, now=now))  # type: ignore[arg-type]


def _path(url: str) -> str:
    """The path (and query) a callback is signed for: the configured URL's, whatever path it
    reached us by (the gateway strips /api/intake)."""
    rest = url.split("://", 1)[-1]
    return "/" + rest.split("/", 1)[1] if "/" in rest else "/"


@router.post("/v1/fees/{fee_id}/refund", response_model=FeeRead, responses=problems(409, 503))
async def fees_refund(
    fee_id: str, body: FeeRefundCreate, request: Request, session: SessionDep, actor: Actor, now: Now
) -> FeeRead:
    """Refund a paid fee (退费): the deciding unit's staff. Recorded at once with its reason (退费中);
    the provider's notification marks it succeeded."""
    fee = await fees.refund(session, _providers(request).payments, fee_id, body, actor, now=now)
    return fee_view(fee, (await fees.refunds_of(session, [fee.id])).get(fee.id, []))


@router.get("/v1/fees/reconciliation", response_model=ReconciliationRead, responses=problems(409, 503))
async def fees_reconciliation(
    request: Request,
    session: SessionDep,
    actor: Actor,
    day: Annotated[date, Query(description="The day (Beijing time) to reconcile (对账日期).")],
) -> ReconciliationRead:
    """The day's payments and refunds against the provider's statement (对账): supervisors and
    administrators."""
    result, paid, refunded = await fees.reconciliation(session, _providers(request).payments, day, actor)
    return ReconciliationRead(
        day=day,
        matched=result.matched,
        payments_fen=paid,
        refunds_fen=refunded,
        problems=[
            ReconciliationProblemRead.model_validate(d, from_attributes=True) for d in result.discrepancies
        ],
    )


@router.get("/v1/fees/reconciliations", response_model=ReconciliationRunPage)
async def fees_reconciliations(session: SessionDep, actor: Actor, page: PageQuery) -> ReconciliationRunPage:
    """The days reconciled as kept (对账记录), the latest first: the daily pass reconciles each day once
    it is over, and a day that failed again until it succeeds (supervisors and administrators)."""
    rows, total = await fees.reconciliations(session, actor, limit=page.limit, offset=page.offset)
    return ReconciliationRunPage(
        items=[ReconciliationRunRead.model_validate(r, from_attributes=True) for r in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post(
    "/v1/fees/reconciliations",
    response_model=ReconciliationRunRead,
    status_code=201,
    responses={201: {"description": "The day's reconciliation as now run and kept.", "headers": CREATED}},
)
async def fees_reconciliations_create(
    body: ReconciliationRunCreate,
    request: Request,
    session: SessionDep,
    actor: Actor,
    now: Now,
    response: Response,
) -> ReconciliationRunRead:
    """Reconcile a day again now and keep the result (重新对账; supervisors and administrators): after
    the provider's statement was corrected, or a run failed."""
    row = await fees.run_reconciliation(session, _providers(request).payments, body.day, actor, now=now)
    set_location(response, f"/v1/fees/reconciliations?day={body.day.isoformat()}")
    return ReconciliationRunRead.model_validate(row, from_attributes=True)


@router.post(
    "/v1/applications/{application_id}/waybills",
    response_model=WaybillRead,
    status_code=201,
    responses={
        201: {"description": "The waybill made for the case.", "headers": CREATED},
        **problems(409, 503),
    },
)
async def waybills_create(
    application_id: str,
    body: WaybillCreate,
    request: Request,
    response: Response,
    session: SessionDep,
    actor: Actor,
    now: Now,
    settings: AppSettings,
) -> WaybillRead:
    """Send the result by post (邮寄): the courier's waybill for the case, picked up at the window;
    deliver the case with it then (mode post, `tracking_no` = the waybill number)."""
    application = await access.get_visible(session, actor, application_id)
    row = await waybills.create(
        session,
        _providers(request).logistics,
        application,
        body,
        actor,
        notify_url=settings.resolved_logistics_notify_url(),
        now=now,
    )
    await session.flush()
    set_location(response, f"/v1/applications/{application_id}/waybills")
    return waybill_view(row)


@router.get("/v1/applications/{application_id}/waybills", response_model=CaseWaybillsRead)
async def waybills_of_case(application_id: str, session: SessionDep, actor: Actor) -> CaseWaybillsRead:
    """The case's waybills and their tracking (物流轨迹), for whoever sees the case."""
    application = await access.get_visible(session, actor, application_id)
    return CaseWaybillsRead(waybills=[waybill_view(w) for w in await waybills.of_case(session, application)])
