"""Chinese full-text search over published catalogue items (事项检索).

Index (`search_terms`, one row per item, term and field): at publish `reindex` replaces an item's
rows with the terms of its published elements (segmentation: search_text). Each row's
weight is the field's weight times a saturating term frequency (BM25's tf part, with the name
also normalised by its length):

    name 10 · keyword 6 · theme 4 · material 3 · result 2.5 · unit 2 · faq question 1, answer 0.5
    name bigram 1.5 (character pairs of the name, so fragments and odd cuts still match)

Query: the query is cut into words (search_text.query_groups, cached per text: 营业执照 · 注销;
a long compound into its parts; 低保 also looks up 最低生活保障). An item must match **every**
word (a word, one of its sub-words, a synonym, or in the name one of its bigrams); words found
nowhere in the index are ignored, and if no item matches them all, items matching any are ranked
(more words first). Score = Σ weight × idf over the item's rows of the query's terms, times the
words matched; order: score, then item id. idf = ln(1 + (N − df + 0.5) / (df + 0.5)),
N = published items, df = the term's index rows (capped at N). Pruning: a single very common
word (营业执照: thousands of items) or the any-word fallback scores only the 400 items with the
best single row (weight × idf: name and keyword hits first) on first pages and estimates the
total (see `search`).

Engine: the ranking runs over the **process's copy of the index** (search_index.py:
postings per term as sorted item numbers with their weights, in lists of shared objects, plus
each item's status and filter columns, ≈ 18 MB for 10,000 items). Every search first reads
`search_state` (one row) in its transaction and applies the change log the triggers of
catalog_0005 keep, so it is never stale, with any number of service processes. Then, in
memory: the items of the word with the fewest postings become a set, which the other words'
postings are run through (the any-word fallback: a set per word, united); filters test the
held columns (no filter but "published": one more set intersection); only those items are
scored, walking each term's postings, or, when they are over 6× longer than the matched items,
looking each matched item up in them (binary search); the page is cut with a heap. The 400
candidates of a pruned query come from merging the terms' postings in weight order (their
positions sorted, cached per term until it changes) until 400 distinct items have been seen:
an item first appears at its best row, in (best, id) order. df and N come from the same copy.

A transaction that has itself written to the index or the items (its changes may still roll
back) is ranked by the SQL engine instead (`_ranked`, whose one statement over `search_terms`
joined to `items` is `SearchRepository.ranked` in repositories/search.py: the reference the tests
compare the in-memory engine with; `IN_MEMORY = False` selects it). When the other words are
≥ 8× more common than the rarest, it drives from the rarest word's items.

Exactness: weights and idf are rounded to multiples of 1/64 and 1/256, so every product and sum
is exact in double precision: SQLite, PostgreSQL and the in-memory engine compute bit-identical
scores in any summation order — hence the same ranking, ties included.

Errors: `SearchQueryError` (422, also a ValueError) for an empty, whitespace-only or over-long
query, bad paging or a filter value outside its enumeration.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import chain
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.pagination import MAX_LIMIT as PAGE_MAX_LIMIT

from ..errors import SearchQueryError
from ..repositories.search import SearchRepository
from ..schemas.elements import (
    COMMUNITY_KINDS,
    ITEM_TYPES,
    LEVELS,
    ONLINE_DEPTHS,
    SERVICE_OBJECTS,
    ItemElements,
)
from .search_index import ItemColumns, MemoryIndex, Postings, current_index, mark_written, prune_log
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

#: The largest page, the same as every list route's (yiwang_shared.pagination).
MAX_LIMIT = PAGE_MAX_LIMIT

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
#: In memory, a term's postings over this many times longer than the items scored are not
#: walked: each scored item is looked up in them instead (see `_add_scores`).
_LOOKUP_RATIO = 6

#: Rank over the process's index (search_index.py); False: over SQL (`_ranked`, the
#: reference the tests compare it with).
IN_MEMORY = True


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
                raise SearchQueryError(
                    f"筛选条件 {name} 应为 1 到 {width} 个字符。",
                    en=f"{name} must be 1 to {width} characters",
                    field=name,
                )

    def accepts(self, item: ItemColumns | None) -> bool:
        """Whether an item (its columns in the process's index) passes (in SQL: the repository's
        `filter_conditions`)."""
        if item is None or item.status != "published":
            return False
        if self.item_type is not None and item.item_type != self.item_type:
            return False
        if self.level is not None and item.level != self.level:
            return False
        if self.unit is not None and item.owner_unit_code != self.unit:
            return False
        if self.service_object is not None and f"|{self.service_object}|" not in (
            item.service_objects_tags or ""
        ):
            return False
        if self.online_depth is not None and item.online_depth != self.online_depth:
            return False
        if self.zero_visit is True and item.visits != 0:
            return False
        if self.zero_visit is False and item.visits == 0:
            return False
        if self.theme is not None and f"|{self.theme}|" not in (item.themes_tags or ""):
            return False
        return self.community_kind is None or item.community_kind == self.community_kind


def _check_enum(name: str, value: object, allowed: dict[Any, str]) -> None:
    if value is not None and value not in allowed:
        choices = ", ".join(str(k) for k in allowed)
        raise SearchQueryError(
            f"筛选条件 {name} 应为以下之一：{choices}；收到的是 {value!r}。",
            en=f"{name} must be one of {choices}; got {value!r}",
            field=name,
        )


#: No filter but the implicit one (published items only): a set intersection in memory.
_ONLY_PUBLISHED = SearchFilters()


def validate_query(q: str | None) -> str:
    """The stripped query, or SearchQueryError when it is empty or longer than 100 characters."""
    text = (q or "").strip()
    if not text:
        raise SearchQueryError(
            "搜索词 q 为空，请输入要搜索的词。",
            en="the search query q is empty; type a word to search for",
            field="q",
        )
    if len(text) > MAX_QUERY_CHARS:
        raise SearchQueryError(
            f"搜索词 q 有 {len(text)} 个字符，最多 {MAX_QUERY_CHARS} 个，请缩短后再搜索。",
            en=f"the search query q has {len(text)} characters; at most {MAX_QUERY_CHARS} are allowed",
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
    await SearchRepository(session).replace_terms(item_id, rows)
    await prune_log(session)


async def remove_from_index(session: AsyncSession, item_id: str) -> None:
    """Delete the item's search terms (call at retire)."""
    mark_written(session)
    await SearchRepository(session).delete_terms(item_id)


