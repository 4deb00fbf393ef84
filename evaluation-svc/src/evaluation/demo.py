"""`python -m evaluation.demo --database-url URL`: migrate and load the default ranking rules.

Idempotent (rules an evaluator changed are kept). Ratings, cases and indicators come from real
use: completed applications and closed tickets arrive as events, window visits are registered by
clerks. Prints one summary line.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from yiwang_shared.db import Database
from yiwang_shared.migrations import migrate

from .config import SERVICE_DIR, Settings
from .services.indicator_reads import list_rules


async def load(url: str) -> list[str]:
    """Migrate and ensure the default ranking rules; the rule names."""
    await migrate(SERVICE_DIR, url)
    db = Database(url)
    try:
        async with db.transaction() as session:
            return [f"{r.name} ({r.title})" for r in await list_rules(session)]
    finally:
        await db.dispose()


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description="Load evaluation-svc's demo data (ranking rules).")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args(argv)
    names = asyncio.run(load(args.database_url or Settings().resolved_database_url()))
    sys.stdout.write(f"ranking rules: {', '.join(names)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
