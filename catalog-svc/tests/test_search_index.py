"""The in-process search index (catalog.services.search_index): the same results as the SQL engine, and
never stale, however and by whichever process the database changes (SQLite and PostgreSQL).

A "replica" is a second MemoryIndex over the same database, as another service process holds.
"""

from __future__ import annotations

import asyncio
import random
import tracemalloc
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import delete, select, update
from test_search import (
    COMMUNITY_ITEMS,
    ITEMS,
    UNIT_MZ,
    UNIT_RS,
    UNIT_SC,
    VERSIONS,
    Catalogue,
    _load_community_items,
    mats,
)

import catalog.services.search as search_module
import catalog.services.search_index as index_module
from catalog.main import SERVICE_DIR
from catalog.models import SearchChange, SearchState
from catalog.schemas.elements import ItemElements
from catalog.services.search import SearchFilters, reindex, remove_from_index
from catalog.services.search_index import MemoryIndex, Postings, current_index
from yiwang_shared.db import Database
from yiwang_shared.migrations import migrate


@pytest.fixture
async def cat(database_url: str) -> AsyncIterator[Catalogue]:
    """A migrated database, connected as the service connects."""
    await migrate(SERVICE_DIR, database_url)
    db = Database(database_url)
    try:
        yield Catalogue(db.engine)
    finally:
        await db.dispose()


async def _fill(cat: Catalogue) -> dict[str, str]:
    """The 25 community items plus items sharing common words, in several units, levels,
    depths, visit counts and themes; a draft and a retired item."""
    names = await _load_community_items(cat)
    units = (UNIT_MZ, UNIT_SC, UNIT_RS)
    for i in range(30):
        name = (
            f"个体工商户营业执照注销登记{i}",
            f"食品经营许可证核发{i}",
            f"建设工程规划许可证变更{i}",
            f"城乡居民养老保险待遇申领{i}",
            f"困难老年人养老服务补贴发放{i}",
        )[i % 5]
        item_id = await cat.add(
            name,
            unit=units[i % 3],
            level=(4, 6)[i % 2],
            item_type=("01", "07", "05")[i % 3],
            keywords=["营业执照"] if i % 4 == 0 else ["补贴", "登记"],
            themes=[("社会救助", "养老服务", "市场监管")[i % 3]],
            materials=mats("居民身份证", "申请表") if i % 2 else mats("营业执照"),
            faq=[{"question": "如何办理许可证？", "answer": "携带身份证到窗口登记。"}] if i % 3 == 0 else [],
            online_depth=("I", "II", "III", "IV")[i % 4],
            visits=(0, 1, None)[i % 3],
            service_objects=[("1", "2", "6")[i % 3]],
        )
        names[item_id] = name
    await cat.add("营业执照补办登记（草稿）", status="draft")
    retired = await cat.add("营业执照遗失补领")
    async with cat.sessions.begin() as s:
        await s.execute(update(ITEMS).where(ITEMS.c.id == retired).values(status="retired"))
    return names


QUERIES = [
    "低保",
    "老年人",
    "补贴",
    "救助 认定",
    "营业执照",
    "营业执照 注销",
    "食品经营许可证",
    "建设工程规划许可证",
    "许可",
    "登记",
    "养老 保险",
    "营业执照 遗失 养老",  # no item has every word: the any-word fallback
    "龄老",
    "不存在的词语 补贴",
]
FILTERS = [
    SearchFilters(),
    SearchFilters(level=6),
    SearchFilters(unit="SC"),
    SearchFilters(item_type="05", zero_visit=False),
    SearchFilters(zero_visit=True),
    SearchFilters(online_depth="III", service_object="2"),
    SearchFilters(theme="养老服务"),
]


async def _results(cat: Catalogue) -> list[Any]:
    out: list[Any] = []
    for q in QUERIES:
        for f in FILTERS:
            out.append(await cat.search(q, f, limit=100))
        out.append(await cat.search(q, limit=5))
        out.append(await cat.search(q, limit=3, offset=4))
        out.append(await cat.search(q, limit=10, offset=200))  # past the end: the total alone
    return out


@pytest.mark.parametrize("pruning", [False, True])
async def test_in_memory_ranking_equals_the_sql_engine(
    cat: Catalogue, monkeypatch: pytest.MonkeyPatch, pruning: bool
) -> None:
    """Pages, scores (ties included), totals and estimates are those of the SQL statement."""
    await _fill(cat)
    if pruning:  # force the best-candidates pruning and its estimated totals on common words
        monkeypatch.setattr(search_module, "_ROW_BUDGET", 20)
        monkeypatch.setattr(search_module, "_CANDIDATES", 12)
    monkeypatch.setattr(search_module, "IN_MEMORY", False)
    in_sql = await _results(cat)
    monkeypatch.setattr(search_module, "IN_MEMORY", True)
    in_memory = await _results(cat)
    assert in_memory == in_sql
    assert sum(1 for _, total in in_sql if total) > 50  # the comparison is not of empty pages