# ------------------------------------------------------------------------------------------ query


def _idf(n: int, df: int) -> float:
    df = min(df, n)
    return _grid(math.log(1 + (n - df + 0.5) / (df + 0.5)), _IDF_GRID)


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
        raise SearchQueryError(
            f"每页条数 limit 应在 1 到 {MAX_LIMIT} 之间。",
            en=f"limit must be between 1 and {MAX_LIMIT}",
            field="limit",
        )
    if offset < 0:
        raise SearchQueryError("偏移量 offset 不能为负数。", en="offset must not be negative", field="offset")
    groups = query_groups(text)
    if not groups:  # only punctuation or stop words: nothing can match
        return [], 0

    every = frozenset().union(*(g.words | g.bigrams for g in groups))
    index = await current_index(session) if IN_MEMORY else None
    if index is not None:
        n, df = index.published, {t: index.rows[t] for t in every if t in index.rows}
    else:
        n, df = await SearchRepository(session).document_frequencies(every)
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

    for require_all in (True, False) if len(groups) > 1 else (True,):
        if index is not None:
            rows, total = _ranked_in_memory(
                index, groups, df, word_idf, bigram_idf, filters, limit, offset, require_all
            )
        else:
            rows, total = await _ranked(
                session, groups, df, word_idf, bigram_idf, filters, limit, offset, require_all
            )
        if total:
            break
    norm = len(groups) * len(groups)
    return [(item_id, round(score / norm, 4)) for item_id, score in rows], total


def _pruning(
    groups: list[QueryTerms], df: dict[str, int], limit: int, offset: int, require_all: bool
) -> tuple[list[str], bool]:
    """The driving terms (the rarest group's, or all in the any-word fallback) and whether only
    the best _CANDIDATES of their items are ranked."""
    every = sorted(frozenset().union(*(g.words | g.bigrams for g in groups)))
    if require_all:
        rarest = min(groups, key=lambda g: sum(df[x] for x in g.words | g.bigrams))
        driver_terms = sorted(rarest.words | rarest.bigrams)
    else:
        driver_terms = every
    rows_driver, rows_all = sum(df[x] for x in driver_terms), sum(df[x] for x in every)
    pruned = (
        # With several required groups the best rows of one say little about matching the rest.
        (len(groups) == 1 or not require_all)
        and rows_all > _ROW_BUDGET
        and rows_driver > _CANDIDATES
        and offset + limit <= _CANDIDATES // 2
    )
    return driver_terms, pruned


