"""Chinese full-text search (catalog.services.search) on the real migrated schema, SQLite and PostgreSQL.

Items are written straight into the tables (as publishing would leave them) and indexed with
`reindex`; `search` is then asked like `GET /v1/items?q=` asks it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from catalog.demo.community import community_rows
from catalog.main import SERVICE_DIR
from catalog.models import BasicItem, Item, ItemVersion, SearchTerm, utcnow
from catalog.schemas.elements import ItemElements
from catalog.services.search import (
    SearchFilters,
    SearchQueryError,
    index_terms,
    reindex,
    remove_from_index,
    search,
)
from catalog.services.search_text import normalise, query_terms
from yiwang_shared.db import Database
from yiwang_shared.migrations import migrate
from yiwang_shared.testing.databases import (
    create_postgres_database,
    drop_postgres_database,
    postgres_base_url,
    sqlite_url,
)

ITEMS = Item.__table__
VERSIONS = ItemVersion.__table__
BASICS = BasicItem.__table__
TERMS = SearchTerm.__table__

UNIT_MZ = {"code": "MZ", "name": "区民政局"}
UNIT_SC = {"code": "SC", "name": "区市场监督管理局"}
UNIT_RS = {"code": "RS", "name": "区人力资源和社会保障局"}


class Catalogue:
    """A migrated catalogue database with helpers to add items as publishing leaves them."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)
        self._seq = 0

    async def add(
        self,
        name: str,
        *,
        status: str = "published",
        unit: dict[str, str] | None = None,
        item_type: str = "07",
        level: int = 4,
        **elements: Any,
    ) -> str:
        """Insert an item (basic entry, item row, one version) and index it when published."""
        self._seq += 1
        unit = unit or UNIT_MZ
        doc = ItemElements.model_validate(
            {
                "name": name,
                "item_type": item_type,
                "implementing_unit": unit,
                "level": level,
                **elements,
            }
        )
        item_id, basic_id = str(uuid.uuid4()), str(uuid.uuid4())
        now = utcnow()
        async with self.sessions.begin() as s:
            await s.execute(
                insert(BASICS).values(
                    id=basic_id, basic_code=f"B{self._seq:05d}", name=name, item_type=item_type
                )
            )
            await s.execute(
                insert(ITEMS).values(
                    id=item_id,
                    code=f"C{self._seq:05d}",
                    basic_item_id=basic_id,
                    owner_unit_code=unit["code"],
                    owner_unit_name=unit["name"],
                    level=level,
                    status=status,
                    current_version_no=1,
                    name=name,
                    item_type=item_type,
                    online_depth=doc.online_depth,
                    visits=doc.visits,
                    service_objects_tags="|" + "|".join(doc.service_objects) + "|"
                    if doc.service_objects
                    else "",
                    themes_tags="|" + "|".join(doc.themes) + "|" if doc.themes else "",
                    community_kind=doc.community_kind,
                    published_at=now if status == "published" else None,
                    created_at=now,
                    updated_at=now,
                )
            )
            await s.execute(
                insert(VERSIONS).values(
                    id=str(uuid.uuid4()),
                    item_id=item_id,
                    version_no=1,
                    status=status,
                    elements=json.loads(doc.model_dump_json()),
                    created_at=now,
                    updated_at=now,
                )
            )
            if status == "published":
                await reindex(s, item_id, doc)
        return item_id

    async def search(
        self, q: str, filters: SearchFilters | None = None, limit: int = 20, offset: int = 0
    ) -> tuple[list[tuple[str, float]], int]:
        async with self.sessions() as s:
            return await search(s, q, filters or SearchFilters(), limit, offset)

    async def ids(self, q: str, **filters: Any) -> list[str]:
        hits, _ = await self.search(q, SearchFilters(**filters))
        return [item_id for item_id, _ in hits]


@pytest.fixture
async def cat(database_url: str) -> AsyncIterator[Catalogue]:
    """A migrated database, connected as the service connects (SQLite: WAL, foreign keys on)."""
    await migrate(SERVICE_DIR, database_url)
    db = Database(database_url)
    try:
        yield Catalogue(db.engine)
    finally:
        await db.dispose()


def mats(*names: str) -> list[dict[str, Any]]:
    return [{"name": n} for n in names]


# ------------------------------------------------------------------------------------- relevance


