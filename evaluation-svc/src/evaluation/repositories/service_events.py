"""Queries on service events: what can be rated (an application, a ticket, a window visit)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, bindparam, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from yiwang_shared.pagination import PageParams, page_of_rows

from ..models import Rating, ServiceEvent
from .scopes import UnitScope


def _rated() -> Any:
    """SQL: the service event has a rating in force (its own alias, not a Rating joined to the page)."""
    given = aliased(Rating)
    return (
        select(given.id)
        .where(given.service_event_id == ServiceEvent.id, given.superseded_at.is_(None))
        .exists()
    )


def _for_rating(in_span: Any) -> Select[Any]:
    """SQL: a service event (`:event_id`), its rating in force, and `in_span`."""
    return (
        select(ServiceEvent, Rating, in_span)
        .outerjoin(Rating, (Rating.service_event_id == ServiceEvent.id) & Rating.superseded_at.is_(None))
        .where(ServiceEvent.id == bindparam("event_id"))
    )


def _in_burst_span() -> Any:
    """SQL: how many ratings in force and counted are on the window visits of the event's staff
    member since `:burst_since` (as `RatingRepository.count_on_visits_of` counts them)."""
    given, visit = aliased(Rating, name="given"), aliased(ServiceEvent, name="visit")
    return (
        select(func.count())
        .select_from(given)
        .join(visit, visit.id == given.service_event_id)
        .where(
            given.staff_id == ServiceEvent.staff_id,
            given.submitted_at >= bindparam("burst_since"),
            visit.kind == "visit",
            given.superseded_at.is_(None),
            given.excluded.is_(False),
        )
        .correlate(ServiceEvent)
        .scalar_subquery()
    )


# Built once: aliasing the tables anew for every rating cost more than the statements it saved.
_FOR_RATING = _for_rating(literal(0))
_FOR_RATING_IN_SPAN = _for_rating(_in_burst_span())


class ServiceEventRepository:
    """Service events in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, event_id: str) -> ServiceEvent | None:
        """The service event with id `event_id`, or None."""
        return await self.session.get(ServiceEvent, event_id)

    async def find_for_rating(
        self, event_id: str, *, burst_since: datetime | None
    ) -> tuple[ServiceEvent, Rating | None, int] | None:
        """The service event, its rating in force and (with `burst_since`) how many ratings in force
        and counted are on the window visits of its staff member since then — one statement — or
        None. Nothing is locked (`RatingRepository.relock` takes the rating in force's lock)."""
        params: dict[str, Any] = {"event_id": event_id}
        stmt = _FOR_RATING
        if burst_since is not None:
            stmt, params["burst_since"] = _FOR_RATING_IN_SPAN, burst_since
        row = (await self.session.execute(stmt, params)).one_or_none()
        return None if row is None else (row[0], row[1], int(row[2] or 0))

    async def find_by_source(
        self, kind: str, source_id: str, *, for_update: bool = False
    ) -> ServiceEvent | None:
        """The service event of an application, ticket or visit, or None."""
        stmt = select(ServiceEvent).where(ServiceEvent.kind == kind, ServiceEvent.source_id == source_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.execute(stmt)).scalar_one_or_none()

    def add(self, event: ServiceEvent) -> None:
        """Stage a new service event."""
        self.session.add(event)

    async def _page_with_ratings(
        self, stmt: Select[Any], page: PageParams
    ) -> tuple[list[tuple[ServiceEvent, Rating | None]], int]:
        """Each service event of the page with its rating in force (if any): one query, not one per row."""
        joined = stmt.add_columns(Rating).outerjoin(
            Rating, (Rating.service_event_id == ServiceEvent.id) & Rating.superseded_at.is_(None)
        )
        rows, total = await page_of_rows(self.session, joined, page)
        return [(e, r) for e, r in cast(list[tuple[ServiceEvent, Rating | None]], rows)], total

    async def page_of_source(
        self, source_id: str, *, scope: UnitScope, page: PageParams
    ) -> tuple[list[tuple[ServiceEvent, Rating | None]], int]:
        """A page of the service events of an application, ticket or visit served by a unit or window
        in `scope`, with their ratings in force, and how many there are."""
        stmt = (
            select(ServiceEvent)
            .where(
                ServiceEvent.source_id == source_id,
                scope.clause(ServiceEvent.unit_code, ServiceEvent.window_code),
            )
            .order_by(ServiceEvent.kind, ServiceEvent.id)
        )
        return await self._page_with_ratings(stmt, page)

    async def page_of_served(
        self, subject: str, *, rated: bool | None, page: PageParams
    ) -> tuple[list[tuple[ServiceEvent, Rating | None]], int]:
        """A page of the services `subject` was served with, newest first (only rated, or only not
        rated ones, when `rated` says), with their ratings in force, and how many there are."""
        stmt = (
            select(ServiceEvent)
            .where(ServiceEvent.served_subject == subject)
            .order_by(ServiceEvent.served_at.desc(), ServiceEvent.id)
        )
        if rated is not None:
            has_rating = _rated()
            stmt = stmt.where(has_rating if rated else ~has_rating)
        return await self._page_with_ratings(stmt, page)

    async def latest_visit_to_rate(
        self, window_code: str, *, since: datetime, event_id: str | None = None
    ) -> ServiceEvent | None:
        """The window's latest visit since `since` with no rating in force (only `event_id`, if given)."""
        stmt = select(ServiceEvent).where(
            ServiceEvent.kind == "visit",
            ServiceEvent.window_code == window_code,
            ServiceEvent.served_at >= since,
            ~_rated(),
        )
        if event_id is not None:
            stmt = stmt.where(ServiceEvent.id == event_id)
        stmt = stmt.order_by(ServiceEvent.served_at.desc(), ServiceEvent.id.desc()).limit(1)
        return (await self.session.execute(stmt)).scalar_one_or_none()
