"""Queries on the record of staff looking persons up."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.calendar import SHANGHAI
from yiwang_shared.pagination import DateRange

from ..models import PersonLookup


def _day_start(day: date) -> datetime:
    """The first instant of `day` in Beijing, in UTC (saturating at the ends of the calendar)."""
    try:
        return datetime.combine(day, time.min, SHANGHAI).astimezone(UTC)
    except OverflowError:
        return datetime.min.replace(tzinfo=UTC)


class LookupRepository:
    """Recorded lookups in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, record: PersonLookup) -> None:
        """Stage a new record."""
        self.session.add(record)

    async def times_since(self, staff_id: str, purposes: tuple[str, ...], since: datetime) -> list[datetime]:
        """When `staff_id` looked people up (for these purposes) after `since`, oldest first."""
        rows = await self.session.execute(
            select(PersonLookup.looked_up_at)
            .where(
                PersonLookup.staff_id == staff_id,
                PersonLookup.purpose.in_(purposes),
                PersonLookup.looked_up_at > since,
            )
            .order_by(PersonLookup.looked_up_at)
        )
        return list(rows.scalars())

    async def page(
        self,
        *,
        days: DateRange,
        staff_id: str | None,
        person_id: str | None,
        limit: int,
        offset: int,
    ) -> tuple[list[PersonLookup], int]:
        """A page of records, newest first, and the total that match."""
        query = select(PersonLookup)
        if days.start is not None:
            query = query.where(PersonLookup.looked_up_at >= _day_start(days.start))
        if days.end is not None and days.end < date.max:
            query = query.where(PersonLookup.looked_up_at < _day_start(days.end + timedelta(days=1)))
        if staff_id is not None:
            query = query.where(PersonLookup.staff_id == staff_id)
        if person_id is not None:
            query = query.where(PersonLookup.person_id == person_id)
        total = (await self.session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
        rows = await self.session.execute(
            query.order_by(PersonLookup.looked_up_at.desc(), PersonLookup.id).limit(limit).offset(offset)
        )
        return list(rows.scalars()), int(total)