async def test_name_match_outranks_material_match(cat: Catalogue) -> None:
    by_material = await cat.add("个体工商户变更登记", materials=mats("营业执照", "居民身份证"))
    by_name = await cat.add("营业执照遗失补领", materials=mats("居民身份证"))
    await cat.add("高龄老年人津贴", materials=mats("户口簿"))
    assert await cat.ids("营业执照") == [by_name, by_material]


async def test_name_beats_keyword_beats_faq(cat: Catalogue) -> None:
    in_faq = await cat.add(
        "临时救助对象认定",
        faq=[{"question": "申请需要多久？", "answer": "急难型救助当日审批，采暖季另有采暖补助。"}],
    )
    in_keyword = await cat.add("困难群众救助金给付", keywords=["采暖补助"])
    in_name = await cat.add("为低保和分散供养特困人员发放集中供热采暖补助")
    assert await cat.ids("采暖补助") == [in_name, in_keyword, in_faq]


async def test_domain_words_and_synonyms(cat: Catalogue) -> None:
    dibao = await cat.add("城乡最低生活保障对象认定")
    also = await cat.add("为低保和分散供养特困人员发放集中供热采暖补助")
    await cat.add("城乡居民养老保险参保登记", unit=UNIT_RS)
    # 低保 is the everyday word for 最低生活保障: each finds both.
    assert set(await cat.ids("低保")) == {dibao, also}
    # (社会保障局, the third item's unit, holds 保障: found, but last.)
    assert set((await cat.ids("最低生活保障"))[:2]) == {dibao, also}
    # A domain word stays whole and is not found inside unrelated names.
    assert await cat.ids("营业执照") == []


async def test_partial_words_match_through_name_bigrams(cat: Catalogue) -> None:
    elderly = await cat.add("高龄老年人津贴")
    care = await cat.add("失能老年人护理补贴")
    await cat.add("城乡低收入家庭认定")
    assert set(await cat.ids("老年")) == {elderly, care}
    # "龄老" is no word at all; only the bigram index can find it.
    assert await cat.ids("龄老") == [elderly]
    # A fragment cut across jieba's word boundary.
    assert await cat.ids("收入家") == [(await cat.ids("低收入家庭"))[0]]


async def test_multiword_query_requires_every_word(cat: Catalogue) -> None:
    both = await cat.add("个体工商户营业执照注销登记", unit=UNIT_SC)
    licence_only = await cat.add("营业执照遗失补领", unit=UNIT_SC)
    cancel_only = await cat.add("居民养老保险注销登记", unit=UNIT_RS)
    assert await cat.ids("营业执照 注销") == [both]
    assert await cat.ids("营业执照注销") == [both]  # the same words without the space
    # A word found nowhere does not hide the rest.
    assert await cat.ids("营业执照 注销 魑魅魍魉") == [both]
    # When no item has every word, items with any of them come, more words first.
    hits = await cat.ids("营业执照 遗失 养老")
    assert hits[0] == licence_only and set(hits) == {licence_only, both, cancel_only}


async def test_normalisation_full_width_and_latin_case(cat: Catalogue) -> None:
    icp = await cat.add("ICP备案信息变更", keywords=["网站备案"], item_type="20")
    assert await cat.ids("ｉｃｐ") == [icp]
    assert await cat.ids("Icp 备案") == [icp]
    assert normalise("ＡＢＣ　１２３，") == "abc 123,"


async def test_scores_are_positive_and_descending(cat: Catalogue) -> None:
    for name in ("高龄老年人津贴", "失能老年人护理补贴", "困难老年人养老服务补贴"):
        await cat.add(name, keywords=["老年人"])
    hits, total = await cat.search("老年人补贴")
    assert total == 2  # 高龄老年人津贴 has no 补贴
    hits, total = await cat.search("老年人")
    scores = [s for _, s in hits]
    assert total == 3 and all(s > 0 for s in scores)
    assert scores == sorted(scores, reverse=True)


# ------------------------------------------------------------------------------------- filters


