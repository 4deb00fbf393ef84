"""Fees (缴费): an approved case of an item with fixed fees owes them; a payment notice (its order at
the payment provider, with a 缴款码) is made by the fee worker after the commit, the applicant
pays anywhere with the code, and the provider's signed notification marks it paid. Where the item
says so (先缴费后出件) the result is not delivered before. The day's payments are reconciled
against the provider's statement.

A notification may come twice or late: the order's version, which grows with every change at the
provider, decides — a notification older than (or as old as) the one applied changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import SHANGHAI, local_date
from yiwang_shared.providers import ProviderError
from yiwang_shared.providers.payment import (
    PaymentClient,
    PaymentNotification,
    PaymentOrder,
    PaymentRefund,
    PaymentStatement,
)
from yiwang_shared.providers.reconciliation import Booked, Reconciliation, reconcile

from .. import errors
from ..models.applications import Application
from ..models.fees import Fee, FeeRefund
from ..models.fees import Reconciliation as ReconciliationRun
from ..repositories.fees import FeeRepository
from ..schemas import FeeRefundCreate
from . import access, trace
from .access import SYSTEM_ACTOR
from .catalogue import CatalogueEntry
from .facts import notify

log = logging.getLogger("intake.fees")

#: How long after a failed call the worker tries a fee's order again, growing to the last.
RETRY_STEPS = (timedelta(seconds=5), timedelta(seconds=30), timedelta(minutes=5), timedelta(minutes=30))


def fixed_fees(entry: CatalogueEntry) -> list[dict[str, Any]]:
    """The item's fees with a fixed amount ({"name", "amount_fen"}); none when it charges nothing."""
    fees = entry.elements.get("fees") or {}
    if not fees.get("charged"):
        return []
    return [
        {"name": str(i["name"]), "amount_fen": int(i["amount_fen"])}
        for i in fees.get("items") or []
        if i.get("amount_fen")
    ]


def pay_before_delivery(entry: CatalogueEntry) -> bool:
    """Is the result delivered only once the fees are paid (先缴费后出件)?"""
    return bool((entry.elements.get("fees") or {}).get("pay_before_delivery"))


def charge(
    session: AsyncSession, application: Application, entry: CatalogueEntry, *, now: datetime
) -> Fee | None:
    """The payment notice of an approved case whose item has fixed fees (None otherwise), staged
    in the step's transaction; the fee worker makes its order at the provider after the commit."""
    items = fixed_fees(entry)
    if not items or application.decision != "approved":
        return None
    fee = Fee(
        application_id=application.id,
        amount_fen=sum(i["amount_fen"] for i in items),
        items=items,
        subject=f"{application.item_name}（{application.application_no}）",
        status="new",
        order_version=0,
        refunded_fen=0,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
        updated_at=now,
    )
    FeeRepository(session).add(fee)
    return fee


async def require_paid(session: AsyncSession, application: Application, entry: CatalogueEntry) -> None:
    """409 when the item delivers only after payment and a fee of the case is unpaid."""
    if not pay_before_delivery(entry):
        return
    for fee in await FeeRepository(session).of_case(application.id):
        if fee.status in ("new", "awaiting"):
            raise errors.fee_outstanding(fee.amount_fen, fee.payment_code)


def yuan(amount_fen: int) -> str:
    """An amount in fen as the applicant reads it: 2000 → 20.00元."""
    return f"{amount_fen // 100}.{amount_fen % 100:02d}元"


async def ordered(session: AsyncSession, fee_id: str, order: PaymentOrder, *, now: datetime) -> Fee | None:
    """Record the order the provider made for a fee, and tell the applicant how to pay (once)."""
    repo = FeeRepository(session)
    fee = await repo.find(fee_id, for_update=True)
    if fee is None or fee.status != "new":
        return fee  # another worker recorded it first
    fee.provider_order_id, fee.payment_code, fee.pay_url = order.order_id, order.payment_code, order.pay_url
    fee.status, fee.order_version = "awaiting", order.version
    fee.next_attempt_at, fee.last_error, fee.updated_at = None, None, now
    application = await repo.case_of(fee)
    trace.append(
        session,
        application,
        action="fee_due",
        actor=SYSTEM_ACTOR,
        at=now,
        data={"fee_id": fee.id, "amount_fen": fee.amount_fen, "payment_code": fee.payment_code},
    )
    await notify(
        session,
        application,
        "payment_due",
        amount=yuan(fee.amount_fen),
        payment_code=fee.payment_code,
    )
    await _apply_order(session, fee, application, order, now=now)
    return fee


async def failed(session: AsyncSession, fee_id: str, error: str, *, now: datetime) -> None:
    """The provider could not make the fee's order now: try again later."""
    fee = await FeeRepository(session).find(fee_id, for_update=True)
    if fee is None or fee.status != "new":
        return
    fee.attempts += 1
    fee.last_error = error[:2000]
    fee.next_attempt_at = now + RETRY_STEPS[min(fee.attempts, len(RETRY_STEPS)) - 1]
    fee.updated_at = now


