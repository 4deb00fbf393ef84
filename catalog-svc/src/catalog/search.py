"""Chinese full-text search over published catalogue items (事项检索).

Index (`search_terms`, one row per item, term and field): at publish `reindex` replaces an item's
rows with the terms of its published elements (segmentation: catalog.search_text). Each row's
weight is the field's weight times a saturating term frequency (BM25's tf part, with the name
also normalised by its length):

    name 10 · keyword 6 · theme 4 · material 3 · result 2.5 · unit 2 · faq question 1, answer 0.5
    name bigram 1.5 (character pairs of the name, so fragments and odd cuts still match)

Query: the query is cut into words (search_text.query_groups: 营业执照 · 注销; a long compound
into its parts; 低保 also looks up 最低生活保障). An item must match **every** word (a word, one of
its sub-words, a synonym, or in the name one of its bigrams); words found nowhere in the index are
ignored, and if no item matches them all, items matching any are ranked (more words first). One
statement over `search_terms` joined to `items` (published only, plus the filters) sums weight ×
idf per item, multiplies by the words matched, and orders by that score, then id. It
aggregates the terms' rows per item from the covering index (term, field, item_id, weight)
before joining `items`; when the other words are far more common than the rarest (8×), the
statement drives from the rarest word's items and looks up every word's rows per item through
the second covering index (item_id, term, field, weight). The groups' test is applied to the
aggregated columns outside the aggregate (not in HAVING, where SQLite would evaluate each
max(CASE …) again). Pruning (`_ranked`): a single very common word
(营业执照: thousands of items) or the any-word fallback scores only the 400 items with the best
single row (name and keyword hits first) on first pages and estimates the total (see `search`).
idf = ln(1 + (N − df + 0.5) / (df + 0.5)), N = published items, df = the term's index rows
(capped at N), from one small query. Document frequencies are not cached in-process: they
set idf (scores) and the pruning decision (which items are ranked, the estimated total), so a
stale cache in one of several service processes would change results, not only speed.

Portability: plain SQLAlchemy Core (IN, CASE, GROUP BY, HAVING, COUNT(*) OVER ()), identical on
SQLite and PostgreSQL. Weights and idf are rounded to multiples of 1/64 and 1/256, so every
product and sum is exact in double precision and both backends compute bit-identical scores in
any summation order — hence the same ranking, ties included.

Errors: `SearchQueryError` (422, also a ValueError) for an empty, whitespace-only or over-long
query, bad paging or a filter value outside its enumeration.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    Float,
    Table,
    and_,
    case,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from yiwang_shared.errors import UnprocessableEntity

from .elements import (
    COMMUNITY_KINDS,
    ITEM_TYPES,
    LEVELS,
    ONLINE_DEPTHS,
    SERVICE_OBJECTS,
    ItemElements,
)
from .models import Item, SearchTerm
from .search_text import MAX_QUERY_CHARS, QueryTerms, bigrams, query_groups, tokens, warm_up

__all__ = [
    "FIELD_WEIGHTS",
    "MAX_LIMIT",
    "SearchFilters",
    "SearchQueryError",
    "index_terms",
    "reindex",
    "remove_from_index",
    "search",
    "validate_query",
    "warm_up",
]

MAX_LIMIT = 100

#: Field → weight of one occurrence. The field names are what `search_terms.field` holds.
FIELD_WEIGHTS: dict[str, float] = {
    "name": 10.0,
    "keyword": 6.0,
    "theme": 4.0,
    "material": 3.0,
    "result": 2.5,
    "unit": 2.0,
    "faq": 1.0,  # a question; an answer counts half
    "bigram": 1.5,
}
_FAQ_ANSWER_SHARE = 0.5
#: Fields whose single-character words are indexed (short, deliberate texts).
_SINGLE_CHAR_FIELDS = frozenset({"name", "keyword", "theme"})
#: BM25 parameters: tf saturation, and length normalisation of the name (typical name ≈ 8 terms).
_K1 = 1.2
_B_NAME = 0.4
_AVG_NAME_TERMS = 8.0
#: Weights and idf are rounded to these grids so sums are exact (see the module docstring).
_WEIGHT_GRID = 64.0
_IDF_GRID = 256.0

#: Queries over more index rows than this (all their terms) score only the best candidates …
_ROW_BUDGET = 6000
#: … this many items of the driving terms (see `_ranked`).
_CANDIDATES = 400
#: Required groups: look the others up per driver item when they have this many times its rows.
_DRIVER_RATIO = 8

_items = cast(Table, Item.__table__)
_terms = cast(Table, SearchTerm.__table__)


class SearchQueryError(UnprocessableEntity, ValueError):
    """The search request cannot be run as given (empty or over-long query, bad filter or paging)."""

    code = "catalog.search_invalid"

    def __init__(self, detail: str, *, field: str) -> None:
        super().__init__(detail, field=field)
        self.field = field


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Filters on `GET /v1/items?q=`; None means "any". Only published items are ever found."""

    item_type: str | None = None  # 事项类型 01–10, 20
    level: int | None = None  # 行使层级 1–7
    unit: str | None = None  # implementing unit's code (owner_unit_code)
    service_object: str | None = None  # 服务对象 1–6
    online_depth: str | None = None  # 网办深度 I–IV
    zero_visit: bool | None = None  # True: visits = 0 (零跑动); False: visits > 0 or unknown
    theme: str | None = None  # 主题分类, exact
    community_kind: str | None = None  # accept | collect_forward | enquiry_prereview

    def __post_init__(self) -> None:
        _check_enum("item_type", self.item_type, ITEM_TYPES)
        _check_enum("level", self.level, LEVELS)
        _check_enum("service_object", self.service_object, SERVICE_OBJECTS)
        _check_enum("online_depth", self.online_depth, ONLINE_DEPTHS)
        _check_enum("community_kind", self.community_kind, COMMUNITY_KINDS)
        for name, value, width in (("unit", self.unit, 64), ("theme", self.theme, 200)):
            if value is not None and not 0 < len(value) <= width:
                raise SearchQueryError(f"{name} must be 1 to {width} characters", field=name)

    def conditions(self) -> list[ColumnElement[bool]]:
        """SQL conditions on `items` for these filters (always: status = published)."""
        c = _items.c
        out: list[ColumnElement[bool]] = [c.status == "published"]
        if self.item_type is not None:
            out.append(c.item_type == self.item_type)
        if self.level is not None:
            out.append(c.level == self.level)
        if self.unit is not None:
            out.append(c.owner_unit_code == self.unit)
        if self.service_object is not None:
            out.append(c.service_objects_tags.contains(f"|{self.service_object}|", autoescape=True))
        if self.online_depth is not None:
            out.append(c.online_depth == self.online_depth)
        if self.zero_visit is True:
            out.append(c.visits == 0)
        elif self.zero_visit is False:
            out.append(or_(c.visits.is_(None), c.visits != 0))
        if self.theme is not None:
            out.append(c.themes_tags.contains(f"|{self.theme}|", autoescape=True))
        if self.community_kind is not None:
            out.append(c.community_kind == self.community_kind)
        return out


