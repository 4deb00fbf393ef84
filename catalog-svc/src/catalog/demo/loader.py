"""Load the demo catalogue (see `catalog.demo.data`) into catalog-svc's database.

    python -m catalog.demo [--database-url URL]

Runs the migrations first, then in one transaction creates every demo entry that is not there
yet (identified by item name + implementing unit code), as the system (no ownership checks).
Entries of the same name reuse one basic catalogue entry (同一事项同标准). New entries that pass
the quality checker are published; the others stay drafts and show up in the quality report —
the 25 real community items all pass and are published.

A demo entry already there that no person ever touched (every audit-trail entry is the
system's) is brought up to the current demo data: a draft is rewritten and published when it
passes, a published one whose elements changed gets a new published version. So a database
loaded by an older demo gets the completed community items; anything an editor changed is left
alone. Then the "one thing" bundles are created (by name, if missing) from their published
members. Idempotent: running it again changes nothing and raises nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.db import Database
from yiwang_shared.errors import ProblemError
from yiwang_shared.migrations import migrate

from ..config import SERVICE_DIR, Settings
from ..models import Item
from ..repositories.basic_items import BasicItemRepository
from ..repositories.bundles import BundleRepository
from ..repositories.items import ItemRepository
from ..schemas.elements import ItemElements
from ..services import items as item_service
from .data import demo_bundles, demo_entries

log = logging.getLogger("catalog.demo")

#: The system acting as an administrator, for services that need a principal (bundles).
SYSTEM_ADMIN = Principal(subject="system:catalog-demo", kind="staff", roles=frozenset({"admin"}))


@dataclass
class DemoResult:
    """What one load did."""

    created: int = 0
    published: int = 0
    drafts: int = 0
    updated: int = 0
    bundles: int = 0
    skipped_bundles: list[str] = field(default_factory=list)


def passes_quality(elements: ItemElements) -> bool:
    """True when the quality checker finds no errors."""
    return not item_service.run_quality(elements).errors


async def _existing(session: AsyncSession, elements: ItemElements) -> Item | None:
    return await ItemRepository(session).find_by_name_and_unit(elements.name, elements.implementing_unit.code)


async def _basic_code_for(session: AsyncSession, elements: ItemElements) -> str | None:
    """The basic code of an existing basic entry with this name and type, if any."""
    return await BasicItemRepository(session).first_code_named(elements.name, elements.item_type)


async def _touched_by_a_person(session: AsyncSession, item: Item) -> bool:
    return await ItemRepository(session).touched_by_a_person(item.id)


async def _align_basic(session: AsyncSession, item: Item, elements: ItemElements) -> None:
    """Give the item's basic entry the new legal basis when no other entry implements it."""
    others = await ItemRepository(session).count_with_basic(item.basic_item_id, other_than=item.id)
    basic = await BasicItemRepository(session).find(item.basic_item_id)
    if not others and basic is not None:
        basic.legal_basis = [b.model_dump(mode="json") for b in elements.legal_basis]


async def refresh_entry(session: AsyncSession, item: Item, elements: ItemElements) -> str | None:
    """Bring a system-owned demo entry up to `elements`: "published", "draft", or None if unchanged.

    Entries a person has changed, and retired ones, are never touched.
    """
    if item.status == "retired" or await _touched_by_a_person(session, item):
        return None
    new = elements.model_dump(mode="json")
    number = await item_service.latest_version_no(session, item.id)
    version = await item_service.get_version(session, item, number)
    same = version.elements == new
    if version.status == "published":
        if same:
            return None
        number = (await item_service.new_version(session, item.code, actor=None)).version_no
        await item_service.update_draft(session, item.code, number, elements=elements, actor=None)
    elif version.status == "draft":
        if same and not passes_quality(elements):
            return None  # a deliberately imperfect entry, already as the demo has it
        if not same:
            await item_service.update_draft(session, item.code, number, elements=elements, actor=None)
    else:  # in review: the system never submits, so a person did
        return None
    if not passes_quality(elements):
        return "draft"
    await _align_basic(session, item, elements)
    try:
        await item_service.publish_version(session, item.code, number, actor=None)
    except ProblemError as exc:
        log.warning("demo entry %s (%s) stays a draft: %s", item.code, elements.name, exc)
        return "draft"
    return "published"


async def load_entries(session: AsyncSession, entries: list[ItemElements]) -> DemoResult:
    """Create the missing entries and publish the new ones that pass quality; bring system-owned
    existing ones up to date (`refresh_entry`)."""
    result = DemoResult()
    for elements in entries:
        existing = await _existing(session, elements)
        if existing is not None:
            outcome = await refresh_entry(session, existing, elements)
            if outcome is not None:
                result.updated += 1
                result.published += outcome == "published"
            continue
        view = await item_service.create_item(
            session,
            elements=elements,
            actor=None,
            basic_code=await _basic_code_for(session, elements),
        )
        result.created += 1
        if not passes_quality(elements):
            result.drafts += 1
            continue
        try:
            await item_service.publish_version(session, view.code, 1, actor=None)
        except ProblemError as exc:  # e.g. a same-standard mismatch: raised before any write
            log.warning("demo entry %s (%s) stays a draft: %s", view.code, elements.name, exc)
            result.drafts += 1
        else:
            result.published += 1
    return result


async def load_bundles(session: AsyncSession, result: DemoResult) -> None:
    """Create the missing bundles from published members (catalog.services.bundles)."""
    try:
        from ..schemas.bundles import BundleCreate
        from ..services.bundles import create_bundle
    except ImportError:  # the core service does not offer bundles: skip them
        result.skipped_bundles = [b["name"] for b in demo_bundles()]
        return
    for bundle in demo_bundles():
        if await BundleRepository(session).exists_named(bundle["name"]):
            continue
        codes, stages = [], []
        for name, stage in zip(bundle["items"], bundle["stages"], strict=True):
            code = await ItemRepository(session).first_published_code(name)
            if code is not None:
                codes.append(code)
                stages.append(stage)
        if len(codes) < 2:
            result.skipped_bundles.append(bundle["name"])
            continue
        await create_bundle(
            session,
            data=BundleCreate(
                name=bundle["name"], description=bundle["description"], item_codes=codes, stages=stages
            ),
            actor=SYSTEM_ADMIN,
        )
        result.bundles += 1


async def load_demo_details(database_url: str) -> DemoResult:
    """Migrate, then load whatever demo content is missing; what was done."""
    await migrate(SERVICE_DIR, database_url)
    db = Database(database_url)
    try:
        async with db.transaction() as session:
            result = await load_entries(session, demo_entries())
            await load_bundles(session, result)
    finally:
        await db.dispose()
    return result


async def load_demo(database_url: str) -> int:
    """Migrate and load the demo catalogue; the number of items created (0 when already loaded)."""
    return (await load_demo_details(database_url)).created


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m catalog.demo", description=__doc__)
    parser.add_argument("--database-url", default=None, help="Default: CATALOG_DATABASE_URL")
    args = parser.parse_args(argv)
    url = args.database_url or Settings().resolved_database_url()
    result = asyncio.run(load_demo_details(url))
    sys.stdout.write(
        f"Demo catalogue: {result.created} item(s) created, {result.updated} brought up to date, "
        f"{result.published} published, {result.drafts} left as drafts (quality findings), "
        f"{result.bundles} bundle(s) created.\n"
    )
    if result.skipped_bundles:
        sys.stdout.write("Bundles skipped: " + "、".join(result.skipped_bundles) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
