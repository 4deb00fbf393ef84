"""Queries on the response obligations read model (`hotline_responses`), the base of 响应率."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Table,
    and_,
    case,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import HotlineResponse, HotlineResponseMonth

#: (month, unit) → (obligations, on time): a move of 响应率's rollup.
MonthKey = tuple[str, str]


def _same_row(ticket_id: str, round_no: int, held: Mapping[str, Any]) -> Any:
    """The row of (ticket, round) while it still holds exactly `held`."""
    r = HotlineResponse
    dispatched, responded = held["dispatched_at"], held["responded_at"]
    return and_(
        r.ticket_id == ticket_id,
        r.round == round_no,
        r.unit_code == held["unit_code"],
        r.due_at == held["due_at"],
        r.dispatched_at.is_(None) if dispatched is None else r.dispatched_at == dispatched,
        r.responded_at.is_(None) if responded is None else r.responded_at == responded,
    )


class HotlineResponseRepository:
    """Response obligations in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(
        self, ticket_id: str, round_no: int, *, for_update: bool = False
    ) -> HotlineResponse | None:
        """The obligation of a ticket's round, or None (FOR UPDATE: replicas serialise on it)."""
        if not for_update:
            return await self.session.get(HotlineResponse, (ticket_id, round_no))
        stmt = (
            select(HotlineResponse)
            .where(HotlineResponse.ticket_id == ticket_id, HotlineResponse.round == round_no)
            .with_for_update()
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def all(self) -> list[HotlineResponse]:
        """Every obligation."""
        return list((await self.session.execute(select(HotlineResponse))).scalars())

    def add(self, row: HotlineResponse) -> None:
        """Stage a new obligation."""
        self.session.add(row)

    async def delete_if_unchanged(self, ticket_id: str, round_no: int, held: Mapping[str, Any]) -> bool:
        """Delete the obligation if it still holds `held` (one changed meanwhile is kept); whether it did."""
        result = await self.session.execute(
            delete(HotlineResponse).where(_same_row(ticket_id, round_no, held))
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def update_if_unchanged(
        self, ticket_id: str, round_no: int, held: Mapping[str, Any], values: Mapping[str, Any]
    ) -> bool:
        """Set the obligation to `values` if it still holds `held` (one changed meanwhile is kept);
        whether it did."""
        where = _same_row(ticket_id, round_no, held)
        result = await self.session.execute(update(HotlineResponse).where(where).values(**values))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def move_months(self, moves: Mapping[MonthKey, tuple[int, int]]) -> None:
        """Add (obligations, on time) to the rollup's rows (an upsert per row, atomic under concurrency)."""
        rows = [
            {"month": m, "unit_code": u, "obligations": n, "on_time": ok}
            for (m, u), (n, ok) in sorted(moves.items())  # sorted: no deadlock between writers
            if n or ok
        ]
        if not rows:
            return
        session = self.session
        dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
        table = cast(Table, HotlineResponseMonth.__table__)
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
        stmt = insert.on_conflict_do_update(
            index_elements=["month", "unit_code"],
            set_={
                "obligations": table.c.obligations + insert.excluded.obligations,
                "on_time": table.c.on_time + insert.excluded.on_time,
            },
        )
        await session.execute(stmt, rows)

    async def recount_month(self, month: str, *, start: datetime, end: datetime) -> None:
        """Set the month's rollup rows to what its obligations (deadline in [start, end)) count."""
        m, r = HotlineResponseMonth, HotlineResponse
        on_time = case((and_(r.responded_at.is_not(None), r.responded_at <= r.due_at), 1), else_=0)
        counted = (
            select(literal(month), r.unit_code, func.count(), func.sum(on_time))
            .where(r.due_at >= start, r.due_at < end)
            .group_by(r.unit_code)
        )
        await self.session.execute(delete(m).where(m.month == month))
        columns = ["month", "unit_code", "obligations", "on_time"]
        await self.session.execute(insert(m).from_select(columns, counted))

    async def months(
        self, month: str, *, key: str | None = None, prefix: str | None = None
    ) -> dict[str, tuple[int, int]]:
        """{unit: (obligations, on time)} of the month's rollup; one unit, or a unit and its windows."""
        m = HotlineResponseMonth
        stmt = select(m.unit_code, m.obligations, m.on_time).where(m.month == month)
        stmt = stmt.where(_of_units(m.unit_code, key, prefix))
        return {unit: (int(n), int(ok)) for unit, n, ok in (await self.session.execute(stmt)).all()}

    async def all_months(self) -> dict[MonthKey, tuple[int, int]]:
        """The whole rollup (rows of zeros left out)."""
        m = HotlineResponseMonth
        rows = await self.session.execute(select(m.month, m.unit_code, m.obligations, m.on_time))
        return {(mo, u): (int(n), int(ok)) for mo, u, n, ok in rows.all() if n or ok}

    async def awaiting(
        self,
        *,
        start: datetime,
        end: datetime,
        now: datetime,
        key: str | None = None,
        prefix: str | None = None,
    ) -> dict[str, int]:
        """{unit: obligations} with a deadline in [start, end) still ahead of `now` and unanswered
        (not due yet); one unit, or a unit and its windows."""
        r = HotlineResponse
        stmt = (
            select(r.unit_code, func.count())
            .where(r.due_at > now, r.due_at >= start, r.due_at < end, r.responded_at.is_(None))
            .group_by(r.unit_code)
        )
        stmt = stmt.where(_of_units(r.unit_code, key, prefix))
        return {unit: int(n) for unit, n in (await self.session.execute(stmt)).all()}

    async def counts(
        self,
        *,
        start: datetime,
        end: datetime,
        now: datetime,
        key: str | None = None,
        prefix: str | None = None,
    ) -> list[tuple[str, int, int]]:
        """(unit, due, answered on time) of the obligations with a deadline in [start, end) that are
        due as of `now` (answered, or past their deadline); one unit, or a unit and its windows."""
        r = HotlineResponse
        on_time = and_(r.responded_at.is_not(None), r.responded_at <= r.due_at)
        stmt = (
            select(r.unit_code, func.count(), func.sum(case((on_time, 1), else_=0)))
            .where(r.due_at >= start, r.due_at < end, or_(r.due_at <= now, r.responded_at.is_not(None)))
            .group_by(r.unit_code)
        )
        stmt = stmt.where(_of_units(r.unit_code, key, prefix))
        return [(unit, int(due), int(ok or 0)) for unit, due, ok in (await self.session.execute(stmt)).all()]


def _of_units(column: Any, key: str | None, prefix: str | None) -> ColumnElement[bool]:
    """Rows of one unit (`key`), of a unit and its windows (`prefix`), or of every unit."""
    if key is not None:
        return column == key  # type: ignore[no-any-return]
    if prefix is not None:
        return (column == prefix) | column.startswith(prefix + "-", autoescape=True)  # type: ignore[no-any-return]
    return true()
