"""Queries on fees (payment notices) and waybills."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.applications import Application
from ..models.fees import Fee, FeeRefund, Reconciliation, Waybill


class FeeRepository:
    """Fees and waybills in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: Fee | Waybill) -> None:
        """Stage a new fee or waybill."""
        self.session.add(row)

    async def find(self, fee_id: str, *, for_update: bool = False) -> Fee | None:
        """The fee (locked for update when asked), or None."""
        query = select(Fee).where(Fee.id == fee_id)
        if for_update:
            query = query.with_for_update().execution_options(populate_existing=True)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def of_case(self, application_id: str) -> list[Fee]:
        """The case's fees, oldest first."""
        rows = await self.session.scalars(
            select(Fee).where(Fee.application_id == application_id).order_by(Fee.created_at, Fee.id)
        )
        return list(rows)

    async def case_of(self, fee: Fee) -> Application:
        """The case a fee belongs to (locked: its trace moves with the fee)."""
        query = select(Application).where(Application.id == fee.application_id).with_for_update()
        return (await self.session.execute(query)).scalar_one()

    async def applicant_name(self, application_id: str) -> str:
        """The applicant's name on the case (the payer a payment notice names)."""
        name = await self.session.scalar(
            select(Application.applicant_name).where(Application.id == application_id)
        )
        return str(name or "")

    async def ids_to_order(self, now: datetime, limit: int) -> list[str]:
        """Fees whose order the provider has yet to make and that are due a try, oldest first."""
        rows = await self.session.scalars(
            select(Fee.id)
            .where(Fee.status == "new", or_(Fee.next_attempt_at.is_(None), Fee.next_attempt_at <= now))
            .order_by(Fee.created_at)
            .limit(limit)
        )
        return list(rows)

    async def touched_between(self, start: datetime, end: datetime) -> list[Fee]:
        """Fees paid or changed in [start, end): the candidates of a day's reconciliation."""
        rows = await self.session.scalars(
            select(Fee).where(
                or_(Fee.paid_at.between(start, end), Fee.updated_at.between(start, end)),
                Fee.status.in_(("paid", "refunded")),
            )
        )
        return list(rows)

    def add_refund(self, refund: FeeRefund) -> None:
        """Stage a new refund."""
        self.session.add(refund)

    async def find_refund(self, refund_no: str) -> FeeRefund | None:
        """The refund by its number, or None."""
        return await self.session.get(FeeRefund, refund_no)

    async def refunds_of(self, fee_ids: Sequence[str]) -> dict[str, list[FeeRefund]]:
        """Fee id → its refunds, oldest first."""
        if not fee_ids:
            return {}
        rows = await self.session.scalars(
            select(FeeRefund)
            .where(FeeRefund.fee_id.in_(fee_ids))
            .order_by(FeeRefund.created_at, FeeRefund.refund_no)
        )
        out: dict[str, list[FeeRefund]] = {}
        for row in rows:
            out.setdefault(row.fee_id, []).append(row)
        return out

    async def refunds_between(self, start: datetime, end: datetime) -> list[FeeRefund]:
        """Refunds that succeeded in [start, end): our side of a day's statement."""
        rows = await self.session.scalars(
            select(FeeRefund).where(
                FeeRefund.status == "succeeded", FeeRefund.succeeded_at >= start, FeeRefund.succeeded_at < end
            )
        )
        return list(rows)

    async def reconciliation_of(self, day: date) -> Reconciliation | None:
        """The day's reconciliation as last run, or None."""
        return await self.session.get(Reconciliation, day)

    async def reconciliations(self, *, limit: int, offset: int) -> tuple[list[Reconciliation], int]:
        """A page of the days reconciled, the latest first, and how many there are."""
        total = int(await self.session.scalar(select(func.count()).select_from(Reconciliation)) or 0)
        rows = await self.session.scalars(
            select(Reconciliation).order_by(Reconciliation.day.desc()).limit(limit).offset(offset)
        )
        return list(rows), total

    async def reconciliation_statuses(self, since: date) -> dict[str, int]:
        """{status: days} of the days since `since` as last reconciled."""
        rows = await self.session.execute(
            select(Reconciliation.status, func.count())
            .where(Reconciliation.day >= since)
            .group_by(Reconciliation.status)
        )
        return {str(status): int(n) for status, n in rows}

    async def days_reconciled(self, since: date, *, failed_before: datetime) -> set[date]:
        """The days since `since` reconciled: matched or mismatched, or failed after `failed_before`
        (an older failure is tried again)."""
        rows = await self.session.scalars(
            select(Reconciliation.day).where(
                Reconciliation.day >= since,
                or_(Reconciliation.status != "failed", Reconciliation.ran_at > failed_before),
            )
        )
        return set(rows)

    async def find_waybill(self, waybill_no: str, *, for_update: bool = False) -> Waybill | None:
        """The waybill (locked for update when asked), or None."""
        query = select(Waybill).where(Waybill.waybill_no == waybill_no)
        if for_update:
            query = query.with_for_update().execution_options(populate_existing=True)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def waybills_of(
        self, application_id: str | None, bundle_application_id: str | None = None
    ) -> list[Waybill]:
        """The waybills of a case and of its bundle application (its result went in the bundle's
        parcel), oldest first."""
        owners = []
        if application_id is not None:
            owners.append(Waybill.application_id == application_id)
        if bundle_application_id is not None:
            owners.append(Waybill.bundle_application_id == bundle_application_id)
        if not owners:
            return []
        rows = await self.session.scalars(select(Waybill).where(or_(*owners)).order_by(Waybill.created_at))
        return list(rows)
