"""The fee worker and the providers' clients, started and stopped with the app: it makes the
orders of new payment notices at the payment provider after their commit (never inside a step's
transaction: a provider's delay holds no case), retries what the provider could not take, and
reconciles each day against the provider's statement once the day is over (the daily pass: the
days of the last week not yet reconciled, a failed one again after a while)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from yiwang_shared.calendar import local_date
from yiwang_shared.db import Database
from yiwang_shared.periodic import PeriodicTask
from yiwang_shared.providers import CallbackVerifier, provider_session
from yiwang_shared.providers.errors import ProviderError
from yiwang_shared.providers.logistics import LogisticsClient
from yiwang_shared.providers.nonces import DatabaseNonceStore
from yiwang_shared.providers.payment import PaymentClient

from ..config import Settings
from ..repositories.fees import FeeRepository
from . import fees
from .access import SYSTEM_ACTOR

log = logging.getLogger("intake.fees")

#: How far back the daily pass looks for days not yet reconciled (a week down is caught up).
RECONCILE_DAYS_BACK = 7
#: How often the pass looks, and how long a failed day waits before it is tried again.
RECONCILE_EVERY = timedelta(minutes=1)
RETRY_FAILED_AFTER = timedelta(minutes=10)


@dataclass
class Providers:
    """The clients of the configured providers and the verifiers of their callbacks (None: not
    configured)."""

    payments: PaymentClient | None
    payment_callbacks: CallbackVerifier | None
    logistics: LogisticsClient | None
    logistics_callbacks: CallbackVerifier | None


def providers_for(settings: Settings, db: Database, session: Any) -> Providers:
    """The providers `settings` configure, on one client session."""
    nonces = DatabaseNonceStore(db)
    payments = callbacks = courier = tracking = None
    if settings.payment_provider_url:
        secret = settings.payment_secret.get_secret_value()
        payments = PaymentClient(
            session,
            base_url=settings.payment_provider_url,
            merchant_id=settings.payment_merchant_id,
            secret=secret,
            timeout=settings.payment_timeout_seconds,
        )
        callbacks = CallbackVerifier(
            merchant_id=settings.payment_merchant_id, secret=secret, nonce_store=nonces
        )
    if settings.logistics_provider_url:
        secret = settings.logistics_secret.get_secret_value()
        courier = LogisticsClient(
            session,
            base_url=settings.logistics_provider_url,
            customer_id=settings.logistics_customer_id,
            secret=secret,
            timeout=settings.logistics_timeout_seconds,
        )
        tracking = CallbackVerifier(
            merchant_id=settings.logistics_customer_id, secret=secret, nonce_store=nonces
        )
    return Providers(payments, callbacks, courier, tracking)


class FeeWorker:
    """Makes the provider's orders of new fees, oldest first, a batch at a time, and reconciles the
    days; `fee_pass` is what the background task runs every `fee_worker_seconds`."""

    def __init__(
        self, db: Database, payments: PaymentClient, settings: Settings, clock: Callable[[], datetime]
    ) -> None:
        self.db, self.payments, self.settings, self.clock = db, payments, settings, clock
        self._reconciled_at: datetime | None = None

    async def fee_pass(self) -> None:
        """The background pass: the orders due, and the daily pass at most every RECONCILE_EVERY."""
        await self.run_once()
        now = self.clock()
        if self._reconciled_at is None or now - self._reconciled_at >= RECONCILE_EVERY:
            self._reconciled_at = now
            await self.reconcile_due()

    async def run_once(self, limit: int = 20) -> int:
        """One pass: the orders of the fees due a try; how many were made."""
        now = self.clock()
        async with self.db.transaction(write=False) as session:
            repo = FeeRepository(session)
            due = []
            for fee_id in await repo.ids_to_order(now, limit):
                fee = await repo.find(fee_id)
                if fee is not None:
                    due.append((fee.id, fee.amount_fen, fee.subject, fee.application_id))
        made = 0
        for fee_id, amount, subject, application_id in due:
            payer = await self._payer(application_id)
            try:
                order = await self.payments.create_order(
                    merchant_order_no=fee_id,
                    amount_fen=amount,
                    subject=subject,
                    payer_name=payer,
                    notify_url=self.settings.resolved_payment_notify_url(),
                )
            except ProviderError as exc:
                log.warning("payment order of fee %s not made: %s", fee_id, exc)
                async with self.db.transaction() as session:
                    await fees.failed(session, fee_id, str(exc), now=self.clock())
                continue
            async with self.db.transaction() as session:
                await fees.ordered(session, fee_id, order, now=self.clock())
            made += 1
        return made

    async def reconcile_due(self) -> list[date]:
        """The daily pass: reconcile every day of the last week that is over and not yet reconciled
        (a failed day again once RETRY_FAILED_AFTER has passed); the days it ran."""
        now = self.clock()
        today = local_date(now)
        since = today - timedelta(days=RECONCILE_DAYS_BACK)
        async with self.db.transaction(write=False) as session:
            done = await FeeRepository(session).days_reconciled(since, failed_before=now - RETRY_FAILED_AFTER)
        ran = []
        for day in (since + timedelta(days=n) for n in range((today - since).days)):
            if day in done:
                continue
            try:
                statement = await self.payments.statement(day)
            except ProviderError as exc:
                log.warning("reconciliation of %s: no statement from the provider: %s", day, exc)
                async with self.db.transaction() as session:
                    await fees.record_run(session, day, str(exc), by=SYSTEM_ACTOR, now=self.clock())
                ran.append(day)
                continue
            async with self.db.transaction() as session:
                result = await fees.compare(session, statement, day)
                outcome = (result, statement.payments_fen, statement.refunds_fen)
                await fees.record_run(session, day, outcome, by=SYSTEM_ACTOR, now=self.clock())
            if result.discrepancies:
                log.warning("reconciliation of %s: %d line(s) differ", day, len(result.discrepancies))
            ran.append(day)
        return ran

    async def _payer(self, application_id: str) -> str:
        async with self.db.transaction(write=False) as session:
            return await FeeRepository(session).applicant_name(application_id)


async def start_providers(app: Any) -> None:
    """Startup hook: the providers' clients, and the fee worker when payments are configured."""
    settings: Settings = app.state.settings
    app.state.provider_session = provider_session()
    app.state.providers = providers_for(settings, app.state.db, app.state.provider_session)
    app.state.fee_worker = None
    payments = app.state.providers.payments
    if payments is not None:
        worker = FeeWorker(app.state.db, payments, settings, lambda: app.state.clock())
        app.state.fee_worker = PeriodicTask(
            "intake-fee-worker", worker.fee_pass, seconds=settings.fee_worker_seconds, log=log
        )
        app.state.fee_worker.start()


async def stop_providers(app: Any) -> None:
    """Shutdown hook: stop the fee worker, close the providers' client session."""
    task: PeriodicTask | None = getattr(app.state, "fee_worker", None)
    if task is not None:
        await task.stop()
    session = getattr(app.state, "provider_session", None)
    if session is not None:
        await session.close()