async def apply_notification(session: AsyncSession, note: PaymentNotification, *, now: datetime) -> str:
    """Apply the provider's notification about one of our orders: 'applied', 'stale' (as old as or
    older than what was applied: a duplicate or out of order) or 'unknown' (not our order)."""
    repo = FeeRepository(session)
    fee = await repo.find(note.order.merchant_order_no, for_update=True)
    if fee is None:
        return "unknown"
    # A refund's outcome is kept whatever the order's version: it is keyed by its own number.
    refund_changed = note.refund is not None and await _record_refund(repo, fee, note.refund, now=now)
    if note.order.version <= fee.order_version:
        return "applied" if refund_changed else "stale"
    application = await repo.case_of(fee)
    await _apply_order(session, fee, application, note.order, now=now)
    return "applied"


def _refund_prefix(fee: Fee) -> str:
    """How our refund numbers of the fee begin (the provider's own refunds do not)."""
    return f"{fee.id[:24]}-R"


async def _record_refund(repo: FeeRepository, fee: Fee, refund: PaymentRefund, *, now: datetime) -> bool:
    """Mark our refund succeeded or failed as reported (one made at the provider directly is added);
    True when that changed what we had."""
    if refund.status not in ("succeeded", "failed"):
        return False
    row = await repo.find_refund(refund.refund_no)
    if row is None and refund.refund_no.startswith(_refund_prefix(fee)):
        # Ours, reported before the request that asked for it committed: nothing is written, the
        # provider retries the notification and finds it then.
        raise errors.refund_not_yet_recorded(refund.refund_no)
    if row is None:
        row = FeeRefund(
            refund_no=refund.refund_no,
            fee_id=fee.id,
            amount_fen=refund.amount_fen,
            reason=refund.reason or None,
            status="",
            created_at=now,
        )
        repo.add_refund(row)
    elif row.status == refund.status or row.fee_id != fee.id:
        return False
    row.status = refund.status
    if refund.status == "succeeded":
        row.succeeded_at = refund.succeeded_at or now
    return True


async def _apply_order(
    session: AsyncSession, fee: Fee, application: Application, order: PaymentOrder, *, now: datetime
) -> None:
    """Take the order's state as the provider has it (its version is newer than the fee's)."""
    was = fee.status
    fee.order_version = order.version
    fee.refunded_fen = order.refunded_fen
    if order.status in ("paid", "refunded") and fee.paid_at is None:
        fee.paid_at, fee.channel = order.paid_at or now, order.channel
    # A partly refunded order stays paid at the provider; only a full refund makes it refunded.
    fee.status = {
        "unpaid": "awaiting",
        "paid": "paid",
        "refunded": "refunded",
        "closed": "closed",
        "expired": "closed",
    }[order.status]
    fee.updated_at = now
    if fee.status != was and fee.status in ("paid", "refunded", "closed"):
        trace.append(
            session,
            application,
            action="fee_" + fee.status,  # type: ignore[arg-type]  # fee_paid | fee_refunded | fee_closed
            actor=SYSTEM_ACTOR,
            at=now,
            data={"fee_id": fee.id, "amount_fen": fee.amount_fen, "refunded_fen": fee.refunded_fen},
        )


def booked_lines(fees: list[Fee], refunds: list[FeeRefund], day: date) -> list[Booked]:
    """Our side of the day's statement: payments and refunds we recorded on that day (Beijing)."""
    lines = [
        Booked(kind="payment", merchant_order_no=fee.id, amount_fen=fee.amount_fen)
        for fee in fees
        if fee.paid_at is not None and local_date(fee.paid_at) == day
    ]
    lines += [
        Booked(kind="refund", merchant_order_no=r.fee_id, amount_fen=r.amount_fen, refund_no=r.refund_no)
        for r in refunds
        if r.succeeded_at is not None and local_date(r.succeeded_at) == day
    ]
    return lines


REFUND = errors.Deed("退费", "refund a fee")
RECONCILE = errors.Deed("对账", "reconcile the day's payments")


async def refunds_of(session: AsyncSession, fee_ids: list[str]) -> dict[str, list[FeeRefund]]:
    """Fee id → its refunds, oldest first."""
    return await FeeRepository(session).refunds_of(fee_ids)


async def of_case(session: AsyncSession, application: Application) -> list[Fee]:
    """The case's payment notices, oldest first."""
    return await FeeRepository(session).of_case(application.id)