def _check_enum(name: str, value: object, allowed: dict[Any, str]) -> None:
    if value is not None and value not in allowed:
        choices = ", ".join(str(k) for k in allowed)
        raise SearchQueryError(f"{name} must be one of {choices}; got {value!r}", field=name)


def validate_query(q: str | None) -> str:
    """The stripped query, or SearchQueryError when it is empty or longer than 100 characters."""
    text = (q or "").strip()
    if not text:
        raise SearchQueryError("the search query q is empty; type a word to search for", field="q")
    if len(text) > MAX_QUERY_CHARS:
        raise SearchQueryError(
            f"the search query q has {len(text)} characters; at most {MAX_QUERY_CHARS} are allowed",
            field="q",
        )
    return text


# ------------------------------------------------------------------------------------------ index


def _grid(value: float, grid: float) -> float:
    return max(round(value * grid), 1) / grid


def _saturate(tf: float, length_factor: float = 1.0) -> float:
    return tf * (_K1 + 1) / (tf + _K1 * length_factor)


def index_terms(elements: ItemElements) -> dict[tuple[str, str], float]:
    """(term, field) → weight for one published version's elements (pure; no I/O)."""
    counts: dict[str, defaultdict[str, float]] = {f: defaultdict(float) for f in FIELD_WEIGHTS}

    def add(field: str, texts: Iterable[str | None], share: float = 1.0) -> None:
        single = field in _SINGLE_CHAR_FIELDS
        for text in texts:
            if text:
                for term in tokens(text, single_chars=single):
                    counts[field][term] += share

    add("name", [elements.name])
    add("keyword", elements.keywords)
    add("theme", elements.themes)
    add("material", (m.name for m in elements.materials))
    add("result", [elements.result.name])
    add("unit", [elements.implementing_unit.name])
    add("faq", (f.question for f in elements.faq))
    add("faq", (f.answer for f in elements.faq), _FAQ_ANSWER_SHARE)
    for pair in set(bigrams(elements.name)):
        counts["bigram"][pair] = 1.0

    name_terms = sum(counts["name"].values())
    name_length = 1 - _B_NAME + _B_NAME * name_terms / _AVG_NAME_TERMS
    out: dict[tuple[str, str], float] = {}
    for field, counter in counts.items():
        length = name_length if field == "name" else 1.0
        for term, tf in counter.items():
            out[(term, field)] = _grid(FIELD_WEIGHTS[field] * _saturate(tf, length), _WEIGHT_GRID)
    return out