async def test_each_filter(cat: Catalogue) -> None:
    base = "居民身份证"
    a = await cat.add(
        "困难老年人养老服务补贴",
        item_type="05",
        level=4,
        materials=mats(base),
        service_objects=["1"],
        online_depth="IV",
        visits=0,
        themes=["养老服务", "社会救助"],
    )
    b = await cat.add(
        "个体工商户设立登记",
        unit=UNIT_SC,
        item_type="01",
        level=5,
        materials=mats(base),
        service_objects=["2", "5"],
        online_depth="III",
        visits=1,
        visits_reason="核验原件",
        themes=["开办企业"],
        community_kind="collect_forward",
    )
    c = await cat.add("居民养老保险注销登记", unit=UNIT_RS, item_type="20", materials=mats(base))
    q = "居民身份证"
    assert set(await cat.ids(q)) == {a, b, c}
    assert await cat.ids(q, item_type="05") == [a]
    assert await cat.ids(q, level=5) == [b]
    assert await cat.ids(q, unit="SC") == [b]
    assert await cat.ids(q, service_object="5") == [b]
    assert await cat.ids(q, service_object="1") == [a]
    assert await cat.ids(q, online_depth="IV") == [a]
    assert await cat.ids(q, zero_visit=True) == [a]
    assert set(await cat.ids(q, zero_visit=False)) == {b, c}  # c: visits unknown
    assert await cat.ids(q, theme="开办企业") == [b]
    assert await cat.ids(q, theme="社会救助") == [a]
    assert await cat.ids(q, theme="社会") == []  # a theme is matched whole
    assert await cat.ids(q, community_kind="collect_forward") == [b]
    assert await cat.ids(q, item_type="01", unit="SC", zero_visit=True) == []


async def test_filter_values_are_checked() -> None:
    for bad in (
        {"item_type": "99"},
        {"level": 9},
        {"service_object": "7"},
        {"online_depth": "V"},
        {"community_kind": "x"},
        {"unit": ""},
        {"theme": "x" * 201},
    ):
        with pytest.raises(SearchQueryError) as err:
            SearchFilters(**bad)
        assert err.value.field == next(iter(bad)) and err.value.status == 422


async def test_theme_filter_wildcards_are_literal(cat: Catalogue) -> None:
    await cat.add("高龄老年人津贴", themes=["养老服务"])
    assert await cat.ids("津贴", theme="%") == []
    assert await cat.ids("津贴", theme="养老_务") == []
    assert await cat.ids("津贴", theme="养老服务") != []


# ---------------------------------------------------------------------- lifecycle and the index


async def test_only_published_items_are_found(cat: Catalogue) -> None:
    published = await cat.add("特困人员认定")
    await cat.add("特困人员救助供养金给付", status="draft")
    retired = await cat.add("特困人员丧葬补贴")
    # Retire: the row changes status and the terms go.
    async with cat.sessions.begin() as s:
        await s.execute(ITEMS.update().where(ITEMS.c.id == retired).values(status="retired"))
        await remove_from_index(s, retired)
    assert await cat.ids("特困人员") == [published]
    # A retired item whose terms were (wrongly) left behind is still not found.
    async with cat.sessions.begin() as s:
        doc = ItemElements.model_validate(
            {"name": "特困人员丧葬补贴", "item_type": "05", "implementing_unit": UNIT_MZ, "level": 4}
        )
        await reindex(s, retired, doc)
    assert await cat.ids("特困人员") == [published]


async def test_reindex_replaces_terms(cat: Catalogue) -> None:
    item = await cat.add("高龄老年人津贴", keywords=["高龄津贴"], materials=mats("户口簿"))
    new = ItemElements.model_validate(
        {
            "name": "失能老年人护理补贴",
            "item_type": "05",
            "implementing_unit": UNIT_MZ,
            "level": 4,
            "materials": mats("残疾人证"),
        }
    )
    async with cat.sessions.begin() as s:
        await reindex(s, item, new)
        await reindex(s, item, new)  # idempotent
    assert await cat.ids("高龄") == []
    assert await cat.ids("户口簿") == []
    assert await cat.ids("护理补贴") == [item]
    assert await cat.ids("残疾人证") == [item]
    async with cat.sessions() as s:
        rows = (await s.execute(select(TERMS.c.term, TERMS.c.field, TERMS.c.weight))).all()
    assert {(r.term, r.field): r.weight for r in rows} == index_terms(new)


