"""Load the demo catalogue (see `catalog.demo_data`) into catalog-svc's database.

    python -m catalog.demo [--database-url URL]

Runs the migrations first, then in one transaction creates every demo entry that is not there
yet (identified by item name + implementing unit code), as the system (no ownership checks).
Entries of the same name reuse one basic catalogue entry (同一事项同标准). New entries that pass
the quality checker are published; the others stay drafts and show up in the quality report.
Then the "one thing" bundles are created (by name, if missing) from their published members.
Idempotent: running it again creates nothing, publishes nothing and raises nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.db import Database
from yiwang_shared.errors import ProblemError
from yiwang_shared.migrations import migrate

from .config import Settings
from .demo_data import demo_bundles, demo_entries
from .elements import ItemElements
from .main import SERVICE_DIR
from .models import BasicItem, Bundle, Item
from .services import items as item_service

log = logging.getLogger("catalog.demo")

#: The system acting as an administrator, for services that need a principal (bundles).
SYSTEM_ADMIN = Principal(subject="system:catalog-demo", kind="staff", roles=frozenset({"admin"}))


@dataclass
class DemoResult:
    """What one load did."""

    created: int = 0
    published: int = 0
    drafts: int = 0
    bundles: int = 0
    skipped_bundles: list[str] = field(default_factory=list)


def passes_quality(elements: ItemElements) -> bool:
    """True when the quality checker finds no errors."""
    return not item_service.run_quality(elements).errors


async def _existing(session: AsyncSession, elements: ItemElements) -> Item | None:
    return (
        (
            await session.execute(
                select(Item).where(
                    Item.name == elements.name,
                    Item.owner_unit_code == elements.implementing_unit.code,
                )
            )
        )
        .scalars()
        .first()
    )


async def _basic_code_for(session: AsyncSession, elements: ItemElements) -> str | None:
    """The basic code of an existing basic entry with this name and type, if any."""
    return (
        (
            await session.execute(
                select(BasicItem.basic_code)
                .where(BasicItem.name == elements.name, BasicItem.item_type == elements.item_type)
                .order_by(BasicItem.created_at)
            )
        )
        .scalars()
        .first()
    )


async def load_entries(session: AsyncSession, entries: list[ItemElements]) -> DemoResult:
    """Create the missing entries and publish the new ones that pass quality."""
    result = DemoResult()
    for elements in entries:
        if await _existing(session, elements) is not None:
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
        from .schemas.bundles import BundleCreate
        from .services.bundles import create_bundle
    except ImportError:  # the core service does not offer bundles: skip them
        result.skipped_bundles = [b["name"] for b in demo_bundles()]
        return
    for bundle in demo_bundles():
        found = (await session.execute(select(Bundle.id).where(Bundle.name == bundle["name"]))).first()
        if found is not None:
            continue
        codes = []
        for name in bundle["items"]:
            code = (
                (
                    await session.execute(
                        select(Item.code)
                        .where(Item.name == name, Item.status == "published")
                        .order_by(Item.created_at)
                    )
                )
                .scalars()
                .first()
            )
            if code is not None:
                codes.append(code)
        if len(codes) < 2:
            result.skipped_bundles.append(bundle["name"])
            continue
        await create_bundle(
            session,
            data=BundleCreate(name=bundle["name"], description=bundle["description"], item_codes=codes),
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
        f"Demo catalogue: {result.created} item(s) created, {result.published} published, "
        f"{result.drafts} left as drafts (quality findings), {result.bundles} bundle(s) created.\n"
    )
    if result.skipped_bundles:
        sys.stdout.write("Bundles skipped: " + "、".join(result.skipped_bundles) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