async def reindex(session: AsyncSession, item_id: str, elements: ItemElements) -> None:
    """Replace the item's search terms with those of `elements` (call at publish)."""
    rows = [
        {"item_id": item_id, "term": term, "field": field, "weight": weight}
        for (term, field), weight in index_terms(elements).items()
    ]
    await session.execute(delete(_terms).where(_terms.c.item_id == item_id))
    if rows:
        await session.execute(insert(_terms), rows)


async def remove_from_index(session: AsyncSession, item_id: str) -> None:
    """Delete the item's search terms (call at retire)."""
    await session.execute(delete(_terms).where(_terms.c.item_id == item_id))


# ------------------------------------------------------------------------------------------ query


def _idf(n: int, df: int) -> float:
    df = min(df, n)
    return _grid(math.log(1 + (n - df + 0.5) / (df + 0.5)), _IDF_GRID)


async def _document_frequencies(session: AsyncSession, terms: frozenset[str]) -> tuple[int, dict[str, int]]:
    """Published item count and, per term, its number of index rows (one round trip).

    Rows, not distinct items: a covering-index count, several times cheaper than COUNT(DISTINCT)
    for common terms; capped at the item count when idf is computed.
    """
    published = select(literal("", _terms.c.term.type).label("term"), func.count().label("n")).where(
        _items.c.status == "published"
    )
    per_term = (
        select(_terms.c.term, func.count().label("n"))
        .where(_terms.c.term.in_(sorted(terms)))
        .group_by(_terms.c.term)
    )
    rows = (await session.execute(union_all(published, per_term))).all()
    n = next((int(r.n) for r in rows if r.term == ""), 0)
    return n, {r.term: int(r.n) for r in rows if r.term != ""}


def _idf_case(idf: dict[str, float], table: Any = _terms) -> ColumnElement[Any]:
    if not idf:
        return literal(0.0, Float)
    return case(
        {term: literal(value, Float) for term, value in sorted(idf.items())},
        value=table.c.term,
        else_=literal(0.0, Float),
    )


def _matches(group: QueryTerms, table: Any = _terms) -> ColumnElement[bool]:
    """Index rows satisfying one group: its words outside bigrams, or its bigrams in names."""
    c = table.c
    parts: list[ColumnElement[bool]] = []
    if group.words:
        parts.append(and_(c.term.in_(sorted(group.words)), c.field != "bigram"))
    if group.bigrams:
        parts.append(and_(c.term.in_(sorted(group.bigrams)), c.field == "bigram"))
    return or_(*parts)


