"""Queries on appointments (预约): service places, their slots and the bookings in them.

Capacity and the no-overlap rule are held by the database: a seat is taken by a conditional UPDATE
(only while one is left), a booking is cancelled by one (only while still booked), and a partial
unique index (person, start) catches an overlap two concurrent bookings could not see.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Row, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.appointments import Appointment, AppointmentSlot, ServicePlace


class PlaceRepository:
    """Service places (办事场所)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, place_id: str) -> ServicePlace | None:
        """The place, or None."""
        return await self.session.get(ServicePlace, place_id)

    async def code_taken(self, code: str) -> bool:
        """True when a place has this code."""
        return bool(await self.session.scalar(select(ServicePlace.id).where(ServicePlace.code == code)))

    async def add_unique(self, place: ServicePlace) -> bool:
        """Insert the place; False when another one took its code meanwhile (the transaction still usable)."""
        try:
            async with self.session.begin_nested():
                self.session.add(place)
        except IntegrityError:
            return False
        return True

    async def page(
        self, *, unit: str | None, include_inactive: bool, limit: int, offset: int
    ) -> tuple[list[ServicePlace], int]:
        """A page of places (of one unit; open for bookings unless `include_inactive`), by code."""
        query = select(ServicePlace)
        if unit:
            query = query.where(ServicePlace.org_unit_code == unit)
        if not include_inactive:
            query = query.where(ServicePlace.active.is_(True))
        total = int(await self.session.scalar(select(func.count()).select_from(query.subquery())) or 0)
        rows = await self.session.scalars(query.order_by(ServicePlace.code).limit(limit).offset(offset))
        return list(rows), total


class SlotRepository:
    """Appointment slots (预约时段) and their seats."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, slot_id: str) -> AppointmentSlot | None:
        """The slot, or None."""
        return await self.session.get(AppointmentSlot, slot_id)

    async def starts_between(
        self, place_id: str, item_code: str, first_day: date, last_day: date
    ) -> set[datetime]:
        """Start times of the item's slots at the place on days `first_day` to `last_day`."""
        s = AppointmentSlot
        query = select(s.starts_at).where(
            s.place_id == place_id, s.item_code == item_code, s.day >= first_day, s.day <= last_day
        )
        return set(await self.session.scalars(query))

    async def insert_missing(self, rows: list[dict[str, Any]]) -> None:
        """Insert slots; ones a concurrent generation added meanwhile are skipped, not an error."""
        dialect = self.session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        await self.session.execute(
            insert(AppointmentSlot).on_conflict_do_nothing(
                index_elements=["place_id", "item_code", "starts_at"]
            ),
            rows,
        )

    async def page(
        self,
        place_id: str,
        *,
        after: datetime,
        item_code: str | None,
        first_day: date | None,
        last_day: date | None,
        available_only: bool,
        limit: int,
        offset: int,
    ) -> tuple[list[AppointmentSlot], int]:
        """A page of the place's slots starting after `after`, by start time, and the total."""
        s = AppointmentSlot
        query = select(s).where(s.place_id == place_id, s.starts_at > after)
        if item_code:
            query = query.where(s.item_code == item_code)
        if first_day:
            query = query.where(s.day >= first_day)
        if last_day:
            query = query.where(s.day <= last_day)
        if available_only:
            query = query.where(s.booked < s.capacity)
        total = int(await self.session.scalar(select(func.count()).select_from(query.subquery())) or 0)
        rows = await self.session.scalars(
            query.order_by(s.starts_at, s.item_code).limit(limit).offset(offset)
        )
        return list(rows), total

    async def take_seat(self, slot_id: str) -> bool:
        """Take one seat while one is left; False when the slot is full."""
        s = AppointmentSlot
        taken = await self.session.execute(
            update(s)
            .where(s.id == slot_id, s.booked < s.capacity)
            .values(booked=s.booked + 1)
            .execution_options(synchronize_session=False)
        )
        return bool(taken.rowcount == 1)  # type: ignore[attr-defined]

    async def give_back_seat(self, slot_id: str) -> None:
        """Return one seat to the slot."""
        s = AppointmentSlot
        await self.session.execute(
            update(s)
            .where(s.id == slot_id)
            .values(booked=s.booked - 1)
            .execution_options(synchronize_session=False)
        )

    async def set_capacity(self, slot: AppointmentSlot, capacity: int) -> bool:
        """Set the capacity unless below the seats booked (decided in the UPDATE); the slot is
        reloaded; False when refused."""
        s = AppointmentSlot
        result = await self.session.execute(
            update(s)
            .where(s.id == slot.id, s.booked <= capacity)
            .values(capacity=capacity)
            .execution_options(synchronize_session=False)
        )
        await self.session.refresh(slot)
        return bool(result.rowcount != 0)  # type: ignore[attr-defined]


