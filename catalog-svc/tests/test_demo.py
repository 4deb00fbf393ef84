"""Demo catalogue: the data validates, the real community items are all there, enough entries
pass the quality check, and loading is idempotent on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import importlib.util
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from catalog.demo import load_demo, load_demo_details
from catalog.demo_data import COMMUNITY_ITEM_NAMES, demo_bundles, demo_entries
from catalog.elements import ItemElements
from catalog.models import BasicItem, Bundle, BundleItem, Item, ItemVersion
from yiwang_shared.db import Database

CSV = Path(__file__).resolve().parents[2] / "data" / "community_items.csv"
HAS_QUALITY = importlib.util.find_spec("catalog.quality") is not None


def test_entries_validate_and_are_marked_demo() -> None:
    entries = demo_entries()
    assert all(isinstance(e, ItemElements) for e in entries)
    assert all(e.demo for e in entries)
    assert len(entries) >= 60
    assert len({(e.name, e.implementing_unit.code) for e in entries}) == len(entries)


def test_the_25_real_community_items_under_their_departments() -> None:
    assert CSV.exists(), f"{CSV} is missing"
    units = {"区民政局": "110105-MZJ", "区人力社保局": "110105-RSJ", "区卫生健康委": "110105-WJW"}
    by_name = {e.name: e for e in demo_entries()}
    with CSV.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 25
    for row in rows:
        entry = by_name[row["item_name"]]
        assert entry.implementing_unit.name == row["guiding_department"]
        assert entry.implementing_unit.code == units[row["guiding_department"]]
        assert entry.community_kind in ("accept", "collect_forward", "enquiry_prereview")
    assert {r["item_name"] for r in rows} == set(COMMUNITY_ITEM_NAMES)
    kinds = Counter(by_name[r["item_name"]].community_kind for r in rows)
    assert set(kinds) == {"accept", "collect_forward", "enquiry_prereview"}


def test_district_and_street_items_for_search() -> None:
    entries = [e for e in demo_entries() if e.name not in COMMUNITY_ITEM_NAMES]
    assert len(entries) >= 40
    assert {e.level for e in entries} == {4, 5}
    assert {"01", "05", "07", "20"} <= {e.item_type for e in entries}
    assert all(e.keywords and e.themes for e in entries)
    names = {e.name for e in entries}
    assert {"食品经营许可", "个体工商户设立登记", "建设工程规划许可证核发", "生育登记", "居住证办理"} <= names
    assert "困难残疾人生活补贴和重度残疾人护理补贴" in names


def test_bundles_name_existing_items() -> None:
    names = {e.name for e in demo_entries()}
    bundles = demo_bundles()
    assert len(bundles) == 2
    for b in bundles:
        assert b["code"] and b["name"].endswith("一件事")
        assert len(b["items"]) >= 2 and set(b["items"]) <= names


@pytest.mark.skipif(not HAS_QUALITY, reason="catalog.quality (the checker) is not installed yet")
def test_quality_mix() -> None:
    from catalog.quality import check

    entries = demo_entries()
    results = {(e.name, e.implementing_unit.code): check(e) for e in entries}
    passing = [k for k, r in results.items() if not r.errors]
    community_passing = [k for k in passing if k[0] in COMMUNITY_ITEM_NAMES]
    assert len(community_passing) >= 6
    assert len(passing) >= 15
    failing = [r for r in results.values() if r.errors]
    assert len(failing) >= 15  # the quality report has something to say
    checks = {f.check for r in failing for f in r.errors}
    assert any("catch_all" in c for c in checks)
    assert any("same_number" in c for c in checks)
    # bundle members are publishable
    ok_names = {k[0] for k in passing}
    for b in demo_bundles():
        assert set(b["items"]) <= ok_names, b["name"]


async def _snapshot(url: str) -> tuple[int, ...]:
    db = Database(url)
    try:
        async with db.transaction(write=False) as s:
            out = []
            for model in (Item, ItemVersion, BasicItem, Bundle, BundleItem):
                out.append((await s.execute(select(func.count()).select_from(model))).scalar_one())
            out.append(
                (
                    await s.execute(select(func.count()).select_from(Item).where(Item.status == "published"))
                ).scalar_one()
            )
    finally:
        await db.dispose()
    return tuple(out)


async def test_load_is_idempotent(database_url: str) -> None:
    entries = demo_entries()
    first = await load_demo_details(database_url)
    assert first.created == len(entries)
    assert first.published + first.drafts == first.created
    if HAS_QUALITY:
        assert first.published >= 15
        assert first.bundles == 2, first.skipped_bundles
    snap = await _snapshot(database_url)
    items, versions, basics, _bundles, _members, published = snap
    assert items == versions == len(entries)
    assert basics == len({(e.name, e.item_type) for e in entries})  # same item → one basic entry
    assert published == first.published
    assert await load_demo(database_url) == 0  # second run: nothing created, nothing raised
    assert await _snapshot(database_url) == snap