async def search(
    session: AsyncSession,
    q: str,
    filters: SearchFilters | Mapping[str, Any] | None,
    limit: int,
    offset: int,
) -> tuple[list[tuple[str, float]], int]:
    """Published items matching `q` under `filters`: ((item id, score) best first, total).

    An item must match every word of the query (see search_text.query_groups); when none does,
    items matching any word are returned, those matching more words first. `filters` may also
    be a mapping of SearchFilters' field names (unset ones left out or None).

    `total` is exact, except for a word so common that only its best candidates are ranked
    (more than 6,000 index rows and 400 items; also the any-word fallback; first pages only,
    offset + limit ≤ 200 — deeper pages rank every match): it is then an **estimate**, the
    matches among the 400 candidates scaled to the word's indexed items, at least the number of
    matches found and at most those items. Paging within the first 200 is consistent.
    """
    if not isinstance(filters, SearchFilters):
        filters = SearchFilters(**{k: v for k, v in (filters or {}).items() if v is not None})
    text = validate_query(q)
    if not 1 <= limit <= MAX_LIMIT:
        raise SearchQueryError(f"limit must be between 1 and {MAX_LIMIT}", field="limit")
    if offset < 0:
        raise SearchQueryError("offset must not be negative", field="offset")
    groups = query_groups(text)
    if not groups:  # only punctuation or stop words: nothing can match
        return [], 0

    every = frozenset().union(*(g.words | g.bigrams for g in groups))
    n, df = await _document_frequencies(session, every)
    # Words found nowhere in the catalogue cannot be required (a typo must not hide the rest).
    groups = [
        QueryTerms(words=frozenset(g.words & df.keys()), bigrams=frozenset(g.bigrams & df.keys()))
        for g in groups
    ]
    groups = [g for g in groups if g]
    if not groups:
        return [], 0
    words = frozenset().union(*(g.words for g in groups))
    pairs = frozenset().union(*(g.bigrams for g in groups))
    word_idf = {t: _idf(n, df[t]) for t in words}
    bigram_idf = {t: _idf(n, df[t]) for t in pairs}

    rows, total = await _ranked(session, groups, df, word_idf, bigram_idf, filters, limit, offset, True)
    if total == 0 and len(groups) > 1:
        rows, total = await _ranked(session, groups, df, word_idf, bigram_idf, filters, limit, offset, False)
    norm = len(groups) * len(groups)
    return [(item_id, round(score / norm, 4)) for item_id, score in rows], total