async def test_index_rows_fit_the_table(cat: Catalogue) -> None:
    long_latin = "x" * 80
    await cat.add(f"{long_latin}证明开具", faq=[{"question": "多久？", "answer": "当场办结。"}])
    async with cat.sessions() as s:
        widths = (await s.execute(select(func.max(func.length(TERMS.c.term))))).scalar_one()
        fields = set((await s.execute(select(TERMS.c.field).distinct())).scalars())
    assert widths <= 64
    assert fields <= {"name", "keyword", "theme", "material", "result", "unit", "faq", "bigram"}


# -------------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("q", ["", "   ", "\u3000\t\n", "x" * 101, "老" * 101])
async def test_empty_and_oversize_queries_are_refused(cat: Catalogue, q: str) -> None:
    with pytest.raises(SearchQueryError) as err:
        await cat.search(q)
    assert isinstance(err.value, ValueError)
    assert err.value.field == "q" and err.value.status == 422 and err.value.code
    assert "q" in str(err.value)


async def test_paging_is_checked_and_counted(cat: Catalogue) -> None:
    names = ["高龄老年人津贴", "失能老年人护理补贴", "困难老年人养老服务补贴", "老年人优待证办理"]
    for name in names:
        await cat.add(name)
    full, total = await cat.search("老年人", limit=100)
    assert total == 4 and len(full) == 4
    page, total2 = await cat.search("老年人", limit=2, offset=2)
    assert total2 == 4 and page == full[2:]
    past, total3 = await cat.search("老年人", limit=2, offset=10)
    assert past == [] and total3 == 4
    for limit, offset in ((0, 0), (201, 0), (10, -1)):
        with pytest.raises(SearchQueryError):
            await cat.search("老年人", limit=limit, offset=offset)


@pytest.mark.parametrize(
    "q",
    [
        "'; DROP TABLE search_terms; --",
        '" OR 1=1 --',
        "%",
        "_",
        "%%老年%%",
        "老年' OR '1'='1",
        "\\",
        "(){}[]<>!@#$^&*+=|~`",
        "老年人\x00津贴",
        "ＳＥＬＥＣＴ * ＦＲＯＭ items",
    ],
)
async def test_special_characters_are_inert(cat: Catalogue, q: str) -> None:
    elderly = await cat.add("高龄老年人津贴")
    hits, total = await cat.search(q)
    assert total == len(hits)
    assert {i for i, _ in hits} <= {elderly}
    # Everything is still there.
    assert await cat.ids("高龄老年人津贴") == [elderly]
    async with cat.sessions() as s:
        assert (await s.execute(select(func.count()).select_from(TERMS))).scalar_one() > 0


async def test_punctuation_only_query_finds_nothing(cat: Catalogue) -> None:
    await cat.add("高龄老年人津贴")
    assert await cat.search("，。！？") == ([], 0)
    assert await cat.search("的") == ([], 0)  # a stop word
    assert await cat.search("不存在的词语") == ([], 0)


def test_query_terms_are_normalised_and_bigrammed() -> None:
    terms = query_terms("高龄老年人津贴")
    assert {"高龄", "老年", "老年人", "津贴"} <= terms.words
    assert "龄老" in terms.bigrams and "龄老" not in terms.words
    assert "最低生活保障" in query_terms("低保").words


# ----------------------------------------------------------------- the same on both backends

#: The 25 real community items and their departments (the demo's list, catalog/data/).
COMMUNITY_ITEMS: tuple[tuple[str, str], ...] = tuple(community_rows())


RANKING_QUERIES = ["低保", "老年人", "补贴", "救助 认定", "养老保险", "采暖", "特困", "计划生育 扶助", "登记"]


async def _load_community_items(cat: Catalogue) -> dict[str, str]:
    names: dict[str, str] = {}
    for department, name in COMMUNITY_ITEMS:
        unit = {"code": department, "name": department}
        item_id = await cat.add(name, unit=unit, level=6, themes=[department])
        names[item_id] = name
    return names


async def _ranking(cat: Catalogue, names: dict[str, str]) -> dict[str, list[tuple[str, float]]]:
    out = {}
    for q in RANKING_QUERIES:
        hits, total = await cat.search(q, limit=100)
        assert total == len(hits)
        out[q] = [(names[i], s) for i, s in hits]
    return out


async def test_ranking_is_deterministic(cat: Catalogue) -> None:
    names = await _load_community_items(cat)
    first = await _ranking(cat, names)
    assert first["低保"] and first["老年人"] and first["养老保险"]
    assert await _ranking(cat, names) == first
    assert await cat.search("补贴", limit=5) == await cat.search("补贴", limit=5)