async def refund(
    session: AsyncSession,
    payments: PaymentClient | None,
    fee_id: str,
    body: FeeRefundCreate,
    actor: Principal,
    *,
    now: datetime,
) -> Fee:
    """Ask the provider to refund part or all of a paid fee (the deciding unit's staff); its
    notification records the refund on the fee."""
    fee = await FeeRepository(session).find(fee_id, for_update=True)
    if fee is None:
        raise errors.fee_not_found(fee_id)
    application = await access.get_visible(session, actor, fee.application_id)
    await access.require_deciding_unit(session, actor, application, REFUND)
    if fee.status != "paid" or fee.provider_order_id is None:
        raise errors.refund_not_allowed("只有已缴费的费用才能退费。", "Only a paid fee can be refunded.")
    repo = FeeRepository(session)
    asked = (await repo.refunds_of([fee.id])).get(fee.id, [])
    # What is being refunded is not there to refund again (the fee's row lock orders two requests).
    in_flight = sum(r.amount_fen for r in asked if r.status == "requested")
    left = fee.amount_fen - fee.refunded_fen - in_flight
    if body.amount_fen > left:
        pending = f"，另有{yuan(in_flight)}正在退费" if in_flight else ""
        raise errors.refund_not_allowed(
            f"退费金额超过可退金额（{yuan(left)}{pending}），请核对后重新填写。",
            "The refund is more than what is left.",
        )
    if payments is None:
        raise errors.provider_not_configured("缴费渠道", "payment provider")
    # Numbered after every refund asked for, not only those that succeeded: a second request while
    # the first is in flight is a new refund, not a repeat of it.
    refund_no = f"{_refund_prefix(fee)}{len(asked) + 1}"
    repo.add_refund(
        FeeRefund(
            refund_no=refund_no,
            fee_id=fee.id,
            amount_fen=body.amount_fen,
            status="requested",
            reason=body.reason,
            requested_by=actor.subject,
            requested_at=now,
            created_at=now,
        )
    )
    trace.append(
        session,
        application,
        action="refund_requested",
        actor=actor.subject,
        at=now,
        data={"fee_id": fee.id, "refund_no": refund_no, "amount_fen": body.amount_fen, "reason": body.reason},
    )
    try:  # the provider is asked last: when it fails, nothing of the request is kept
        await payments.refund(
            fee.provider_order_id, refund_no=refund_no, amount_fen=body.amount_fen, reason=body.reason
        )
    except ProviderError as exc:
        raise errors.provider_failed("退费", "payment provider", str(exc)) from None
    return fee


async def reconciliation(
    session: AsyncSession, payments: PaymentClient | None, day: date, actor: Principal
) -> tuple[Reconciliation, int, int]:
    """The day's payments and refunds against the provider's statement (supervisors, admins):
    the comparison, and what the statement says was paid and refunded."""
    access.require_role(actor, RECONCILE, ("supervisor", "admin"))
    if payments is None:
        raise errors.provider_not_configured("缴费渠道", "payment provider")
    try:
        statement = await payments.statement(day)
    except ProviderError as exc:
        raise errors.provider_failed("对账单", "payment provider", str(exc)) from None
    return await compare(session, statement, day), statement.payments_fen, statement.refunds_fen


async def compare(session: AsyncSession, statement: PaymentStatement, day: date) -> Reconciliation:
    """The provider's statement of `day` against the payments and refunds we recorded that day."""
    start = datetime.combine(day, time.min, tzinfo=SHANGHAI)
    repo = FeeRepository(session)
    touched = await repo.touched_between(start, start + timedelta(days=1))
    refunds = await repo.refunds_between(start, start + timedelta(days=1))
    return reconcile(statement, booked_lines(touched, refunds, day))


async def record_run(
    session: AsyncSession,
    day: date,
    outcome: tuple[Reconciliation, int, int] | str,
    *,
    by: str,
    now: datetime,
) -> ReconciliationRun:
    """Keep the day's reconciliation as run (the comparison, or the provider's failure): the latest
    run of a day replaces the earlier."""
    row = await FeeRepository(session).reconciliation_of(day) or ReconciliationRun(day=day, problems=[])
    if isinstance(outcome, str):
        row.status, row.error, row.matched, row.payments_fen, row.refunds_fen = (
            "failed",
            outcome[:2000],
            0,
            0,
            0,
        )
        row.problems = []
    else:
        result, paid, refunded = outcome
        row.status = "mismatched" if result.discrepancies else "matched"
        row.matched, row.payments_fen, row.refunds_fen, row.error = result.matched, paid, refunded, None
        row.problems = [asdict(d) for d in result.discrepancies]
    row.ran_at, row.ran_by = now, by
    session.add(row)
    return row


async def reconciliations(
    session: AsyncSession, actor: Principal, *, limit: int, offset: int
) -> tuple[list[ReconciliationRun], int]:
    """A page of the days reconciled (supervisors, admins)."""
    access.require_role(actor, RECONCILE, ("supervisor", "admin"))
    return await FeeRepository(session).reconciliations(limit=limit, offset=offset)


async def run_reconciliation(
    session: AsyncSession, payments: PaymentClient | None, day: date, actor: Principal, *, now: datetime
) -> ReconciliationRun:
    """Reconcile `day` again now and keep the result (supervisors, admins); 422 for today or later."""
    access.require_role(actor, RECONCILE, ("supervisor", "admin"))
    if day >= local_date(now):
        raise errors.reconciliation_too_early(day)
    if payments is None:
        raise errors.provider_not_configured("缴费渠道", "payment provider")
    try:
        statement = await payments.statement(day)
    except ProviderError as exc:
        return await record_run(session, day, str(exc), by=actor.subject, now=now)
    result = await compare(session, statement, day)
    return await record_run(
        session, day, (result, statement.payments_fen, statement.refunds_fen), by=actor.subject, now=now
    )