async def _ranked(
    session: AsyncSession,
    groups: list[QueryTerms],
    df: dict[str, int],
    word_idf: dict[str, float],
    bigram_idf: dict[str, float],
    filters: SearchFilters,
    limit: int,
    offset: int,
    require_all: bool,
) -> tuple[list[tuple[str, float]], int]:
    """One page of items ranked by Σ weight × idf × (groups matched), and the total.

    Every match is scored, except for a large single-word query or the any-word fallback (more
    than _ROW_BUDGET index rows over all the terms, the driving terms in more than _CANDIDATES
    rows, first pages only: offset + limit ≤ _CANDIDATES / 2): then only the _CANDIDATES items
    with the best single row (weight × idf: name and keyword hits first) are scored, and the
    total is estimated (see `search`).
    """
    t = _terms.c
    idf_of = case((t.field == "bigram", _idf_case(bigram_idf)), else_=_idf_case(word_idf))
    contribution = t.weight * idf_of
    matched = [func.max(case((_matches(g), 1), else_=0)).label(f"g{i}") for i, g in enumerate(groups)]
    every = sorted(frozenset().union(*(g.words | g.bigrams for g in groups)))
    # Aggregate the matching index rows per item first (from the term index alone), then join
    # only the matched items to `items` for status and filters: the planner cannot start from
    # `items` and probe the index for every published item.
    per_item = select(t.item_id, func.sum(contribution).label("s"), *matched).where(t.term.in_(every))
    per_item = per_item.group_by(t.item_id)
    if require_all:
        rarest = min(groups, key=lambda g: sum(df[x] for x in g.words | g.bigrams))
        driver_terms = sorted(rarest.words | rarest.bigrams)
    else:
        driver_terms = every
    rows_driver, rows_all = sum(df[x] for x in driver_terms), sum(df[x] for x in every)
    driver_items = 0
    pruned = (
        # With several required groups the best rows of one say little about matching the rest.
        (len(groups) == 1 or not require_all)
        and rows_all > _ROW_BUDGET
        and rows_driver > _CANDIDATES
        and offset + limit <= _CANDIDATES // 2
    )
    if require_all and len(groups) > 1 and _DRIVER_RATIO * rows_driver < rows_all:
        # Only the driver's items can match every group: when the other groups' terms are far
        # more common, look them up for those items only, through the covering index (item_id,
        # term, field, weight), rather than scanning all their rows. Exact either way.
        d = _terms.alias("driver")
        drivers = select(d.c.item_id).where(d.c.term.in_(driver_terms)).distinct().subquery("di")
        per_item = (
            select(t.item_id, func.sum(contribution).label("s"), *matched)
            .select_from(drivers.join(_terms, and_(t.item_id == drivers.c.item_id, t.term.in_(every))))
            .group_by(t.item_id)
        )
    if pruned:
        d = _terms.alias("driver")
        d_idf = case((d.c.field == "bigram", _idf_case(bigram_idf, d)), else_=_idf_case(word_idf, d))
        best = func.max(d.c.weight * d_idf)
        # The candidates and the driver's item count (for the estimate) in one round trip.
        candidates = (
            select(d.c.item_id, func.count().over().label("n"))
            .where(d.c.term.in_(driver_terms))
            .group_by(d.c.item_id)
            .order_by(best.desc(), d.c.item_id)
            .limit(_CANDIDATES)
        )
        found = (await session.execute(candidates)).all()
        driver_items = int(found[0].n) if found else 0
        per_item = per_item.where(t.item_id.in_([r.item_id for r in found]))
    m = per_item.subquery("m")
    # The groups' test on the subquery's columns, not in HAVING: each max(CASE …) is then
    # evaluated once per row (SQLite does not share aggregates whose bound parameters differ).
    flags = [m.c[f"g{i}"] == 1 for i in range(len(groups))]
    group_test = and_(*flags) if require_all else or_(*flags)
    coverage: ColumnElement[Any] = m.c.g0
    for i in range(1, len(groups)):
        coverage = coverage + m.c[f"g{i}"]
    score = (m.c.s * coverage).label("score")
    stmt = (
        select(m.c.item_id, score, func.count().over().label("total"))
        .select_from(m.join(_items, _items.c.id == m.c.item_id))
        .where(group_test, *filters.conditions())
        .order_by(score.desc(), m.c.item_id)
        .limit(limit)
        .offset(offset)
    )
    rows = (await session.execute(stmt)).all()
    if rows:
        total = int(rows[0].total)
    elif offset:
        total = await _count(session, stmt)
    else:
        total = 0
    if pruned and total:
        total = _estimate_total(driver_items, total)
    return [(r.item_id, float(r.score)) for r in rows], total


def _estimate_total(driver_items: int, found: int) -> int:
    """Matches among the candidates scaled to the driver's items (all candidates when fewer)."""
    if driver_items <= _CANDIDATES:
        return found
    return max(found, round(found * driver_items / _CANDIDATES))


async def _count(session: AsyncSession, stmt: Any) -> int:
    """Total matches when the page is past the end (the window count is not there to read)."""
    inner = stmt.limit(None).offset(None).order_by(None).subquery()
    return int((await session.execute(select(func.count()).select_from(inner))).scalar_one())