@pytest.mark.skipif(not postgres_base_url(), reason="TEST_POSTGRES_URL is not set")
async def test_sqlite_and_postgres_rank_alike(tmp_path: Path) -> None:
    """The same items give the same ranking, scores and ties on SQLite and on PostgreSQL.

    Item ids differ between the two databases, so they are compared by name; ties are broken by
    id, so names with equal scores are compared as sets of equal-score runs.
    """
    rankings = []
    for url in (sqlite_url(tmp_path), await create_postgres_database()):
        try:
            await migrate(SERVICE_DIR, url)
            db = Database(url)
            try:
                cat = Catalogue(db.engine)
                names = await _load_community_items(cat)
                rankings.append(await _ranking(cat, names))
            finally:
                await db.dispose()
        finally:
            if url.startswith("postgresql"):
                await drop_postgres_database(url)
    lite, pg = rankings

    def runs(hits: list[tuple[str, float]]) -> list[tuple[float, frozenset[str]]]:
        by_score: dict[float, set[str]] = {}
        for name, score in hits:
            by_score.setdefault(score, set()).add(name)
        return sorted(((s, frozenset(n)) for s, n in by_score.items()), key=lambda x: -x[0])

    for q in RANKING_QUERIES:
        assert [s for _, s in lite[q]] == [s for _, s in pg[q]], q
        assert runs(lite[q]) == runs(pg[q]), q


async def test_removing_an_item_row_cascades_its_terms(cat: Catalogue) -> None:
    item = await cat.add("高龄老年人津贴")
    async with cat.sessions.begin() as s:
        await s.execute(delete(VERSIONS).where(VERSIONS.c.item_id == item))
        await s.execute(delete(ITEMS).where(ITEMS.c.id == item))
    async with cat.sessions() as s:
        left = (await s.execute(select(func.count()).select_from(TERMS))).scalar_one()
    assert left == 0


async def test_very_common_words_rank_the_best_candidates(
    cat: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the row budget only the best candidates are ranked and the total is an estimate."""
    import catalog.services.search as search_module

    for i in range(12):
        await cat.add(f"个体工商户营业执照注销登记{i}")
    for i in range(12):
        await cat.add(f"食品经营许可{i}", keywords=["营业执照"])
    exact, exact_total = await cat.search("营业执照", limit=20)
    assert exact_total == 24
    monkeypatch.setattr(search_module, "_ROW_BUDGET", 2)
    monkeypatch.setattr(search_module, "_CANDIDATES", 16)
    pruned, total = await cat.search("营业执照", limit=8)
    # The name hits are the best candidates: the first page is the exact one.
    assert pruned == exact[:8]
    # 16 candidates all match, scaled to the 24 indexed items: the estimate is exact here.
    assert total == 24
    page2, total2 = await cat.search("营业执照", limit=4, offset=4)
    assert page2 == pruned[4:8] and total2 == total
    deep, deep_total = await cat.search("营业执照", limit=20, offset=0)  # beyond 16 / 2: exact
    assert deep == exact and deep_total == exact_total


async def test_driving_from_the_rarest_word_changes_nothing(
    cat: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Multi-word queries give the same pages, scores and totals whether or not they are driven
    from the rarest word's items (probing the other words per item through the item index)."""
    import catalog.services.search as search_module

    await _load_community_items(cat)
    for i in range(6):
        await cat.add(f"个体工商户营业执照注销登记{i}", unit=UNIT_SC)
        await cat.add(f"建设工程规划许可证核发{i}", keywords=["规划"])
    queries = [
        "营业执照 注销",
        "建设工程规划许可证",
        "救助 认定",
        "计划生育 扶助",
        "营业执照 遗失 养老",  # no item has every word: the any-word fallback
    ]

    async def run() -> list[Any]:
        out: list[Any] = []
        for q in queries:
            out.append(await cat.search(q, limit=100))
            out.append(await cat.search(q, limit=3, offset=2))
            out.append(await cat.search(q, SearchFilters(level=6)))
        return out

    monkeypatch.setattr(search_module, "_DRIVER_RATIO", 10**9)  # never drive
    scanned = await run()
    monkeypatch.setattr(search_module, "_DRIVER_RATIO", 0)  # always drive
    assert await run() == scanned
    assert any(total for _, total in scanned[::3])
