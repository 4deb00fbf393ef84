"""Queries on the service hall queue (排队叫号): a hall's configuration, and its tickets.

Two clerks calling at once never get the same ticket: a ticket moves on by a conditional UPDATE
that only one transaction can win (on PostgreSQL the candidate is also picked `FOR UPDATE SKIP
LOCKED`, so the loser takes the next one instead of waiting; SQLite runs write transactions one at
a time). Numbers come from a counter row bumped by one `INSERT … ON CONFLICT DO UPDATE …
RETURNING`, so two kiosks never give the same number.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, and_, case, func, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.queue import QueueCategory, QueueCounter, QueueHall, QueueTicket, QueueWindow


class QueueHallRepository:
    """A hall's configuration: the hall row, its categories and its windows."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, place_id: str) -> QueueHall | None:
        """The hall row of a place, or None (not configured)."""
        return await self.session.get(QueueHall, place_id)

    async def categories(self, place_id: str) -> list[QueueCategory]:
        """The hall's categories, in their order."""
        query = select(QueueCategory).where(QueueCategory.place_id == place_id)
        return list(await self.session.scalars(query.order_by(QueueCategory.position)))

    async def categories_unordered(self, place_id: str) -> list[QueueCategory]:
        """The hall's categories, in no particular order."""
        return list(
            await self.session.scalars(select(QueueCategory).where(QueueCategory.place_id == place_id))
        )

    async def active_windows(self, place_id: str) -> list[QueueWindow]:
        """The hall's active windows, by number."""
        query = select(QueueWindow).where(QueueWindow.place_id == place_id, QueueWindow.active.is_(True))
        return list(await self.session.scalars(query.order_by(QueueWindow.number)))

    async def windows(self, place_id: str) -> list[QueueWindow]:
        """Every window of the hall, active or not."""
        return list(await self.session.scalars(select(QueueWindow).where(QueueWindow.place_id == place_id)))

    async def windows_of_units(self, unit_codes: Iterable[str]) -> list[QueueWindow]:
        """The windows (of any hall) whose unit is one of `unit_codes`."""
        query = select(QueueWindow).where(QueueWindow.unit_code.in_(list(unit_codes)))
        return list(await self.session.scalars(query))

    async def find_active_window(self, unit_code: str) -> QueueWindow | None:
        """The active window whose unit is `unit_code`, or None."""
        return await self.session.scalar(
            select(QueueWindow).where(QueueWindow.unit_code == unit_code, QueueWindow.active.is_(True))
        )


def _before(ticket: QueueTicket) -> ColumnElement[bool]:
    """Tickets of the same category called before `ticket` (priority first, then the oldest)."""
    t = QueueTicket
    return or_(
        t.priority > ticket.priority,
        and_(
            t.priority == ticket.priority,
            or_(t.taken_at < ticket.taken_at, and_(t.taken_at == ticket.taken_at, t.number < ticket.number)),
        ),
    )