async def test_scoring_by_walking_or_by_looking_up_postings_is_the_same(
    cat: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether a term's postings are walked or each matched item is looked up in them (binary
    search), pages, scores and totals are those of the SQL statement."""
    await _fill(cat)
    monkeypatch.setattr(search_module, "IN_MEMORY", False)
    in_sql = await _results(cat)
    monkeypatch.setattr(search_module, "IN_MEMORY", True)
    for ratio in (0, 10**9):  # always look up; always walk
        monkeypatch.setattr(search_module, "_LOOKUP_RATIO", ratio)
        assert await _results(cat) == in_sql, ratio


def _synthetic_rows(items: int, seed: int) -> list[tuple[str, list[tuple[str, str, float]]]]:
    """Index rows shaped like bench/catalog_search's: per item ≈ 48 words (common ones far more
    often) in 1–2 fields each and 9 name bigrams, ≈ 78 rows; a few weights per field."""
    rng = random.Random(seed)
    words = [f"词{k}" for k in range(600)]
    zipf = [1 / (k + 1) for k in range(len(words))]
    pairs = [f"对{k}" for k in range(2500)]
    fields = {  # a field's weights (BM25's saturation of tf 1, 2 …; the name's length)
        "name": (8.5, 9.25, 10.0, 11.125, 12.375),
        "keyword": (6.0, 8.25),
        "theme": (4.0,),
        "material": (3.0, 4.125),
        "result": (2.5,),
        "unit": (2.0,),
        "faq": (0.5, 1.0, 1.375),
    }
    out = []
    for n in range(items):
        chosen: set[str] = set()
        while len(chosen) < 48:
            chosen.update(rng.choices(words, zipf, k=48 - len(chosen)))
        rows = []
        for term in sorted(chosen):
            for field in rng.sample(sorted(fields), 2 if rng.random() < 0.45 else 1):
                rows.append((term, field, rng.choice(fields[field])))
        rows += [(pair, "bigram", 1.5) for pair in rng.sample(pairs, 9)]
        out.append((f"{n:08d}-{uuid.UUID(int=rng.getrandbits(128))}", rows))
    return out


def test_the_index_holds_few_bytes_per_index_row() -> None:
    """Issue 19: the index of 10,000 items took 62 MB (tracemalloc), ≈ 80 bytes per index row
    (here too), most of it dict entries and per-item (term, rows) tuples; lists of shared
    objects and term-id arrays take ≈ 23 (ADR 0003, "Memory")."""
    items = _synthetic_rows(2000, seed=19)
    n_rows = sum(len(rows) for _, rows in items)
    index = MemoryIndex()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for item_id, rows in items:
            index._add_item(index._number(item_id), rows)
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert n_rows > 150_000
    assert held / n_rows < 32, f"{held / n_rows:.1f} bytes per index row"


def test_an_index_of_more_than_65536_terms() -> None:
    """Term ids past 65,535 are held (an item's row array widens to 4 bytes) and removed."""
    index = MemoryIndex()
    for n in range(70):
        rows = [(f"t{n}-{k}", "faq", 1.0) for k in range(1000)] + [("共同", "name", 10.0)]
        index._add_item(index._number(f"item-{n:03d}"), rows)
    assert len(index.rows) == 70_001
    last = index._numbers["item-069"]
    assert index._item_rows[last].typecode == "I" and index._item_rows[0].typecode == "H"
    _check_consistent(index)
    index._remove_item(last)
    index._remove_item(0)
    _check_consistent(index)
    assert len(index.rows) == 68_001 and len(index.words["共同"]) == 68
    assert "t69-999" not in index.rows and "t68-999" in index.rows


async def test_term_ids_are_reused_when_terms_go(cat: Catalogue) -> None:
    """Republishing items with other words frees the old words' ids and reuses them: the term
    dictionary never holds more ids than terms were ever held at once."""
    names = await _load_community_items(cat)
    replica = MemoryIndex()
    await _refreshed(cat, replica)
    item = next(iter(names))
    most = len(replica.rows)
    for word in ("防汛抗旱", "植树造林", "渔业捕捞", "野生动物狩猎", "矿产资源开采", "河道采砂"):
        async with cat.sessions.begin() as s:
            await reindex(s, item, _doc(f"{word}许可", keywords=[word], themes=[word]))
        assert await _refreshed(cat, replica) == await _fresh(cat)
        most = max(most, len(replica.rows))
        assert word[:2] in replica.rows  # (a bigram of the new name at least)
    assert replica.loads == 1
    assert len(replica._terms) <= most  # an item is taken out (ids freed) before it is added again


def _snapshot(index: MemoryIndex) -> dict[str, Any]:
    """The index's content by item id (item numbers differ between processes), after checking
    that its structures agree with each other."""
    _check_consistent(index)
    ids = index.ids
    return {
        "rows": dict(index.rows),
        "words": {t: _by_id(ids, p) for t, p in index.words.items()},
        "bigrams": {t: _by_id(ids, p) for t, p in index.bigrams.items()},
        "columns": {ids[i]: c for i, c in index.columns.items()},
        "published": index.published,
    }


def _by_id(ids: list[str], postings: Postings) -> dict[str, tuple[float, float]]:
    return {ids[i]: value for i, value in zip(postings.items, postings.values, strict=True)}


def _check_consistent(index: MemoryIndex) -> None:
    """Postings sorted and without empty terms; each item's row term ids add up to `rows`; the
    term dictionary holds exactly the terms some item has (freed ids are reused, not leaked)."""
    for table in (index.words, index.bigrams):
        for postings in table.values():
            assert postings.items and postings.items == sorted(set(postings.items))
            assert len(postings.values) == len(postings.items)
    counted: Counter[str] = Counter()
    for number, row_terms in index._item_rows.items():
        counted.update(index._terms[t] for t in row_terms)
        for term in set(index._terms[t] for t in row_terms):
            assert any(
                p is not None and p.position(number) >= 0
                for p in (index.words.get(term), index.bigrams.get(term))
            )
    assert counted == index.rows
    assert set(index._term_ids) == set(index.rows)
    assert all(index._terms[i] == t for t, i in index._term_ids.items())
    live = set(index._term_ids.values())
    assert sorted(live | set(index._free_term_ids)) == list(range(len(index._terms)))


async def _refreshed(cat: Catalogue, index: MemoryIndex) -> dict[str, Any]:
    async with cat.sessions() as s:
        assert await index.refresh(s)
    return _snapshot(index)


async def _fresh(cat: Catalogue) -> dict[str, Any]:
    return await _refreshed(cat, MemoryIndex())


def _doc(name: str, **elements: Any) -> ItemElements:
    return ItemElements.model_validate(
        {"name": name, "item_type": "07", "implementing_unit": UNIT_MZ, "level": 4, **elements}
    )


async def test_a_replica_follows_every_change_incrementally(cat: Catalogue) -> None:
    """Whatever changes the index or an item's searchable columns, and however, another
    process's index catches up by re-reading only those items, and equals a fresh load."""
    names = await _load_community_items(cat)
    replica = MemoryIndex()
    assert await _refreshed(cat, replica) == await _fresh(cat)
    assert replica.loads == 1 and replica.published == len(COMMUNITY_ITEMS)
    by_name = {v: k for k, v in names.items()}
    elderly, care = by_name["高龄老年人津贴"], by_name["失能老年人护理补贴"]
    poor, orphan = by_name["特困人员认定"], by_name["为困境儿童发放生活费"]

    async def changed(step: str) -> None:
        assert await _refreshed(cat, replica) == await _fresh(cat), step
        assert replica.loads == 1, f"{step}: reloaded everything"

    new = await cat.add("残疾人两项补贴申请", keywords=["残疾"])  # publish a new item
    await changed("publish")
    async with cat.sessions.begin() as s:  # a new version with other terms
        await reindex(s, elderly, _doc("高龄津贴发放", keywords=["津贴"]))
    await changed("reindex")
    async with cat.sessions.begin() as s:  # retire as the service does: status, then the terms
        await s.execute(update(ITEMS).where(ITEMS.c.id == care).values(status="retired"))
        await remove_from_index(s, care)
    await changed("retire")
    async with cat.sessions.begin() as s:  # a filter column changes, the terms do not
        await s.execute(update(ITEMS).where(ITEMS.c.id == poor).values(level=5, visits=0))
    await changed("filter columns")
    async with cat.sessions.begin() as s:  # the item row goes: its terms cascade
        await s.execute(delete(VERSIONS).where(VERSIONS.c.item_id == orphan))
        await s.execute(delete(ITEMS).where(ITEMS.c.id == orphan))
    await changed("cascade")
    snapshot = await _fresh(cat)
    assert new in snapshot["columns"] and orphan not in snapshot["columns"]
    assert snapshot["columns"][poor].level == 5
    assert replica.published == len(COMMUNITY_ITEMS) - 1  # +1 published, −1 retired, −1 deleted


async def test_search_sees_changes_made_through_another_connection(cat: Catalogue) -> None:
    """The process's index is brought up to date by the search itself: a change committed by
    any writer is found by the next search, never a stale page."""
    await cat.search("护理补贴")  # the index is loaded
    item = await cat.add("失能老年人护理补贴")
    assert await cat.ids("护理补贴") == [item]
    async with cat.sessions.begin() as s:
        await s.execute(update(ITEMS).where(ITEMS.c.id == item).values(status="retired"))
    assert await cat.ids("护理补贴") == []
    async with cat.sessions.begin() as s:
        await s.execute(update(ITEMS).where(ITEMS.c.id == item).values(status="published", level=6))
    assert await cat.ids("护理补贴", level=6) == [item]
    assert await cat.ids("护理补贴", level=4) == []


async def test_a_writing_transaction_searches_its_own_changes_in_sql(cat: Catalogue) -> None:
    """A search inside a transaction that changed the index sees its own change, and the
    process's index never takes in what may still roll back."""
    item = await cat.add("高龄老年人津贴")
    assert await cat.ids("高龄") == [item]  # the process's index is loaded
    async with cat.sessions() as s:
        await s.begin()
        await reindex(s, item, _doc("失能老年人护理补贴"))
        assert await current_index(s) is None
        assert [i for i, _ in (await search_module.search(s, "护理补贴", None, 20, 0))[0]] == [item]
        assert await search_module.search(s, "高龄", None, 20, 0) == ([], 0)
        await s.rollback()
    assert await cat.ids("高龄") == [item]
    assert await cat.ids("护理补贴") == []
    async with cat.sessions() as s:
        index = await current_index(s)
    assert index is not None and index.loads == 1


async def test_a_rebuilt_database_or_a_pruned_log_reloads_everything(
    cat: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _load_community_items(cat)
    replica = MemoryIndex()
    await _refreshed(cat, replica)
    async with cat.sessions.begin() as s:  # what a restored backup or a new database looks like
        await s.execute(update(SearchState.__table__).values(epoch=str(uuid.uuid4())))
    assert await _refreshed(cat, replica) == await _fresh(cat)
    assert replica.loads == 2
    monkeypatch.setattr(index_module, "LOG_KEEP", 0)
    await cat.add("残疾人两项补贴申请")
    await cat.add("困难残疾人生活补贴")  # its reindex prunes the log behind the replica
    async with cat.sessions() as s:
        oldest = (await s.execute(select(SearchChange.__table__.c.generation))).scalars().all()
    assert oldest and min(oldest) > replica.generation + 1
    assert await _refreshed(cat, replica) == await _fresh(cat)
    assert replica.loads == 3
    assert await cat.ids("残疾人") != []


async def test_best_candidates_merge_equals_a_full_scan(
    cat: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The candidates picked by merging weight-sorted postings are those of scoring every
    driver item, whatever the idf (zero idf included: then the scan itself answers)."""
    await _fill(cat)
    async with cat.sessions() as s:
        index = await current_index(s)
    assert index is not None
    terms = ["营业执照", "养老", "许可", "登记", "补贴", "遗失", "老年人"]
    idf_choices = [0.0, 0.32421875, 0.609375, 1.0, 3.109375]
    rng = random.Random(7)
    for size in (5, 12, 30):
        monkeypatch.setattr(search_module, "_CANDIDATES", size)
        for _ in range(40):
            driver = sorted(rng.sample(terms, rng.randint(1, 4)))
            word_idf = {t: rng.choice(idf_choices) for t in driver if rng.random() < 0.8}
            bigram_idf = {t: rng.choice(idf_choices) for t in driver if rng.random() < 0.5}
            merged, n = search_module._best_candidates(index, driver, word_idf, bigram_idf)
            if n > size:
                scanned = search_module._best_candidates_scan(index, driver, word_idf, bigram_idf)
                assert merged == scanned, (driver, word_idf, bigram_idf)
            else:
                assert len(merged) == n


async def test_load_index_at_start_up_spares_the_first_search(database_url: str) -> None:
    await migrate(SERVICE_DIR, database_url)
    db = Database(database_url)
    try:
        cat = Catalogue(db.engine)
        item = await cat.add("高龄老年人津贴")
        await index_module.load_index(db)
        async with db.transaction(write=False) as s:
            index = await current_index(s)
        assert index is not None and index.loads == 1 and index.published == 1
        assert await cat.ids("高龄") == [item]
        assert index.loads == 1
    finally:
        await db.dispose()


async def test_concurrent_searches_catch_up_once(cat: Catalogue) -> None:
    """Searches arriving together after a change all see it; the process re-reads it once."""
    await _load_community_items(cat)
    async with cat.sessions() as s:
        index = await current_index(s)
    assert index is not None
    item = await cat.add("残疾人两项补贴申请")
    pages = await asyncio.gather(*(cat.ids("残疾人") for _ in range(6)))
    assert pages == [[item]] * 6
    assert index.loads == 1 and index.published == len(COMMUNITY_ITEMS) + 1
