"""Queries on the search index (`search_terms`): writing an item's rows, and the SQL ranking.

The SQL ranking is the reference engine (services/search.py explains the scoring): one statement
over `search_terms` joined to `items`. It aggregates the terms' rows per item from the covering
index (term, field, item_id, weight) before joining `items`; when asked (`driver_terms`) it drives
from the rarest word's items through the second covering index (item_id, term, field, weight);
the groups' test is applied to the aggregated columns outside the aggregate (not in HAVING, where
SQLite would evaluate each max(CASE …) again).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, cast

from sqlalchemy import Float, Table, and_, case, delete, func, insert, literal, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from ..models import Item, SearchTerm
from .catalogue import ItemFilterValues

_items = cast(Table, Item.__table__)
_terms = cast(Table, SearchTerm.__table__)


class TermGroup(Protocol):
    """One word of a query: the terms matched outside bigrams, and the name bigrams."""

    @property
    def words(self) -> frozenset[str]: ...

    @property
    def bigrams(self) -> frozenset[str]: ...


def filter_conditions(filters: ItemFilterValues) -> list[ColumnElement[bool]]:
    """SQL conditions on `items` for these filters (always: status = published)."""
    c = _items.c
    out: list[ColumnElement[bool]] = [c.status == "published"]
    if filters.item_type is not None:
        out.append(c.item_type == filters.item_type)
    if filters.level is not None:
        out.append(c.level == filters.level)
    if filters.unit is not None:
        out.append(c.owner_unit_code == filters.unit)
    if filters.service_object is not None:
        out.append(c.service_objects_tags.contains(f"|{filters.service_object}|", autoescape=True))
    if filters.online_depth is not None:
        out.append(c.online_depth == filters.online_depth)
    if filters.zero_visit is True:
        out.append(c.visits == 0)
    elif filters.zero_visit is False:
        out.append(or_(c.visits.is_(None), c.visits != 0))
    if filters.theme is not None:
        out.append(c.themes_tags.contains(f"|{filters.theme}|", autoescape=True))
    if filters.community_kind is not None:
        out.append(c.community_kind == filters.community_kind)
    return out


def _idf_case(idf: dict[str, float], table: Any = _terms) -> ColumnElement[Any]:
    """The idf of the row's term, as a SQL expression (0 for a term not in `idf`)."""
    if not idf:
        return literal(0.0, Float)
    return case(
        {term: literal(value, Float) for term, value in sorted(idf.items())},
        value=table.c.term,
        else_=literal(0.0, Float),
    )


def _matches(group: TermGroup, table: Any = _terms) -> ColumnElement[bool]:
    """Index rows satisfying one group: its words outside bigrams, or its bigrams in names."""
    c = table.c
    parts: list[ColumnElement[bool]] = []
    if group.words:
        parts.append(and_(c.term.in_(sorted(group.words)), c.field != "bigram"))
    if group.bigrams:
        parts.append(and_(c.term.in_(sorted(group.bigrams)), c.field == "bigram"))
    return or_(*parts)