def _ranked_in_memory(
    index: MemoryIndex,
    groups: list[QueryTerms],
    df: dict[str, int],
    word_idf: dict[str, float],
    bigram_idf: dict[str, float],
    filters: SearchFilters,
    limit: int,
    offset: int,
    require_all: bool,
) -> tuple[list[tuple[str, float]], int]:
    """`_ranked` over the process's index: the same items, scores, order and totals."""
    words, pairs, ids = index.words, index.bigrams, index.ids
    matched, group_items = _matching(index, groups, require_all)
    driver_terms, pruned = _pruning(groups, df, limit, offset, require_all)
    driver_items = 0
    if pruned:
        candidates, driver_items = _best_candidates(index, driver_terms, word_idf, bigram_idf)
        matched &= candidates
    if filters == _ONLY_PUBLISHED:
        matched &= index.published_items
    else:
        accepts, columns = filters.accepts, index.columns
        matched = {i for i in matched if accepts(columns.get(i))}
    scores = dict.fromkeys(matched, 0.0)
    for t in sorted(frozenset().union(*(g.words | g.bigrams for g in groups))):
        for postings, idf in ((words.get(t), word_idf.get(t, 0.0)), (pairs.get(t), bigram_idf.get(t, 0.0))):
            if postings is not None and idf:
                _add_scores(scores, postings, idf)
    if not require_all:  # score × the groups each item matches (with all required: a constant)
        coverage: Counter[int] = Counter()
        for members in group_items:
            coverage.update(members.intersection(scores))
        for i, n in coverage.items():
            scores[i] *= n
    factor = len(groups) if require_all else 1
    total, end = len(scores), offset + limit
    # The page by (score desc, id): only the items scoring at least the page's last score.
    cut = heapq.nlargest(end, scores.values())[-1] if total > end else -1.0
    ranked = sorted((-v, ids[i]) for i, v in scores.items() if v >= cut)
    rows = [(item_id, -negative * factor) for negative, item_id in ranked[offset:end]]
    if pruned and total:
        total = _estimate_total(driver_items, total)
    return rows, total


def _matching(
    index: MemoryIndex, groups: list[QueryTerms], require_all: bool
) -> tuple[set[int], list[set[int]]]:
    """The items matching every group (or any: then also each group's items, for coverage).

    A group's items are the union of its terms' postings. With every group required only the
    group with the fewest postings becomes a set; the others' postings are run through it.
    """
    group_lists = [
        [
            postings.items
            for table, terms in ((index.words, g.words), (index.bigrams, g.bigrams))
            for t in terms
            if (postings := table.get(t))
        ]
        for g in groups
    ]
    if not require_all:
        group_items = [set(chain.from_iterable(lists)) for lists in group_lists]
        return set().union(*group_items), group_items
    first, *others = sorted(group_lists, key=lambda lists: sum(map(len, lists)))
    matched = set(chain.from_iterable(first))
    for lists in others:
        matched = matched.intersection(chain.from_iterable(lists))
    return matched, []


def _add_scores(scores: dict[int, float], postings: Postings, idf: float) -> None:
    """Add weight × idf of the term's postings to the scored items that have it. Walks the
    postings, or, when they are over _LOOKUP_RATIO times longer, looks each scored item up
    in them (a binary search in the sorted item numbers). Sums are exact in any order."""
    items, values = postings.items, postings.values
    if len(items) <= _LOOKUP_RATIO * len(scores):
        for i, value in zip(items, values, strict=True):
            if i in scores:
                scores[i] += value[0] * idf
        return
    size = len(items)
    for i in scores:
        at = bisect_left(items, i)
        if at < size and items[at] == i:
            scores[i] += values[at][0] * idf


