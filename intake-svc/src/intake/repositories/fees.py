"""Queries on fees (payment notices) and waybills."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.applications import Application
from ..models.fees import Fee, Waybill


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

    async def find_waybill(self, waybill_no: str, *, for_update: bool = False) -> Waybill | None:
        """The waybill (locked for update when asked), or None."""
        query = select(Waybill).where(Waybill.waybill_no == waybill_no)
        if for_update:
            query = query.with_for_update().execution_options(populate_existing=True)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def waybills_of(self, application_id: str) -> list[Waybill]:
        """The case's waybills, oldest first."""
        rows = await self.session.scalars(
            select(Waybill).where(Waybill.application_id == application_id).order_by(Waybill.created_at)
        )
        return list(rows)
