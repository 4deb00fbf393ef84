"""Queries on demand (需求预判): the daily counts bumped by one `INSERT … ON CONFLICT DO UPDATE`
(two concurrent submissions never lose a count; on PostgreSQL the row is held only from the bump,
the last statement of the step, to the commit), the series the forecasts are fitted on, and the
cached forecasts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.appointments import ServicePlace
from ..models.demand import DemandDay, DemandForecast

#: The item code of a forecast over every item of the hall.
ALL_ITEMS = "*"


class DemandRepository:
    """The daily demand counts and the cached forecasts."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _insert(self, table: Table) -> Any:
        postgres = self.session.get_bind().dialect.name == "postgresql"
        return (postgresql.insert if postgres else sqlite.insert)(table)

    async def bump(
        self, day: date, unit_code: str, item_code: str, *, applications: int, visits: int
    ) -> None:
        """Add to the day's counts of the hall and item (the row made when missing)."""
        table = cast(Table, DemandDay.__table__)
        stmt = (
            self._insert(table)
            .values(
                day=day, unit_code=unit_code, item_code=item_code, applications=applications, visits=visits
            )
            .on_conflict_do_update(
                index_elements=[table.c.day, table.c.unit_code, table.c.item_code],
                set_={
                    "applications": table.c.applications + applications,
                    "visits": table.c.visits + visits,
                },
            )
        )
        await self.session.execute(stmt)

    async def insert_days(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert day rows (the demo history, for days that have none)."""
        if rows:
            await self.session.execute(self._insert(cast(Table, DemandDay.__table__)), list(rows))

    async def series(
        self, unit_code: str, item_code: str, first: date, last: date
    ) -> list[tuple[date, int, int]]:
        """(day, applications, visits) of the hall and item (ALL_ITEMS: summed) on days with any."""
        d = DemandDay
        query = select(d.day, func.sum(d.applications), func.sum(d.visits)).where(
            d.unit_code == unit_code, d.day >= first, d.day <= last
        )
        if item_code != ALL_ITEMS:
            query = query.where(d.item_code == item_code)
        rows = await self.session.execute(query.group_by(d.day).order_by(d.day))
        return [(r[0], int(r[1] or 0), int(r[2] or 0)) for r in rows]

    async def active_pairs(self, since: date) -> list[tuple[str, str]]:
        """(hall, item) pairs with demand since `since`."""
        d = DemandDay
        rows = await self.session.execute(
            select(d.unit_code, d.item_code).where(d.day >= since).group_by(d.unit_code, d.item_code)
        )
        return [(r[0], r[1]) for r in rows]

    async def has_history(self, unit_code: str, item_code: str) -> bool:
        """Any demand recorded for the hall and item (ALL_ITEMS: any item)."""
        query = select(DemandDay.day).where(DemandDay.unit_code == unit_code)
        if item_code != ALL_ITEMS:
            query = query.where(DemandDay.item_code == item_code)
        return (await self.session.scalar(query.limit(1))) is not None

    async def first_day(self, unit_code: str) -> date | None:
        """The hall's first day with demand."""
        return cast(
            date | None,
            await self.session.scalar(
                select(func.min(DemandDay.day)).where(DemandDay.unit_code == unit_code)
            ),
        )

    async def forecast(self, unit_code: str, item_code: str) -> DemandForecast | None:
        """The cached forecast of the hall and item."""
        return await self.session.get(DemandForecast, (unit_code, item_code))

    async def forecasts_as_of(self, as_of: date) -> set[tuple[str, str]]:
        """(hall, item) pairs whose cached forecast starts at `as_of` (fitted today)."""
        f = DemandForecast
        rows = await self.session.execute(select(f.unit_code, f.item_code).where(f.as_of == as_of))
        return {(r[0], r[1]) for r in rows}

    async def store_forecast(
        self, unit_code: str, item_code: str, *, as_of: date, computed_at: datetime, result: dict[str, Any]
    ) -> None:
        """Write the forecast of the hall and item (replacing the cached one)."""
        table = cast(Table, DemandForecast.__table__)
        values = {"as_of": as_of, "computed_at": computed_at, "result": result}
        stmt = (
            self._insert(table)
            .values(unit_code=unit_code, item_code=item_code, **values)
            .on_conflict_do_update(index_elements=[table.c.unit_code, table.c.item_code], set_=values)
        )
        await self.session.execute(stmt)

    async def drop_forecasts(self, unit_codes: Iterable[str]) -> None:
        """Forget the cached forecasts of these halls (their history was replaced)."""
        await self.session.execute(
            delete(DemandForecast).where(DemandForecast.unit_code.in_(list(unit_codes)))
        )


async def place_of_unit(session: AsyncSession, unit_code: str) -> ServicePlace | None:
    """The unit's first active service place (by code): the hall whose opening hours count."""
    return cast(
        ServicePlace | None,
        await session.scalar(
            select(ServicePlace)
            .where(ServicePlace.org_unit_code == unit_code, ServicePlace.active.is_(True))
            .order_by(ServicePlace.code)
            .limit(1)
        ),
    )


async def days_with_demand(session: AsyncSession, unit_code: str, first: date, last: date) -> set[date]:
    """The hall's days first–last that have a count of any item."""
    rows = await session.scalars(
        select(DemandDay.day)
        .where(DemandDay.unit_code == unit_code, DemandDay.day >= first, DemandDay.day <= last)
        .distinct()
    )
    return set(rows)
