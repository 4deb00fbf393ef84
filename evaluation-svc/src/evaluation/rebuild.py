"""`python -m evaluation.rebuild --database-url URL`: replay the fact journal and prove the counters.

Every indicator counter is recomputed from the stored facts (the consumed intake and hotline
events, and evaluation's own rating and case facts) with the same `fact_increments` the
consumers and services use, then compared with the incrementally maintained `indicator_counters`.
Exit code 0 and "MATCH" when equal; 1 and the differing counters otherwise. `--repair` rewrites
the counters from the replay.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import defaultdict
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.db import Database

from .config import Settings
from .indicators import Key, apply_increments, fact_increments
from .models import Fact, IndicatorCounter
from .sources import PayloadRejected


async def replay(session: AsyncSession, *, batch: int = 5000) -> dict[Key, int]:
    """The counters as the journal says they should be."""
    out: dict[Key, int] = defaultdict(int)
    last = 0
    while True:
        rows = (
            await session.execute(
                select(Fact.seq, Fact.kind, Fact.data).where(Fact.seq > last).order_by(Fact.seq).limit(batch)
            )
        ).all()
        if not rows:
            break
        for seq, kind, data in rows:
            last = seq
            try:
                for key, value in fact_increments(kind, data).items():
                    out[key] += value
            except PayloadRejected:
                continue  # never counted incrementally either
    return {k: v for k, v in out.items() if v}


async def stored(session: AsyncSession) -> dict[Key, int]:
    """The incrementally maintained counters (zeros left out)."""
    rows = await session.execute(
        select(
            IndicatorCounter.dimension,
            IndicatorCounter.key,
            IndicatorCounter.month,
            IndicatorCounter.name,
            IndicatorCounter.value,
        )
    )
    return {(d, k, m, n): int(v) for d, k, m, n, v in rows.all() if v}


def differences(expected: dict[Key, int], actual: dict[Key, int]) -> list[dict[str, Any]]:
    """Every counter whose stored value differs from the replay."""
    out = []
    for key in sorted(set(expected) | set(actual)):
        if expected.get(key, 0) != actual.get(key, 0):
            d, k, m, n = key
            out.append(
                {
                    "dimension": d,
                    "key": k,
                    "month": m,
                    "name": n,
                    "replayed": expected.get(key, 0),
                    "stored": actual.get(key, 0),
                }
            )
    return out


async def check(url: str, *, repair: bool = False) -> tuple[int, list[dict[str, Any]]]:
    """(number of counters, differences) — and rewrite the counters when `repair`."""
    db = Database(url)
    try:
        async with db.transaction(write=repair) as session:
            expected = await replay(session)
            diffs = differences(expected, await stored(session))
            if repair and diffs:
                await session.execute(delete(IndicatorCounter))
                await apply_increments(session, expected)
        return len(expected), diffs
    finally:
        await db.dispose()


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--database-url", default=None, help="defaults to EVALUATION_DATABASE_URL / var/evaluation.db"
    )
    parser.add_argument("--repair", action="store_true", help="rewrite the counters from the replay")
    args = parser.parse_args(argv)
    url = args.database_url or Settings().resolved_database_url()
    count, diffs = asyncio.run(check(url, repair=args.repair))
    if not diffs:
        sys.stdout.write(
            f"MATCH: {count} indicator counters replayed from the journal equal the stored ones\n"
        )
        return 0
    sys.stdout.write(
        f"MISMATCH: {len(diffs)} of {count} counters differ{' (repaired)' if args.repair else ''}\n"
    )
    for d in diffs[:50]:
        sys.stdout.write(f"  {d}\n")
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
