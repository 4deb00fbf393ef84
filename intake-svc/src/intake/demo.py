"""Demo data for intake-svc (idempotent): entrustment agreements (委托受理协议) letting the street
service centres accept the items of 区民政局 and 区人力社保局 on their behalf.

    python -m intake.demo --database-url URL
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date

from sqlalchemy import select

from yiwang_shared.db import Database
from yiwang_shared.migrations import migrate
from yiwang_shared.orm import utcnow

from .application_models import Entrustment
from .config import Settings
from .main import SERVICE_DIR

DISTRICT = "110105"
#: (reference, entrusting unit, entrusted unit, item codes)
AGREEMENTS: list[tuple[str, str, str, list[str]]] = [
    (f"朝民委受〔2026〕{n}号", f"{DISTRICT}-MZJ", f"{DISTRICT}00{n}-FWZX", ["*"]) for n in (1, 2, 3)
] + [(f"朝人社委受〔2026〕{n}号", f"{DISTRICT}-RSJ", f"{DISTRICT}00{n}-FWZX", ["*"]) for n in (1, 2, 3)]
VALID_FROM = date(2026, 1, 1)
VALID_UNTIL = date(2027, 12, 31)


async def load_demo(database_url: str) -> int:
    """Migrate and load the agreements not yet there; how many were created."""
    await migrate(SERVICE_DIR, database_url)
    db = Database(database_url)
    created = 0
    try:
        async with db.transaction() as session:
            existing = set((await session.execute(select(Entrustment.reference))).scalars())
            for reference, entrusting, entrusted, items in AGREEMENTS:
                if reference in existing:
                    continue
                session.add(
                    Entrustment(
                        entrusting_unit_code=entrusting,
                        entrusted_unit_code=entrusted,
                        item_codes=items,
                        valid_from=VALID_FROM,
                        valid_until=VALID_UNTIL,
                        reference=reference,
                        created_by="demo",
                        created_at=utcnow(),
                    )
                )
                created += 1
    finally:
        await db.dispose()
    return created


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m intake.demo", description=__doc__)
    parser.add_argument("--database-url", default=None, help="Default: INTAKE_DATABASE_URL")
    args = parser.parse_args(argv)
    url = args.database_url or Settings().resolved_database_url()
    created = asyncio.run(load_demo(url))
    sys.stdout.write(
        f"Demo intake data: {created} entrustment agreement(s) created "
        f"({len(AGREEMENTS) - created} already there).\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
