"""Queries on the indicator counters: (dimension, key, month, name) → value."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, case, func, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import IndicatorCounter

CounterKey = tuple[str, str, str, str]  # dimension, key, month, counter name


class CounterRepository:
    """Indicator counters in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, increments: dict[CounterKey, int]) -> None:
        """Add increments to the counters (an upsert per counter, atomic under concurrency)."""
        if not increments:
            return
        session = self.session
        dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
        table = cast(Table, IndicatorCounter.__table__)
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
        # One statement executed for many rows: compiled once and cached, unlike a multi-VALUES insert.
        stmt = insert.on_conflict_do_update(
            index_elements=["dimension", "key", "month", "name"],
            set_={"value": table.c.value + insert.excluded.value},
        )
        rows = [
            {"dimension": d, "key": k, "month": m, "name": n, "value": v}
            for (d, k, m, n), v in sorted(increments.items())  # sorted: no deadlock between writers
        ]
        await session.execute(stmt, rows)

    async def all(self) -> dict[CounterKey, int]:
        """Every stored counter (zeros left out)."""
        c = IndicatorCounter
        rows = await self.session.execute(select(c.dimension, c.key, c.month, c.name, c.value))
        return {(d, k, m, n): int(v) for d, k, m, n, v in rows.all() if v}

    async def of(
        self,
        *,
        dimension: str,
        month: str,
        key: str | None = None,
        prefix: str | None = None,
        names: set[str] | None = None,
    ) -> dict[str, dict[str, int]]:
        """{key: {counter: value}} for one dimension and month (one key, a key prefix, some names)."""
        c = IndicatorCounter
        stmt = select(c.key, c.name, c.value).where(c.dimension == dimension, c.month == month)
        if names is not None:
            stmt = stmt.where(c.name.in_(sorted(names)))
        if key is not None:
            stmt = stmt.where(c.key == key)
        elif prefix is not None:
            stmt = stmt.where((c.key == prefix) | c.key.startswith(prefix + "-", autoescape=True))
        out: dict[str, dict[str, int]] = defaultdict(dict)
        for k, name, value in (await self.session.execute(stmt)).all():
            out[k][name] = int(value)
        return dict(out)

    async def ranking_sums(
        self,
        *,
        dimension: str,
        month: str,
        numerator: Sequence[str],
        denominator: str | None,
        min_ratings: int,
        max_bad_reviews: int | None,
    ) -> list[tuple[str, int, int | None, int, int]]:
        """(key, numerator, denominator or None, ratings, bad ratings) per key with at least
        `min_ratings` ratings (and at most `max_bad_reviews` bad ones, when given).

        The counters are pivoted and filtered in SQL (one row per key), so a ranking over thousands
        of staff stays a single indexed scan of one month.
        """
        c = IndicatorCounter

        def total_of(*names: str) -> Any:
            return func.sum(case((c.name.in_(names), c.value), else_=0))

        num = total_of(*numerator)
        den = total_of(denominator) if denominator else None
        ratings = total_of("ratings")
        bad = total_of("ratings_bad")
        needed = {*numerator, "ratings", "ratings_bad"} | ({denominator} if denominator else set())
        stmt = (
            select(c.key, num, den if den is not None else literal(None), ratings, bad)
            .where(c.dimension == dimension, c.month == month, c.name.in_(sorted(needed)))
            .group_by(c.key)
            .having(ratings >= min_ratings)
        )
        if max_bad_reviews is not None:
            stmt = stmt.having(bad <= max_bad_reviews)
        # PostgreSQL sums bigints as numeric (Decimal): they are whole numbers.
        return [
            (key, int(n), None if d is None else int(d), int(r), int(b))
            for key, n, d, r, b in (await self.session.execute(stmt)).all()
        ]