def _best_candidates(
    index: MemoryIndex, driver_terms: list[str], word_idf: dict[str, float], bigram_idf: dict[str, float]
) -> tuple[set[int], int]:
    """The _CANDIDATES driver items with the best single row (weight × idf desc, then id: name
    and keyword hits first), and how many driver items there are.

    Merges the terms' postings sorted by weight (`MemoryIndex.by_weight`) and stops at the
    _CANDIDATES-th distinct item: an item first appears at its best row, in (best, id) order.
    """
    every: set[int] = set()
    sources = []
    for t in driver_terms:
        for bigram, postings, idf in (
            (False, index.words.get(t), word_idf.get(t, 0.0)),
            (True, index.bigrams.get(t), bigram_idf.get(t, 0.0)),
        ):
            if postings:
                every.update(postings.items)
                if idf > 0:
                    sources.append(_scaled(postings, index.by_weight(t, bigram), idf, index.ids))
    if len(every) <= _CANDIDATES:
        return every, len(every)
    chosen: set[int] = set()
    for negative_best, _, i in heapq.merge(*sources):
        chosen.add(i)
        if len(chosen) == _CANDIDATES:
            if negative_best < 0:
                return chosen, len(every)
            break
    # Rows of zero weight × idf reach the cut: rank every driver item the slow way.
    return _best_candidates_scan(index, driver_terms, word_idf, bigram_idf), len(every)


def _scaled(
    postings: Postings, order: Iterable[int], idf: float, ids: list[str]
) -> Iterator[tuple[float, str, int]]:
    """(−best row × idf, item id, item number) of the postings at these positions, in order."""
    items, values = postings.items, postings.values
    for at in order:
        number = items[at]
        yield -values[at][1] * idf, ids[number], number


def _best_candidates_scan(
    index: MemoryIndex, driver_terms: list[str], word_idf: dict[str, float], bigram_idf: dict[str, float]
) -> set[int]:
    """`_best_candidates` by scoring every driver item's best row."""
    best: dict[int, float] = {}
    for t in driver_terms:
        for postings, idf in (
            (index.words.get(t), word_idf.get(t, 0.0)),
            (index.bigrams.get(t), bigram_idf.get(t, 0.0)),
        ):
            if postings is not None:
                for i, (_, top) in zip(postings.items, postings.values, strict=True):
                    best[i] = max(best.get(i, 0.0), top * idf)
    cut = heapq.nlargest(_CANDIDATES, best.values())[-1]
    chosen = {i for i, v in best.items() if v > cut}
    ties = sorted((i for i, v in best.items() if v == cut), key=index.ids.__getitem__)
    chosen.update(ties[: _CANDIDATES - len(chosen)])
    return chosen


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
    """One page of items ranked by Σ weight × idf × (groups matched), and the total, in SQL.

    Every match is scored, except for a large single-word query or the any-word fallback (more
    than _ROW_BUDGET index rows over all the terms, the driving terms in more than _CANDIDATES
    rows, first pages only: offset + limit ≤ _CANDIDATES / 2): then only the _CANDIDATES items
    with the best single row (weight × idf: name and keyword hits first) are scored, and the
    total is estimated (see `search`). With every group required and the other groups' terms
    ≥ _DRIVER_RATIO times more common than the rarest group's, only the rarest group's items
    are looked up (exact either way).
    """
    every = frozenset().union(*(g.words | g.bigrams for g in groups))
    driver_terms, pruned = _pruning(groups, df, limit, offset, require_all)
    rows_driver, rows_all = sum(df[x] for x in driver_terms), sum(df[x] for x in every)
    drive = require_all and len(groups) > 1 and _DRIVER_RATIO * rows_driver < rows_all
    rows, total, driver_items = await SearchRepository(session).ranked(
        groups,
        word_idf=word_idf,
        bigram_idf=bigram_idf,
        filters=filters,
        limit=limit,
        offset=offset,
        require_all=require_all,
        driver_terms=driver_terms if drive else None,
        candidates_of=driver_terms if pruned else None,
        candidates=_CANDIDATES,
    )
    if pruned and total:
        total = _estimate_total(driver_items, total)
    return rows, total


def _estimate_total(driver_items: int, found: int) -> int:
    """Matches among the candidates scaled to the driver's items (all candidates when fewer)."""
    if driver_items <= _CANDIDATES:
        return found
    return max(found, round(found * driver_items / _CANDIDATES))
