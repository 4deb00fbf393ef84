"""Queries on ratings, their one-time codes and the burst flags (疑似刷评) that hold them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, Table, case, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached

from yiwang_shared.pagination import PageParams, page_of

from ..models import Rating, RatingCode, RatingFlag, ServiceEvent

#: The rating columns a dimension is keyed by.
_RATING_KEY = {
    "unit": Rating.unit_code,
    "window": Rating.window_code,
    "staff": Rating.staff_id,
    "item": Rating.item_code,
}


class RatingRepository:
    """Ratings in the database (never deleted)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, rating_id: str) -> Rating | None:
        """The rating with id `rating_id`, or None."""
        return await self.session.get(Rating, rating_id)

    async def current_of(self, event_id: str, *, lock: bool = False) -> Rating | None:
        """The rating in force of a service event (not superseded), if any."""
        stmt = select(Rating).where(Rating.service_event_id == event_id, Rating.superseded_at.is_(None))
        if lock:
            stmt = stmt.with_for_update()
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def relock(self, rating: Rating) -> Rating | None:
        """The rating in force of `rating`'s event again, locked (PostgreSQL; SQLite's writer holds
        the whole database already, so there the rating read with the event stands)."""
        if self.session.get_bind().dialect.name != "postgresql":
            return rating
        stmt = (
            select(Rating)
            .where(Rating.service_event_id == rating.service_event_id, Rating.superseded_at.is_(None))
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def add_unique(self, rating: Rating) -> bool:
        """Insert a rating (every column set); False when the service event already has one in force.

        One statement that skips a row clashing with the unique index of ratings in force: a
        concurrent rating of the same event (PostgreSQL, read committed) is refused, and the
        transaction goes on. The rating then belongs to the session like any it read.
        """
        table: Table = Rating.__table__  # type: ignore[assignment]
        values = {p.columns[0].name: getattr(rating, p.key) for p in Rating.__mapper__.column_attrs}
        insert = (postgresql.insert if self._dialect() == "postgresql" else sqlite.insert)(table)
        stmt = insert.values(values).on_conflict_do_nothing(
            index_elements=[table.c.service_event_id], index_where=table.c.superseded_at.is_(None)
        )
        if (await self.session.execute(stmt)).rowcount != 1:  # type: ignore[attr-defined]
            return False
        make_transient_to_detached(rating)
        self.session.add(rating)
        return True

    def _dialect(self) -> str:
        return self.session.get_bind().dialect.name

    async def by_ids(self, ids: list[str]) -> dict[str, Rating]:
        """{id: rating} of the ratings among `ids`."""
        found = await self.session.execute(select(Rating).where(Rating.id.in_(ids)))
        return {r.id: r for r in found.scalars()}

    async def levels(self, ids: list[str]) -> dict[str, int]:
        """{id: level} of the ratings among `ids`."""
        found = await self.session.execute(select(Rating.id, Rating.level).where(Rating.id.in_(ids)))
        return dict(found.all())

    async def page_of_rater(self, subject: str, page: PageParams) -> tuple[list[Rating], int]:
        """A page of `subject`'s own ratings, newest first, and how many there are."""
        stmt = (
            select(Rating)
            .where(Rating.rater_subject == subject)
            .order_by(Rating.submitted_at.desc(), Rating.id)
        )
        return await page_of(self.session, stmt, page)

    async def held_counts(
        self, *, dimension: str, month: str, good_max: int, bad_min: int
    ) -> dict[str, dict[str, int]]:
        """{key: {ratings, ratings_good, ratings_bad}} of the counted ratings an open flag holds."""
        col = _RATING_KEY[dimension]
        stmt = (
            select(
                col,
                func.count(),
                func.sum(case((Rating.level <= good_max, 1), else_=0)),
                func.sum(case((Rating.level >= bad_min, 1), else_=0)),
            )
            .where(Rating.held.is_(True), Rating.excluded.is_(False), Rating.month == month, col.is_not(None))
            .group_by(col)
        )
        return {
            str(key): {"ratings": int(n), "ratings_good": int(good or 0), "ratings_bad": int(bad or 0)}
            for key, n, good, bad in (await self.session.execute(stmt)).all()
        }

    @staticmethod
    def _on_visits_of(clerk: str, since: datetime) -> Select[Any]:
        """SQL: ids of the ratings in force, counted, on `clerk`'s window visits since `since`."""
        return (
            select(Rating.id)
            .join(ServiceEvent, ServiceEvent.id == Rating.service_event_id)
            .where(
                Rating.staff_id == clerk,  # the event's staff member, copied: indexed with the time
                Rating.submitted_at >= since,
                ServiceEvent.kind == "visit",
                Rating.superseded_at.is_(None),
                Rating.excluded.is_(False),
            )
        )

    async def count_on_visits_of(self, clerk: str, *, since: datetime) -> int:
        """How many ratings in force (and counted) are on `clerk`'s window visits since `since`."""
        in_span = self._on_visits_of(clerk, since)
        count = select(func.count()).select_from(in_span.subquery())
        return int((await self.session.execute(count)).scalar_one())

    async def unflagged_on_visits_of(self, clerk: str, *, since: datetime) -> list[Rating]:
        """Those ratings not in a flag yet, oldest first."""
        stmt = (
            select(Rating)
            .where(Rating.id.in_(self._on_visits_of(clerk, since)), Rating.flag_id.is_(None))
            .order_by(Rating.submitted_at, Rating.id)
        )
        return list((await self.session.execute(stmt)).scalars().all())

    async def held_by_flag(self, flag_id: str) -> list[Rating]:
        """The ratings a flag still holds."""
        stmt = select(Rating).where(Rating.flag_id == flag_id, Rating.held.is_(True))
        return list((await self.session.execute(stmt)).scalars().all())

    async def ids_by_flag(self, flag_ids: list[str]) -> list[tuple[str, str]]:
        """(flag id, rating id) of every rating in the flags, oldest first."""
        found = await self.session.execute(
            select(Rating.flag_id, Rating.id)
            .where(Rating.flag_id.in_(flag_ids))
            .order_by(Rating.submitted_at, Rating.id)
        )
        return [(flag_id, rating_id) for flag_id, rating_id in found.all() if flag_id is not None]


class RatingCodeRepository:
    """One-time rating codes (by hash) in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, code_hash: str) -> RatingCode | None:
        """The code with this hash, or None."""
        return await self.session.get(RatingCode, code_hash)

    async def claim(self, code_hash: str, *, event_id: str, at: datetime) -> bool:
        """Mark the code used at `at` if it is an unused code of `event_id`; False otherwise (one
        statement: the row is not read first)."""
        claimed = await self.session.execute(
            update(RatingCode)
            .where(
                RatingCode.code_hash == code_hash,
                RatingCode.service_event_id == event_id,
                RatingCode.used_at.is_(None),
            )
            .values(used_at=at)
            .execution_options(synchronize_session=False)
        )
        return bool(claimed.rowcount)  # type: ignore[attr-defined]

    def add(self, code: RatingCode) -> None:
        """Stage a new code."""
        self.session.add(code)


class RatingFlagRepository:
    """Burst flags in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, flag_id: str) -> RatingFlag | None:
        """The flag with id `flag_id`, or None."""
        return await self.session.get(RatingFlag, flag_id)

    async def oldest_open_of(self, clerk: str) -> RatingFlag | None:
        """The clerk's oldest open flag, or None."""
        stmt = (
            select(RatingFlag)
            .where(RatingFlag.staff_id == clerk, RatingFlag.status == "open")
            .order_by(RatingFlag.created_at, RatingFlag.id)
            .limit(1)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    def add(self, flag: RatingFlag) -> None:
        """Stage a new flag."""
        self.session.add(flag)

    async def page(self, *, status: str | None, page: PageParams) -> tuple[list[RatingFlag], int]:
        """A page of the flags (in one state, if given), newest first, and how many there are."""
        stmt = select(RatingFlag).order_by(RatingFlag.created_at.desc(), RatingFlag.id)
        if status is not None:
            stmt = stmt.where(RatingFlag.status == status)
        return await page_of(self.session, stmt, page)