class SearchRepository:
    """The search index in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def replace_terms(self, item_id: str, rows: list[dict[str, Any]]) -> None:
        """Replace the item's index rows with `rows` (item_id, term, field, weight)."""
        await self.delete_terms(item_id)
        if rows:
            await self.session.execute(insert(_terms), rows)

    async def delete_terms(self, item_id: str) -> None:
        """Delete the item's index rows."""
        await self.session.execute(delete(_terms).where(_terms.c.item_id == item_id))

    async def document_frequencies(self, terms: frozenset[str]) -> tuple[int, dict[str, int]]:
        """Published item count and, per term, its number of index rows (one round trip).

        Rows, not distinct items: a covering-index count, several times cheaper than
        COUNT(DISTINCT) for common terms.
        """
        published = select(literal("", _terms.c.term.type).label("term"), func.count().label("n")).where(
            _items.c.status == "published"
        )
        per_term = (
            select(_terms.c.term, func.count().label("n"))
            .where(_terms.c.term.in_(sorted(terms)))
            .group_by(_terms.c.term)
        )
        rows = (await self.session.execute(union_all(published, per_term))).all()
        n = next((int(r.n) for r in rows if r.term == ""), 0)
        return n, {r.term: int(r.n) for r in rows if r.term != ""}

    async def ranked(
        self,
        groups: Sequence[TermGroup],
        *,
        word_idf: dict[str, float],
        bigram_idf: dict[str, float],
        filters: ItemFilterValues,
        limit: int,
        offset: int,
        require_all: bool,
        driver_terms: list[str] | None,
        candidates_of: list[str] | None,
        candidates: int,
    ) -> tuple[list[tuple[str, float]], int, int]:
        """One page of items ranked by Σ weight × idf × (groups matched), the total, and the
        number of items of `candidates_of` (0 when not given).

        With `driver_terms`, only their items are looked up (exact when every group is required
        and the driver is one of them). With `candidates_of`, only the `candidates` items with the
        best single row of those terms (weight × idf, then id) are scored.
        """
        every = sorted(frozenset().union(*(g.words | g.bigrams for g in groups)))
        per_item = self._per_item(groups, every, word_idf, bigram_idf, driver_terms)
        driver_items = 0
        if candidates_of is not None:
            found = await self._candidates(candidates_of, word_idf, bigram_idf, candidates)
            driver_items = int(found[0].n) if found else 0
            per_item = per_item.where(_terms.c.item_id.in_([r.item_id for r in found]))
        stmt = _page(per_item.subquery("m"), len(groups), filters, require_all, limit, offset)
        rows = (await self.session.execute(stmt)).all()
        if rows:
            total = int(rows[0].total)
        elif offset:
            total = await self._count(stmt)
        else:
            total = 0
        return [(r.item_id, float(r.score)) for r in rows], total, driver_items

    def _per_item(
        self,
        groups: Sequence[TermGroup],
        every: list[str],
        word_idf: dict[str, float],
        bigram_idf: dict[str, float],
        driver_terms: list[str] | None,
    ) -> Any:
        """Per item: the summed contribution of its matching rows and, per group, whether it matched.

        The rows are aggregated from the term index alone, and only the matched items are joined
        to `items` later: the planner cannot start from `items` and probe the index for every
        published item. With `driver_terms`, the other groups are looked up for the driver's
        items only, through the covering index (item_id, term, field, weight), rather than
        scanning all their rows.
        """
        t = _terms.c
        idf_of = case((t.field == "bigram", _idf_case(bigram_idf)), else_=_idf_case(word_idf))
        contribution = t.weight * idf_of
        matched = [func.max(case((_matches(g), 1), else_=0)).label(f"g{i}") for i, g in enumerate(groups)]
        if driver_terms is None:
            per_item = select(t.item_id, func.sum(contribution).label("s"), *matched).where(t.term.in_(every))
            return per_item.group_by(t.item_id)
        d = _terms.alias("driver")
        drivers = select(d.c.item_id).where(d.c.term.in_(driver_terms)).distinct().subquery("di")
        return (
            select(t.item_id, func.sum(contribution).label("s"), *matched)
            .select_from(drivers.join(_terms, and_(t.item_id == drivers.c.item_id, t.term.in_(every))))
            .group_by(t.item_id)
        )

    async def _candidates(
        self, terms: list[str], word_idf: dict[str, float], bigram_idf: dict[str, float], limit: int
    ) -> list[Any]:
        """The `limit` items with the best single row of `terms`, and (column n) how many items
        those terms have, in one round trip."""
        d = _terms.alias("driver")
        d_idf = case((d.c.field == "bigram", _idf_case(bigram_idf, d)), else_=_idf_case(word_idf, d))
        best = func.max(d.c.weight * d_idf)
        query = (
            select(d.c.item_id, func.count().over().label("n"))
            .where(d.c.term.in_(terms))
            .group_by(d.c.item_id)
            .order_by(best.desc(), d.c.item_id)
            .limit(limit)
        )
        return list((await self.session.execute(query)).all())

    async def _count(self, stmt: Any) -> int:
        """Total matches when the page is past the end (the window count is not there to read)."""
        inner = stmt.limit(None).offset(None).order_by(None).subquery()
        return int((await self.session.execute(select(func.count()).select_from(inner))).scalar_one())


def _page(
    m: Any, n_groups: int, filters: ItemFilterValues, require_all: bool, limit: int, offset: int
) -> Any:
    """The page of the per-item aggregate `m`, filtered, scored and ordered, with the window total.

    The groups' test is on the subquery's columns, not in HAVING: each max(CASE …) is then
    evaluated once per row (SQLite does not share aggregates whose bound parameters differ).
    """
    flags = [m.c[f"g{i}"] == 1 for i in range(n_groups)]
    group_test = and_(*flags) if require_all else or_(*flags)
    coverage: ColumnElement[Any] = m.c.g0
    for i in range(1, n_groups):
        coverage = coverage + m.c[f"g{i}"]
    score = (m.c.s * coverage).label("score")
    return (
        select(m.c.item_id, score, func.count().over().label("total"))
        .select_from(m.join(_items, _items.c.id == m.c.item_id))
        .where(group_test, *filter_conditions(filters))
        .order_by(score.desc(), m.c.item_id)
        .limit(limit)
        .offset(offset)
    )
