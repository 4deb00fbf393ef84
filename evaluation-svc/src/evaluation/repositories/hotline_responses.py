"""Queries on the response obligations read model (`hotline_responses`), the base of 响应率."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import HotlineResponse


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

    async def delete_if_unchanged(self, ticket_id: str, round_no: int, held: Mapping[str, Any]) -> None:
        """Delete the obligation if it still holds `held` (one changed meanwhile is kept)."""
        await self.session.execute(delete(HotlineResponse).where(_same_row(ticket_id, round_no, held)))

    async def update_if_unchanged(
        self, ticket_id: str, round_no: int, held: Mapping[str, Any], values: Mapping[str, Any]
    ) -> None:
        """Set the obligation to `values` if it still holds `held` (one changed meanwhile is kept)."""
        where = _same_row(ticket_id, round_no, held)
        await self.session.execute(update(HotlineResponse).where(where).values(**values))

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
        if key is not None:
            stmt = stmt.where(r.unit_code == key)
        elif prefix is not None:
            stmt = stmt.where((r.unit_code == prefix) | r.unit_code.startswith(prefix + "-", autoescape=True))
        return [(unit, int(due), int(ok or 0)) for unit, due, ok in (await self.session.execute(stmt)).all()]
