"""Demo catalogue: the data validates, the 25 real community items are all there, complete and
clean, enough other entries pass the quality check, loading publishes them, brings an older
demo's entries up to date, and is idempotent on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import importlib.util
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest
from sqlalchemy import func, select

from catalog.consumers import upsert_org_unit
from catalog.demo import load_demo, load_demo_details
from catalog.demo.community import COMMUNITY_CSV
from catalog.demo.data import COMMUNITY_ITEM_NAMES, demo_bundles, demo_entries
from catalog.main import SERVICE_DIR
from catalog.models import BasicItem, Bundle, BundleItem, Item, ItemChange, ItemVersion
from catalog.schemas.elements import ItemElements
from catalog.services import items as item_service
from catalog.services.quality import check
from yiwang_shared.auth import Principal
from yiwang_shared.db import Database
from yiwang_shared.migrations import migrate

CSV = Path(__file__).resolve().parents[2] / "data" / "community_items.csv"
HAS_QUALITY = importlib.util.find_spec("catalog.services.quality") is not None


def test_entries_validate_and_are_marked_demo() -> None:
    entries = demo_entries()
    assert all(isinstance(e, ItemElements) for e in entries)
    assert all(e.demo for e in entries)
    assert len(entries) >= 60
    assert len({(e.name, e.implementing_unit.code) for e in entries}) == len(entries)


def test_the_25_real_community_items_under_their_departments() -> None:
    assert CSV.exists(), f"{CSV} is missing"
    # The demo ships its own copy of the list (package data): it is the repository's, byte for byte.
    packaged = resources.files("catalog").joinpath(COMMUNITY_CSV).read_bytes()
    assert packaged == CSV.read_bytes()
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


def test_every_community_item_is_complete_and_clean() -> None:
    """All 25 publishable, with nothing for the guide-quality checker to say."""
    community = [e for e in demo_entries() if e.name in COMMUNITY_ITEM_NAMES]
    assert len(community) == 25
    for entry in community:
        result = check(entry)
        assert [(f.severity, f.check, f.element) for f in result.findings] == [], entry.name
        assert result.score == 100
        # Each legal basis names an article and quotes it; the station's part is in the process.
        assert all(b.article and b.text for b in entry.legal_basis), entry.name
        accept = entry.process[0]
        assert accept.step == "accept" and accept.actor and "社区服务站" in (accept.description or "")
        assert entry.faq[0].question == "可以在社区服务站办理吗？"
        assert "本区的安排" in entry.faq[0].answer  # the kind is the district's choice, and says so
    kinds = Counter(e.community_kind for e in community)
    assert kinds == {"accept": 8, "collect_forward": 13, "enquiry_prereview": 4}


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


@pytest.mark.skipif(not HAS_QUALITY, reason="catalog.services.quality (the checker) is not installed yet")
def test_quality_mix() -> None:
    from catalog.services.quality import check

    entries = demo_entries()
    results = {(e.name, e.implementing_unit.code): check(e) for e in entries}
    passing = [k for k, r in results.items() if not r.errors]
    community_passing = [k for k in passing if k[0] in COMMUNITY_ITEM_NAMES]
    assert len(community_passing) == 25
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
    again = await load_demo_details(database_url)
    assert (again.created, again.updated, again.published) == (0, 0, 0)
    db = Database(database_url)
    try:
        async with db.transaction(write=False) as s:
            statuses = dict(
                (
                    await s.execute(select(Item.name, Item.status).where(Item.name.in_(COMMUNITY_ITEM_NAMES)))
                ).all()
            )
    finally:
        await db.dispose()
    assert len(statuses) == 25 and set(statuses.values()) == {"published"}


async def test_an_older_demo_is_brought_up_to_date_but_an_editors_work_is_not(database_url: str) -> None:
    """A database loaded by an older demo (community items as drafts, or published with other
    elements) gets the completed items; an entry a person changed is left as they made it."""
    await migrate(SERVICE_DIR, database_url)
    by_name = {e.name: e for e in demo_entries()}
    old_draft = by_name["城乡低收入家庭认定"].model_copy(update={"process": [], "legal_basis": []})
    old_published = by_name["高龄老年人津贴"].model_copy(
        update={"hours": "周一至周五 9:00-17:00（法定节假日除外）"}
    )
    touched = by_name["生育登记-互补网申请"].model_copy(update={"process": []})
    editor = Principal(subject="editor-zheng", kind="staff", roles=frozenset({"admin"}))
    db = Database(database_url)
    try:
        async with db.transaction() as s:
            await upsert_org_unit(
                s,
                {
                    "org_unit_id": "00000000-0000-4000-8000-0000000000aa",
                    "code": "110105-WJW",
                    "name": "区卫生健康委",
                    "kind": "department",
                    "level": 4,
                    "parent_id": None,
                    "uscc": None,
                    "changed_at": "2026-01-01T00:00:00+00:00",
                },
            )
            await item_service.create_item(s, elements=old_draft, actor=None)
            pub = await item_service.create_item(s, elements=old_published, actor=None)
            await item_service.publish_version(s, pub.code, 1, actor=None)
            mine = await item_service.create_item(s, elements=touched, actor=editor)
        result = await load_demo_details(database_url)
        assert result.updated == 2 and result.created == len(demo_entries()) - 3
        async with db.transaction(write=False) as s:
            items = {i.name: i for i in (await s.execute(select(Item))).scalars()}
            low = items["城乡低收入家庭认定"]
            assert (low.status, low.current_version_no) == ("published", 1)
            v1 = await item_service.get_version(s, low, 1)
            assert ItemElements.model_validate(v1.elements) == by_name["城乡低收入家庭认定"]
            old = items["高龄老年人津贴"]
            assert (old.status, old.current_version_no) == ("published", 2)
            versions = {
                v.version_no: v.status
                for v in (await s.execute(select(ItemVersion).where(ItemVersion.item_id == old.id))).scalars()
            }
            assert versions == {1: "retired", 2: "published"}
            left = items["生育登记-互补网申请"]
            assert left.code == mine.code and left.status == "draft"
            assert (await item_service.get_version(s, left, 1)).elements["process"] == []
            trail = (
                await s.execute(
                    select(ItemChange.action).where(ItemChange.item_id == low.id).order_by(ItemChange.at)
                )
            ).scalars()
            assert list(trail) == ["created", "edited", "published"]
    finally:
        await db.dispose()
