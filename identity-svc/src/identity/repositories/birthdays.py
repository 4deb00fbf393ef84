"""Queries of the birthday pass: the days it went through, whose birthday falls on a day, and the
contact tickets its events carry."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.pagination import PageParams, page_of

from ..models import BirthdayPass, ContactTicket, Person


class BirthdayRepository:
    """Birthday passes, the persons they find, and contact tickets in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def first_job_day(self) -> date | None:
        """The earliest day the daily job passed, or None before its first pass."""
        return await self.session.scalar(
            select(func.min(BirthdayPass.day)).where(BirthdayPass.first_by == "job")
        )

    async def days_since(self, first: date) -> set[date]:
        """The days passed from `first` on."""
        return set(
            (await self.session.execute(select(BirthdayPass.day).where(BirthdayPass.day >= first))).scalars()
        )

    async def claim_day(self, day: date, now: datetime, *, by: str) -> bool:
        """Record `day` as passed (no persons yet) unless it is already; True when this call did.

        One statement that never fails on a clash, so two replicas claiming the same day wait for
        each other and the second is told it was passed."""
        insert = (postgresql.insert if self._postgres else sqlite.insert)(BirthdayPass)
        result = await self.session.execute(
            insert.values(day=day, first_by=by, persons=0, runs=1, first_passed_at=now, last_passed_at=now)
            .on_conflict_do_nothing(index_elements=["day"])
            .returning(BirthdayPass.day)
        )
        return result.scalar_one_or_none() is not None

    async def find(self, day: date, *, for_update: bool = False) -> BirthdayPass | None:
        """The pass of `day`, or None."""
        query = select(BirthdayPass).where(BirthdayPass.day == day)
        if for_update:
            query = query.with_for_update().execution_options(populate_existing=True)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def page(self, page: PageParams) -> tuple[list[BirthdayPass], int]:
        """The days passed, newest first, and how many there are."""
        query = select(BirthdayPass).order_by(BirthdayPass.day.desc())
        return await page_of(self.session, query, page)

    async def born_on(self, month_days: Sequence[str]) -> list[Person]:
        """Active persons with an 18-character resident ID whose birth month and day (MMDD, digits
        11–14) is one of `month_days`, in account order."""
        query = (
            select(Person)
            .where(
                Person.status == "active",
                func.length(Person.resident_id) == 18,
                func.substr(Person.resident_id, 11, 4).in_(list(month_days)),
            )
            .order_by(Person.id)
        )
        return list((await self.session.execute(query)).scalars())

    def add_ticket(self, ticket: ContactTicket) -> None:
        """Stage a new contact ticket."""
        self.session.add(ticket)

    async def find_ticket(self, digest: str, *, for_update: bool = False) -> ContactTicket | None:
        """The ticket with this digest, or None."""
        query = select(ContactTicket).where(ContactTicket.digest == digest)
        if for_update:
            query = query.with_for_update().execution_options(populate_existing=True)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def purge_tickets(self, *, expired_before: datetime) -> None:
        """Delete the tickets that expired before `expired_before`."""
        await self.session.execute(delete(ContactTicket).where(ContactTicket.expires_at < expired_before))

    @property
    def _postgres(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"
