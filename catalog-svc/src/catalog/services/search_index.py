"""The search index held in the service process, kept equal to the database's (事项检索索引).

`search_terms` stays the index of record (written at publish by `search.reindex`). Each
service process (each replica) also holds it in memory, per database, as postings per term:

    words[term]:   Postings: item numbers ascending, and per item (sum of the term's
                   non-bigram weights, their maximum)
    bigrams[term]: Postings: item numbers ascending, and per item (weight of the name bigram,
                   the same again)
    rows[term]:    the term's index rows (its document frequency as search counts it)

plus, per item, the columns search filters on (status, type, level, unit, tags …) and the term
id of each of its index rows (what removing it takes back out; one term ↔ id dictionary). Item
ids are numbered in the process; one number per item, kept while the process lives.

**Never stale.** Triggers (migration catalog_0005) bump `search_state.generation` and log the
item id in `search_changes` on every change of `search_terms` rows or of an item's searchable
columns, in the writer's transaction (on PostgreSQL once per transaction). Every search reads
`search_state` (one row) in its own transaction first; when the generation moved it re-reads
only the logged items' rows and columns (under a lock: one re-read per process), then
searches. A different epoch (a rebuilt database) or a log already pruned past the held
generation (`LOG_KEEP`) means a full reload. So a search never sees an older index than its
transaction does, however many processes write. Items whose terms change while a search's
transaction is open may be newer in memory than in that transaction's snapshot: never older.

A transaction that has itself written to the index or the items is not served from here
(`refresh` answers False): what it holds is uncommitted and may roll back. PostgreSQL tells
(txid_current_if_assigned); elsewhere `reindex`, `remove_from_index` and pending ORM changes
mark the session (`mark_written`).

Memory (10,000 items, ≈ 780,000 index rows; bench/catalog_search prints it, ADR 0003 has the
breakdown): ≈ 18 MB by tracemalloc, ≈ 34 MB of process RSS (was 62 and 81 MB with a dict per
term and a tuple of (term, rows) pairs per item). The postings are two lists of shared objects
(16 bytes a posting); an item's rows are term ids in an array (2 bytes a row).
A full load reads `search_terms` once (≈ 3–4 s for 10,000 items on SQLite): `load_index` at
start-up; a publish costs the next search of each process one small re-read.
"""

from __future__ import annotations

import asyncio
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.db import Database

from ..repositories.search_index import SearchIndexRepository

__all__ = [
    "ItemColumns",
    "MemoryIndex",
    "Postings",
    "current_index",
    "load_index",
    "mark_written",
    "prune_log",
]

#: Items re-read per statement (bound parameters stay well under every backend's limit).
_CHUNK = 500
#: Generations of the change log kept (≈ 600 publishes); a process further behind reloads all.
LOG_KEEP = 100_000
#: Indexes kept per process (one per database URL; tests open many databases).
_MAX_INDEXES = 4


@dataclass(frozen=True, slots=True)
class ItemColumns:
    """An item's columns that search reads: status and what the filters test."""

    status: str
    item_type: str
    level: int
    owner_unit_code: str
    service_objects_tags: str | None
    online_depth: str | None
    visits: int | None
    themes_tags: str | None
    community_kind: str | None


class Postings:
    """One term's word (or name-bigram) postings as two parallel lists: `items`, the item
    numbers in ascending order, and `values`, per item (weight, best row): for a word the sum
    and the maximum of the item's non-bigram rows of the term, for a bigram its row's weight
    twice. Item numbers and value pairs are shared objects (one per item, one per distinct
    pair: weights lie on a grid), so a posting costs two list slots, 16 bytes, where a dict
    entry cost ≈ 42; walking them allocates nothing. Weights are the database's doubles, so
    scores stay bit-identical to the SQL engine's."""

    __slots__ = ("items", "values")

    def __init__(self) -> None:
        self.items: list[int] = []
        self.values: list[tuple[float, float]] = []

    def __len__(self) -> int:
        return len(self.items)

    def position(self, number: int) -> int:
        """Where the item is in the lists, or −1."""
        items = self.items
        at = bisect_left(items, number)
        return at if at < len(items) and items[at] == number else -1

    def add(self, number: int, value: tuple[float, float]) -> None:
        """Add an item (not yet in the postings)."""
        items = self.items
        if not items or items[-1] < number:  # a full load adds items in ascending order
            items.append(number)
            self.values.append(value)
        else:
            at = bisect_left(items, number)
            items.insert(at, number)
            self.values.insert(at, value)

    def remove(self, number: int) -> bool:
        """Remove the item; False when it was not there."""
        at = self.position(number)
        if at < 0:
            return False
        del self.items[at], self.values[at]
        return True


