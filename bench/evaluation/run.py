"""Evaluation benchmark: 1,000,000 ratings loaded; indicator and ranking query latency (median,
p95); events applied per second through the real consumer path.

  .venv/bin/python bench/evaluation/run.py                          # 1,000,000 ratings, SQLite
  .venv/bin/python bench/evaluation/run.py --ratings 100000
  .venv/bin/python bench/evaluation/run.py --postgres postgresql://postgres@127.0.0.1:5432/postgres

1. Load: a fresh database migrated with evaluation-svc's migrations; `--ratings` service events
   and ratings over 12 months, 40 units, 400 windows, 2,000 staff and 300 items, inserted in bulk
   with their indicator counters computed by the same `event_increments` the service uses (the
   per-event path is measured in part 3, not used to load a million rows).
2. Queries, `--rounds` timed rounds after one warm-up: one unit's indicators for a month; every
   window of a month; the red-flag-window and service-star rankings of a month; the public
   district figures. Median, p95 and max in milliseconds.
3. Apply: `--events` intake.application.completed.v1 events handed to the real ConsumerRunner
   transaction (dedup row, counters, item name, rateable service event and its outbox event), then
   as many ratings through `submit_rating` (rating, counters, outbox event, a case for levels 4–5):
   events per second, one at a time (as a durable consumer applies them).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "evaluation-svc" / "src"))

from evaluation.config import Settings  # noqa: E402
from evaluation.consumers import consumers  # noqa: E402
from evaluation.events import RatingSubmitted, ServiceRegistered  # noqa: E402
from evaluation.main import SERVICE_DIR  # noqa: E402
from evaluation.models import Rating, ServiceEvent  # noqa: E402
from evaluation.services import indicator_reads as queries  # noqa: E402
from evaluation.services.indicators import Key, apply_increments, event_increments  # noqa: E402
from evaluation.services.ratings import submit_rating  # noqa: E402
from yiwang_shared.auth import Principal  # noqa: E402
from yiwang_shared.db import Database  # noqa: E402
from yiwang_shared.events import make_event  # noqa: E402
from yiwang_shared.events.consumer import ConsumerRunner  # noqa: E402
from yiwang_shared.migrations import migrate  # noqa: E402
from yiwang_shared.testing.databases import create_postgres_database, drop_postgres_database  # noqa: E402

UNITS = [f"110105-D{u:02d}" for u in range(40)]
MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]
LEVELS = [1] * 70 + [2] * 20 + [3] * 6 + [4] * 3 + [5] * 1


async def load(db: Database, n: int, rng: random.Random) -> float:
    """Bulk-load n service events and ratings with their counters; seconds taken."""
    start = time.perf_counter()
    batch = 10_000
    inc: dict[Key, int] = defaultdict(int)
    for offset in range(0, n, batch):
        events, ratings = [], []
        for i in range(offset, min(n, offset + batch)):
            u = rng.randrange(40)
            unit = UNITS[u]
            window = f"{unit}-W{rng.randrange(10):02d}"
            staff = f"staff-{u}-{rng.randrange(50)}"
            item = f"ITEM-{rng.randrange(300):03d}"
            month = MONTHS[i % 12]
            at = datetime(2026, int(month[5:]), 15, tzinfo=UTC)
            eid = f"se-{i}"
            level = rng.choice(LEVELS)
            counted = {"unit_code": unit, "window_code": window, "staff_id": staff, "item_code": item}
            events.append(
                {
                    "id": eid,
                    "kind": "visit",
                    "source_id": eid,
                    "reference_no": None,
                    "item_code": item,
                    "item_name": None,
                    "unit_code": unit,
                    "window_code": window,
                    "staff_id": staff,
                    "served_subject": None,
                    "served_at": at,
                    "rateable_until": at + timedelta(days=30),
                    "month": month,
                    "created_at": at,
                }
            )
            ratings.append(
                {
                    "id": f"r-{i}",
                    "service_event_id": eid,
                    "level": level,
                    "channel": "device",
                    "aspects": [],
                    "comment": None,
                    "item_code": item,
                    "unit_code": unit,
                    "window_code": window,
                    "staff_id": staff,
                    "rater_subject": None,
                    "real_name": False,
                    "month": month,
                    "excluded": False,
                    "submitted_at": at,
                }
            )
            for subject, data in (
                (ServiceRegistered.subject(), {"month": month, **counted}),
                (RatingSubmitted.subject(), {"month": month, "level": level, **counted}),
            ):
                for k, v in event_increments(subject, data).items():
                    inc[k] += v
        async with db.transaction() as s:
            await s.execute(insert(ServiceEvent.__table__), events)
            await s.execute(insert(Rating.__table__), ratings)
    items = list(inc.items())
    for i in range(0, len(items), 2000):
        async with db.transaction() as s:
            await apply_increments(s, dict(items[i : i + 2000]))
    return time.perf_counter() - start


async def timed(fn, rounds: int) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    """(median, p95, max) in ms of `rounds` calls after one warm-up."""
    await fn()
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        await fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], times[-1]


async def query_part(db: Database, rounds: int, rng: random.Random) -> None:
    """Latency of indicator and ranking queries."""
    async with db.transaction() as s:
        rules = {r.name: r for r in await queries.list_rules(s)}
        for r in rules.values():
            r.min_ratings = 10  # so the rankings have candidates at this scale

    async def unit() -> None:
        async with db.transaction(write=False) as s:
            rows = await queries.counters_for(
                s, dimension="unit", month=rng.choice(MONTHS), key=rng.choice(UNITS)
            )
            [queries.indicator_row(k, v) for k, v in rows.items()]

    async def windows() -> None:
        async with db.transaction(write=False) as s:
            rows = await queries.counters_for(s, dimension="window", month=rng.choice(MONTHS))
            [queries.indicator_row(k, v) for k, v in rows.items()]

    def ranking(name: str):  # type: ignore[no-untyped-def]
        async def run() -> None:
            async with db.transaction(write=False) as s:
                await queries.ranking(s, rule=rules[name], month=rng.choice(MONTHS))

        return run

    async def public() -> None:
        async with db.transaction(write=False) as s:
            queries.total(await queries.counters_for(s, dimension="unit", month=rng.choice(MONTHS)))

    for label, fn in (
        ("unit indicators (one unit, one month)", unit),
        ("window indicators (400 windows, one month)", windows),
        ("ranking red_flag_window (windows)", ranking("red_flag_window")),
        ("ranking service_star (2,000 staff)", ranking("service_star")),
        ("public district figures (40 units)", public),
    ):
        med, p95, top = await timed(fn, rounds)
        print(f"  {label:45s} median {med:7.2f} ms  p95 {p95:7.2f} ms  max {top:7.2f} ms", flush=True)


async def apply_part(db: Database, n: int) -> None:
    """Events per second through the consumer runner, then ratings per second."""
    settings = Settings(database_url=db.url, rating_window_days=365)
    runner = ConsumerRunner(db, None, consumers(settings), service="evaluation")  # type: ignore[arg-type]
    consumer = next(c for c in runner.consumers if c.name == "evaluation__intake_application")
    now = datetime.now(UTC)
    envelopes = []
    for i in range(n):
        data = {
            "application_id": f"bench-app-{i}",
            "application_no": f"SQ{i}",
            "item_code": f"ITEM-{i % 300:03d}",
            "item_name": "事项",
            "owner_unit_code": UNITS[i % 40],
            "intake_unit_code": f"{UNITS[i % 40]}-W01",
            "channel": "window",
            "online": False,
            "staff_id": f"staff-{i % 40}-1",
            "handling_type": "2",
            "legal_limit_days": 20,
            "promised_limit_days": 10,
            "limit_unit": "working_day",
            "visits": 1,
            "received_at": now.isoformat(),
            "completed_at": now.isoformat(),
            "working_days_used": 5,
            "applicant_subject": f"citizen-{i}",
        }
        envelopes.append(make_event("intake.application.completed", 1, data, producer="intake"))
    t = time.perf_counter()
    for env in envelopes:
        await runner.handle_envelope(consumer, env)
    took = time.perf_counter() - t
    print(
        f"  intake.application.completed.v1 applied: {n} in {took:.1f} s = {n / took:,.0f} events/s",
        flush=True,
    )
    async with db.transaction(write=False) as s:
        from sqlalchemy import select

        ids = dict(
            (
                await s.execute(
                    select(ServiceEvent.source_id, ServiceEvent.id).where(
                        ServiceEvent.source_id.like("bench-app-%")
                    )
                )
            ).all()
        )
    t = time.perf_counter()
    for i in range(n):
        async with db.transaction() as s:
            await submit_rating(
                s,
                event_id=ids[f"bench-app-{i}"],
                principal=Principal(subject=f"citizen-{i}", kind="person"),
                code=None,
                level=LEVELS[i % 100],
                channel="mobile",
                aspects=[],
                comment=None,
                case_deadline_days=5,
            )
    took = time.perf_counter() - t
    print(
        f"  ratings submitted (with cases for 4-5):    {n} in {took:.1f} s = {n / took:,.0f} ratings/s",
        flush=True,
    )


async def main() -> None:
    """Run the three parts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--ratings", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--postgres", default=None, help="base URL of a PostgreSQL server")
    args = parser.parse_args()
    rng = random.Random(20261122)
    tmp = tempfile.TemporaryDirectory()
    if args.postgres:
        import os

        os.environ["TEST_POSTGRES_URL"] = args.postgres
        url = await create_postgres_database("yiwang_bench_evaluation")
    else:
        url = f"sqlite+aiosqlite:///{tmp.name}/evaluation.db"
    try:
        await migrate(SERVICE_DIR, url)
        db = Database(url)
        backend = "PostgreSQL" if args.postgres else "SQLite"
        print(f"evaluation bench on {backend}", flush=True)
        took = await load(db, args.ratings, rng)
        print(f"  loaded {args.ratings:,} ratings (+ service events, counters) in {took:.1f} s", flush=True)
        await query_part(db, args.rounds, rng)
        await apply_part(db, args.events)
        await db.dispose()
    finally:
        if args.postgres:
            await drop_postgres_database(url)
        tmp.cleanup()


if __name__ == "__main__":
    asyncio.run(main())