class QueueTicketRepository:
    """Tickets (排队号) and the numbers they get."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def _postgres(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"

    async def find(self, ticket_id: str) -> QueueTicket | None:
        """The ticket, or None."""
        return await self.session.get(QueueTicket, ticket_id)

    async def lock_window(self, window_id: str) -> None:
        """PostgreSQL: one call per window at a time (a double click calls one number, not two)."""
        if self._postgres:
            await self.session.execute(
                text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": "queue:" + window_id}
            )

    async def next_number(self, place_id: str, day: date, category_code: str) -> int:
        """Bump the counter of the hall, day and category by one and return it (1 for the first)."""
        table = cast(Table, QueueCounter.__table__)
        insert = (postgresql.insert if self._postgres else sqlite.insert)(table)
        stmt = (
            insert.values(place_id=place_id, day=day, category_code=category_code, last_number=1)
            .on_conflict_do_update(
                index_elements=[table.c.place_id, table.c.day, table.c.category_code],
                set_={"last_number": table.c.last_number + 1},
            )
            .returning(table.c.last_number)
        )
        return int((await self.session.execute(stmt)).scalar_one())

    def add(self, ticket: QueueTicket) -> None:
        """Stage a new ticket."""
        self.session.add(ticket)

    async def add_for_appointment(self, ticket: QueueTicket) -> bool:
        """Insert an appointment's ticket; False when the appointment has one already (a concurrent
        check-in won), the transaction still usable."""
        try:
            async with self.session.begin_nested():
                self.session.add(ticket)
        except IntegrityError:
            return False
        return True

    async def ticket_no_of_appointment(self, appointment_id: str) -> str | None:
        """The number of the ticket issued to an appointment, if any."""
        return await self.session.scalar(
            select(QueueTicket.ticket_no).where(QueueTicket.appointment_id == appointment_id)
        )

    async def count_waiting(
        self, place_id: str, day: date, category_codes: Iterable[str] | None = None
    ) -> int:
        """Numbers waiting in the hall on `day` (of these categories, if given)."""
        t = QueueTicket
        query = (
            select(func.count())
            .select_from(t)
            .where(t.place_id == place_id, t.day == day, t.status == "waiting")
        )
        if category_codes is not None:
            query = query.where(t.category_code.in_(list(category_codes)))
        return int(await self.session.scalar(query) or 0)

    async def count_ahead(self, ticket: QueueTicket) -> int:
        """How many waiting numbers of its category will be called before `ticket`."""
        t = QueueTicket
        query = (
            select(func.count())
            .select_from(t)
            .where(
                t.place_id == ticket.place_id,
                t.day == ticket.day,
                t.category_code == ticket.category_code,
                t.status == "waiting",
                t.id != ticket.id,
                _before(ticket),
            )
        )
        return int(await self.session.scalar(query) or 0)

    async def waiting_by_category(self, place_id: str, day: date) -> dict[str, int]:
        """How many numbers wait in each category of the hall on `day`."""
        t = QueueTicket
        counts = await self.session.execute(
            select(t.category_code, func.count())
            .where(t.place_id == place_id, t.day == day, t.status == "waiting")
            .group_by(t.category_code)
        )
        return {code: int(n) for code, n in counts}

    async def service_seconds_since(
        self, place_id: str, since: datetime
    ) -> list[tuple[str | None, int | None]]:
        """(window id, service seconds) of the hall's tickets completed since `since`, newest first."""
        t = QueueTicket
        rows = await self.session.execute(
            select(t.window_id, t.service_seconds)
            .where(
                t.place_id == place_id,
                t.status == "completed",
                t.service_seconds.is_not(None),
                t.finished_at >= since,
            )
            .order_by(t.finished_at.desc())
        )
        return [(window_id, seconds) for window_id, seconds in rows]

    async def open_at_window(self, window_id: str, statuses: Iterable[str]) -> QueueTicket | None:
        """The window's latest called ticket still in one of `statuses`."""
        t = QueueTicket
        return await self.session.scalar(
            select(t)
            .where(t.window_id == window_id, t.status.in_(list(statuses)))
            .order_by(t.last_called_at.desc())
            .limit(1)
        )

    async def next_waiting(
        self, place_id: str, day: date, category_codes: Iterable[str]
    ) -> QueueTicket | None:
        """The next waiting number of these categories: priority first, then the oldest (PostgreSQL:
        one no other transaction holds)."""
        t = QueueTicket
        query = (
            select(t)
            .where(
                t.place_id == place_id,
                t.day == day,
                t.status == "waiting",
                t.category_code.in_(list(category_codes)),
            )
            .order_by(t.priority.desc(), t.taken_at, t.number)
            .limit(1)
        )
        if self._postgres:
            query = query.with_for_update(skip_locked=True)
        return await self.session.scalar(query)

    async def move(
        self, ticket: QueueTicket, from_: Iterable[str], *, add_call: bool = False, **values: Any
    ) -> bool:
        """Set `values` on the ticket if it is still in one of `from_` (`add_call`: one more call);
        True when this call moved it. The ticket is reloaded either way."""
        t = QueueTicket
        if add_call:
            values["call_count"] = t.call_count + 1
        done = await self.session.execute(
            update(t)
            .where(t.id == ticket.id, t.status.in_(list(from_)))
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        await self.session.refresh(ticket)
        return bool(done.rowcount == 1)  # type: ignore[attr-defined]

    async def recent_calls(self, place_id: str, day: date, last: int) -> list[QueueTicket]:
        """The hall's `last` most recently called tickets of `day`."""
        t = QueueTicket
        return list(
            await self.session.scalars(
                select(t)
                .where(t.place_id == place_id, t.day == day, t.last_called_at.is_not(None))
                .order_by(t.last_called_at.desc(), t.id)
                .limit(last)
            )
        )

    async def page(
        self, place_id: str, day: date, *, status: str | None, limit: int, offset: int
    ) -> tuple[list[QueueTicket], int]:
        """A page of the hall's tickets of `day` (in `status`, if given), oldest first, and the total."""
        t = QueueTicket
        query = select(t).where(t.place_id == place_id, t.day == day)
        if status is not None:
            query = query.where(t.status == status)
        total = int(await self.session.scalar(select(func.count()).select_from(query.subquery())) or 0)
        rows = await self.session.scalars(
            query.order_by(t.taken_at, t.number, t.id).limit(limit).offset(offset)
        )
        return list(rows), total

    async def wait_figures(self, place_id: str, first: date, last: date) -> tuple[Any, Any, Any, Any, Any]:
        """(tickets, called, mean wait seconds of the called, called after their limit, no-shows) of
        the hall's local days `first` to `last`."""
        t = QueueTicket
        called = t.called_at.is_not(None)
        row = (
            await self.session.execute(
                select(
                    func.count(),
                    func.sum(case((called, 1), else_=0)),
                    func.avg(case((called, t.wait_seconds), else_=None)),
                    func.sum(case((called & (t.wait_seconds > t.wait_limit_minutes * 60), 1), else_=0)),
                    func.sum(case((t.status == "no_show", 1), else_=0)),
                ).where(t.place_id == place_id, t.day >= first, t.day <= last)
            )
        ).one()
        total, n_called, avg_wait, over, no_show = row
        return total, n_called, avg_wait, over, no_show