class MemoryIndex:
    """One database's search index in memory; `refresh` brings it to the session's generation."""

    def __init__(self) -> None:
        self.loads = 0  # full loads so far (the first, a rebuilt database, a pruned log)
        self._lock: asyncio.Lock | None = None
        self._lock_loop: asyncio.AbstractEventLoop | None = None
        self._clear()

    def _clear(self) -> None:
        """Hold nothing (and no generation, so a failed load is retried by the next search)."""
        self.epoch = ""
        self.generation = -1
        self.ids: list[str] = []  # item number → item id
        self._numbers: dict[str, int] = {}
        self.words: dict[str, Postings] = {}
        self.bigrams: dict[str, Postings] = {}
        self.rows: dict[str, int] = {}
        self.columns: dict[int, ItemColumns] = {}
        self.published_items: set[int] = set()
        # Per item, the term id of each of its index rows (what `_remove_item` takes back out).
        self._item_rows: dict[int, array[int]] = {}
        # One term dictionary: term ↔ id (the ids of terms no item holds any more are reused).
        self._term_ids: dict[str, int] = {}
        self._terms: list[str] = []
        self._free_term_ids: list[int] = []
        # Per term and kind, its postings' positions by (best row desc, item id): see by_weight.
        self._by_weight: dict[tuple[str, bool], array[int]] = {}
        # Values repeat (weight pairs on the grid; statuses, types, units, tags): one object each.
        self._values: dict[Any, Any] = {}

    # ------------------------------------------------------------------------------ refresh

    async def refresh(self, session: AsyncSession) -> bool:
        """Bring the index to the generation the session's transaction sees (one small read
        when nothing changed); False, holding nothing of it, when that transaction has itself
        written to the index or the items: its changes may yet roll back (search it in SQL)."""
        if _has_written(session):
            return False
        state = await SearchIndexRepository(session).state()
        if len(state) > 2 and state[2] is not None:
            return False
        if state.epoch == self.epoch and state.generation == self.generation:
            return True
        async with self._guard():
            # Another request of this process may have caught up meanwhile.
            if state.epoch == self.epoch and state.generation <= self.generation:
                return True
            if state.epoch != self.epoch or not await self._apply_log(session, state.generation):
                await self._load(session)
                self.loads += 1
            self.epoch, self.generation = state.epoch, max(state.generation, self.generation)
        return True

    def _guard(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._lock is None or self._lock_loop is not loop:
            self._lock, self._lock_loop = asyncio.Lock(), loop
        return self._lock

    async def _apply_log(self, session: AsyncSession, generation: int) -> bool:
        """Re-read the items logged after the held generation; False when the log no longer
        reaches back that far (or nothing is held yet): a full load is needed."""
        if self.generation < 0:
            return False
        rows = await SearchIndexRepository(session).changes_after(self.generation, generation)
        if not rows or rows[0][1] is None or rows[0][1] > self.generation + 1:
            return False
        await self._reload_items(session, sorted({r[0] for r in rows}))
        return True

    async def _load(self, session: AsyncSession) -> None:
        """Read the whole index and every item's columns."""
        self._clear()  # start empty: the item ids of a rebuilt database differ
        repository = SearchIndexRepository(session)
        current: str | None = None
        batch: list[tuple[str, str, float]] = []
        async for part in repository.stream_terms():
            for item_id, term, field, weight in part:
                if item_id != current:
                    if current is not None:
                        self._add_item(self._number(current), batch)
                    current, batch = item_id, []
                batch.append((term, field, weight))
        if current is not None:
            self._add_item(self._number(current), batch)
        for row in await repository.columns():
            self._set_columns(self._number(row[0]), row)

    async def _reload_items(self, session: AsyncSession, item_ids: Sequence[str]) -> None:
        """Re-read these items' index rows and columns, _CHUNK items per statement."""
        repository = SearchIndexRepository(session)
        for start in range(0, len(item_ids), _CHUNK):
            chunk = item_ids[start : start + _CHUNK]
            terms: dict[str, list[tuple[str, str, float]]] = {i: [] for i in chunk}
            for item_id, term, field, weight in await repository.terms_of(chunk):
                terms[item_id].append((term, field, weight))
            columns = {r[0]: r for r in await repository.columns(chunk)}
            for item_id in chunk:
                number = self._number(item_id)
                self._remove_item(number)
                self._add_item(number, terms[item_id])
                self._set_columns(number, columns.get(item_id))

    # ------------------------------------------------------------------------------ postings

    def by_weight(self, term: str, bigram: bool) -> array[int]:
        """Positions in the term's word (or name-bigram) postings ordered by best row desc,
        then item id: built on first use, dropped when the term's postings change."""
        key = (term, bigram)
        ordered = self._by_weight.get(key)
        if ordered is None:
            postings = (self.bigrams if bigram else self.words).get(term)
            ordered = array("I")
            if postings is not None:
                ids, items, values = self.ids, postings.items, postings.values
                ordered.extend(sorted(range(len(items)), key=lambda at: (-values[at][1], ids[items[at]])))
            self._by_weight[key] = ordered
        return ordered

    def _number(self, item_id: str) -> int:
        number = self._numbers.get(item_id)
        if number is None:
            number = self._numbers[item_id] = len(self.ids)
            self.ids.append(item_id)
        return number

    def _term_id(self, term: str) -> int:
        term_id = self._term_ids.get(term)
        if term_id is None:
            if self._free_term_ids:
                term_id = self._free_term_ids.pop()
                self._terms[term_id] = term
            else:
                term_id = len(self._terms)
                self._terms.append(term)
            self._term_ids[term] = term_id
        return term_id

    def _post(self, table: dict[str, Postings], term: str, number: int, value: tuple[float, float]) -> None:
        postings = table.get(term)
        if postings is None:
            postings = table[term] = Postings()
        postings.add(number, self._values.setdefault(value, value))

    def _add_item(self, number: int, rows: Iterable[tuple[str, str, float]]) -> None:
        words: dict[str, tuple[float, float]] = {}
        row_terms: list[int] = []
        for row_term, field, weight in rows:
            term_id = self._term_id(row_term)
            row_terms.append(term_id)
            term = self._terms[term_id]  # one string object per term
            if field == "bigram":
                self._post(self.bigrams, term, number, (weight, weight))
            else:
                total, best = words.get(term, (0.0, 0.0))
                words[term] = (total + weight, max(best, weight))
        for term, pair in words.items():
            self._post(self.words, term, number, pair)
        for term_id, n in Counter(row_terms).items():
            term = self._terms[term_id]
            self.rows[term] = self.rows.get(term, 0) + n
            self._by_weight.pop((term, False), None)
            self._by_weight.pop((term, True), None)
        if row_terms:  # 2 bytes a row while there are fewer than 65,536 terms, else 4
            self._item_rows[number] = array("H" if len(self._terms) <= 0x10000 else "I", row_terms)

    def _remove_item(self, number: int) -> None:
        for term_id, n in Counter(self._item_rows.pop(number, ())).items():
            term = self._terms[term_id]
            self._by_weight.pop((term, False), None)
            self._by_weight.pop((term, True), None)
            left = self.rows[term] - n
            if left:
                self.rows[term] = left
            else:  # no item holds the term any more: its id is free
                del self.rows[term], self._term_ids[term]
                self._terms[term_id] = ""
                self._free_term_ids.append(term_id)
            for table in (self.words, self.bigrams):
                postings = table.get(term)
                if postings is not None and postings.remove(number) and not postings:
                    del table[term]

    @property
    def published(self) -> int:
        """Published items (N in idf)."""
        return len(self.published_items)

    def _set_columns(self, number: int, row: Any) -> None:
        self.columns.pop(number, None)
        self.published_items.discard(number)
        if row is None:
            return
        columns = ItemColumns(*(self._values.setdefault(v, v) for v in tuple(row)[1:]))
        self.columns[number] = columns
        if columns.status == "published":
            self.published_items.add(number)


_indexes: dict[str, MemoryIndex] = {}


_WRITTEN = "catalog_search_written"


def mark_written(session: AsyncSession) -> None:
    """Note that the session's transaction changed the index (searches in it then use SQL)."""
    session.info[_WRITTEN] = session.sync_session.get_transaction()


def _has_written(session: AsyncSession) -> bool:
    sync = session.sync_session
    marked = session.info.get(_WRITTEN)
    return bool(sync.new or sync.dirty or sync.deleted) or (
        marked is not None and marked is sync.get_transaction()
    )


async def current_index(session: AsyncSession) -> MemoryIndex | None:
    """This process's index of the session's database, brought to the session's generation;
    None when the session's transaction has written (see `MemoryIndex.refresh`)."""
    key = str(session.get_bind().engine.url)
    index = _indexes.get(key)
    if index is None:
        while len(_indexes) >= _MAX_INDEXES:
            del _indexes[next(iter(_indexes))]
        index = _indexes[key] = MemoryIndex()
    return index if await index.refresh(session) else None


async def prune_log(session: AsyncSession) -> None:
    """Delete change-log entries more than LOG_KEEP generations old (called at publish)."""
    mark_written(session)
    await SearchIndexRepository(session).prune_log(LOG_KEEP)


async def load_index(db: Database) -> None:
    """Load this process's copy of the index now (≈ 4 s for 10,000 items): call it at start-up
    so that the first search does not pay."""
    async with db.transaction(write=False) as session:
        await current_index(session)