class AppointmentRepository:
    """Bookings (预约)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, appointment_id: str) -> Appointment | None:
        """The booking, or None."""
        return await self.session.get(Appointment, appointment_id)

    async def find_by_booking_no(self, place_id: str, booking_no: str, phone: str) -> Appointment | None:
        """The place's booking with this number and mobile, or None."""
        a = Appointment
        return await self.session.scalar(
            select(a).where(a.booking_no == booking_no, a.place_id == place_id, a.phone == phone)
        )

    async def lock_person(self, person_id: str) -> None:
        """PostgreSQL: one booking transaction per person at a time, so an overlap check cannot race.
        SQLite needs nothing: write transactions already run one at a time (BEGIN IMMEDIATE)."""
        if self.session.get_bind().dialect.name == "postgresql":
            await self.session.execute(
                text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": "appt:" + person_id}
            )

    async def find_overlap(
        self, person_id: str, starts_at: datetime, ends_at: datetime
    ) -> Row[str, datetime] | None:
        """(booking_no, starts_at) of a live booking of the person overlapping the time, or None."""
        a = Appointment
        query = select(a.booking_no, a.starts_at).where(
            a.person_id == person_id, a.status == "booked", a.starts_at < ends_at, a.ends_at > starts_at
        )
        return (await self.session.execute(query)).first()

    async def add_unique(self, appointment: Appointment) -> bool:
        """Insert the booking; False when the person holds one at the same start (the partial unique
        index caught what the overlap check could not see), the transaction still usable."""
        try:
            async with self.session.begin_nested():
                self.session.add(appointment)
        except IntegrityError:
            return False
        return True

    async def cancel(self, appointment_id: str, **values: Any) -> bool:
        """Mark the booking cancelled with `values` if it is still booked; True when this call did
        (of two concurrent cancellations only one gives the seat back)."""
        a = Appointment
        done = await self.session.execute(
            update(a)
            .where(a.id == appointment_id, a.status == "booked")
            .values(status="cancelled", **values)
            .execution_options(synchronize_session=False)
        )
        return bool(done.rowcount == 1)  # type: ignore[attr-defined]

    async def _page(
        self, where: Sequence[ColumnElement[bool]], *, limit: int, offset: int
    ) -> tuple[list[Appointment], int]:
        a = Appointment
        query = select(a).where(*where)
        total = int(await self.session.scalar(select(func.count()).select_from(query.subquery())) or 0)
        rows = await self.session.scalars(query.order_by(a.starts_at, a.id).limit(limit).offset(offset))
        return list(rows), total

    async def page_of(
        self,
        person_id: str,
        *,
        as_person: bool,
        include_cancelled: bool,
        ends_after: datetime | None,
        limit: int,
        offset: int,
    ) -> tuple[list[Appointment], int]:
        """The bookings `person_id` made (`as_person`: or was booked for), by start time, and the total."""
        a = Appointment
        mine: ColumnElement[bool] = a.booked_by == person_id
        if as_person:
            mine = or_(a.person_id == person_id, mine)
        where = [mine]
        if not include_cancelled:
            where.append(a.status == "booked")
        if ends_after is not None:
            where.append(a.ends_at > ends_after)
        return await self._page(where, limit=limit, offset=offset)

    async def page_of_place_day(
        self, place_id: str, day: date, *, include_cancelled: bool, limit: int, offset: int
    ) -> tuple[list[Appointment], int]:
        """A place's bookings on a day, by start time, and the total."""
        a = Appointment
        where = [a.place_id == place_id, a.day == day]
        if not include_cancelled:
            where.append(a.status == "booked")
        return await self._page(where, limit=limit, offset=offset)

    async def due_for_reminder(self, now: datetime, ahead: timedelta, batch: int) -> list[str]:
        """Ids of live bookings starting within `ahead` not yet reminded, soonest first (PostgreSQL:
        ones no other replica holds)."""
        a = Appointment
        due = (
            select(a.id)
            .where(
                a.status == "booked", a.reminded_at.is_(None), a.starts_at > now, a.starts_at <= now + ahead
            )
            .order_by(a.starts_at)
            .limit(batch)
        )
        if self.session.get_bind().dialect.name == "postgresql":
            due = due.with_for_update(skip_locked=True)
        return list(await self.session.scalars(due))

    async def mark_reminded(self, appointment_id: str, now: datetime) -> bool:
        """Set reminded_at unless set already (or cancelled); True when this call did."""
        a = Appointment
        claimed = await self.session.execute(
            update(a)
            .where(a.id == appointment_id, a.reminded_at.is_(None), a.status == "booked")
            .values(reminded_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]

    async def with_place(self, appointment_id: str) -> tuple[Appointment, ServicePlace]:
        """The booking and its place."""
        row = (
            await self.session.execute(
                select(Appointment, ServicePlace)
                .join(ServicePlace, ServicePlace.id == Appointment.place_id)
                .where(Appointment.id == appointment_id)
            )
        ).one()
        appointment, place = row
        return appointment, place
