"""Publish every staff account once more as `identity.staff.changed.v1` (change "updated", or
"disabled" for a disabled account), so a
service that starts keeping a read model of staff after the accounts were made learns them all.

    python -m identity.services.staff_sync [--database-url URL]

The events go to the outbox like any change and the running service's relay publishes them.
Each carries the account's own `updated_at` as `changed_at`, so a read model that keeps the
newest state by `changed_at` is not set back by it, and running it twice changes nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from yiwang_shared.db import Database
from yiwang_shared.migrations import migrate

from .. import events
from ..config import SERVICE_DIR, Settings
from ..repositories.accounts import AccountRepository
from .accounts import staff_changed_event

BATCH = 200


async def republish_staff(database_url: str) -> int:
    """Write one staff.changed event per staff account to the outbox; how many."""
    await migrate(SERVICE_DIR, database_url)
    db = Database(database_url)
    count = 0
    try:
        async with db.transaction() as session:
            repo = AccountRepository(session)
            while True:
                batch, _ = await repo.list_staff(limit=BATCH, offset=count)
                for staff in batch:
                    change = "disabled" if staff.status == "disabled" else "updated"
                    await events.publish(session, staff_changed_event(staff, change))
                count += len(batch)
                if len(batch) < BATCH:
                    break
    finally:
        await db.dispose()
    return count


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m identity.services.staff_sync", description=__doc__)
    parser.add_argument("--database-url", default=None, help="Default: IDENTITY_DATABASE_URL")
    args = parser.parse_args(argv)
    count = asyncio.run(republish_staff(args.database_url or Settings().resolved_database_url()))
    sys.stdout.write(f"{count} staff account(s) queued as identity.staff.changed.v1\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
