"""Hotline benchmark: knowledge-base search latency on 20,000 entries, and ticket creation
throughput through the gateway.

  .venv/bin/python bench/hotline/run.py                         # both parts, SQLite
  .venv/bin/python bench/hotline/run.py --part kb --entries 5000
  .venv/bin/python bench/hotline/run.py --part kb --postgres postgresql://postgres@127.0.0.1:5432/postgres
  .venv/bin/python bench/hotline/run.py --part tickets --tickets 400 --concurrency 1,8,32

Part `kb`: a fresh database migrated with hotline-svc's migrations; 20,000 published entries
written and indexed with `hotline.services.search.index_terms` (as publishing does); then
`hotline.services.kb.search()` in-process for the 40 queries of corpus.py (a page of 10 and the
count of every match, as `GET /v1/kb/search?limit=10` answers), one warm-up round and `--rounds`
timed rounds: median, p95, max, and how many queries found something.
Part `tickets`: the whole platform as processes (tools/devstack, SQLite under a temp dir, its own
nats-server), identity and hotline demo data; the demo agent logs in and POSTs tickets to
`/api/hotline/v1/tickets` through the gateway at each concurrency: tickets/s and latency.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import insert, text

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "tools"))

from corpus import QUERIES, generate  # noqa: E402

from hotline.config import SERVICE_DIR  # noqa: E402
from hotline.models import KbEntry, KbTerm, KbVersion  # noqa: E402
from hotline.services.kb import search  # noqa: E402
from hotline.services.search import index_terms, warm_up  # noqa: E402
from yiwang_shared.db import Database  # noqa: E402
from yiwang_shared.migrations import migrate  # noqa: E402
from yiwang_shared.orm import new_id, utcnow  # noqa: E402
from yiwang_shared.pagination import PageParams  # noqa: E402


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


async def load_kb(db: Database, n: int) -> float:
    """Write and index n published entries; seconds taken."""
    t0 = time.perf_counter()
    now = utcnow()
    docs = generate(n)
    batch = 1000
    for start in range(0, n, batch):
        entries, versions, terms = [], [], []
        for question, answer, keywords, _unit in docs[start : start + batch]:
            eid = new_id()
            entries.append(
                dict(
                    id=eid,
                    source="manual",
                    owner_unit_code="110105-ZWGLJ",
                    status="published",
                    published_version_no=1,
                    question=question,
                    usage_count=0,
                    created_by="bench",
                    created_at=now,
                    updated_at=now,
                )
            )
            versions.append(
                dict(
                    id=new_id(),
                    entry_id=eid,
                    version_no=1,
                    status="published",
                    question=question,
                    answer=answer,
                    keywords=keywords,
                    item_codes=[],
                    author="bench",
                    reviewer="bench",
                    created_at=now,
                    published_at=now,
                )
            )
            terms += [
                dict(entry_id=eid, term=t, weight=w)
                for t, w in index_terms(question, answer, keywords).items()
            ]
        async with db.transaction() as session:
            await session.execute(insert(KbEntry), entries)
            await session.execute(insert(KbVersion), versions)
            await session.execute(insert(KbTerm), terms)
    async with db.transaction() as session:
        await session.execute(text("ANALYZE"))
    return time.perf_counter() - t0


async def bench_kb(url: str, n: int, rounds: int) -> None:
    """Part kb."""
    await migrate(SERVICE_DIR, url)
    db = Database(url)
    try:
        warm_up()
        took = await load_kb(db, n)
        async with db.transaction(write=False) as session:
            terms = (await session.execute(text("SELECT count(*) FROM kb_terms"))).scalar_one()
        print(f"kb: {n} entries, {terms} index terms, loaded in {took:.1f} s")
        times: list[float] = []
        found = 0
        for r in range(rounds + 1):
            for q in QUERIES:
                async with db.transaction(write=False) as session:
                    t0 = time.perf_counter()
                    hits, _ = await search(session, q, PageParams(limit=10))
                    dt = (time.perf_counter() - t0) * 1000
                if r == 0:
                    found += bool(hits)
                    continue  # warm-up round
                times.append(dt)
        print(
            f"kb search ({len(QUERIES)} queries × {rounds} rounds): "
            f"median {statistics.median(times):.1f} ms, p95 {pct(times, 95):.1f} ms, "
            f"max {max(times):.1f} ms; {found}/{len(QUERIES)} queries found entries"
        )
    finally:
        await db.dispose()


async def bench_tickets(total: int, levels: list[int], postgres: str | None) -> None:
    """Part tickets: POST /api/hotline/v1/tickets through the gateway."""
    import os
    import subprocess

    from devstack import SERVICES, Platform, free_port

    from yiwang_shared.testing import databases
    from yiwang_shared.testing.nats import NatsServer

    urls: dict[str, str] = {}
    if postgres:
        os.environ[databases.TEST_POSTGRES_URL_ENV] = postgres
        for svc in SERVICES:
            urls[svc.name] = await databases.create_postgres_database(f"bench_{svc.name}")
    nats_server = NatsServer()
    nats_server.start()
    var_dir = Path(tempfile.mkdtemp(prefix="bench-hotline-"))
    plat = Platform(
        var_dir=var_dir,
        nats_url=nats_server.url,
        gateway_port=free_port(),
        ports={svc.name: free_port() for svc in SERVICES},
        database_urls=urls,
        extra_env={
            "GATEWAY_RATE_LIMIT_PER_SECOND": "100000",
            "GATEWAY_RATE_LIMIT_BURST": "100000",
            "HOTLINE_LOG_LEVEL": "WARNING",
        },
    )
    try:
        plat.load_demo()
        hotline = next(s for s in SERVICES if s.name == "hotline")
        subprocess.run(
            [sys.executable, "-m", "hotline.demo", "--database-url", plat.database_url(hotline)],
            cwd=REPO,
            check=True,
            capture_output=True,
        )
        plat.start()
        limits = httpx.Limits(max_connections=max(levels) + 4, max_keepalive_connections=max(levels) + 4)
        async with httpx.AsyncClient(base_url=plat.gateway_url, timeout=30, limits=limits) as gw:
            login = await gw.post(
                "/api/identity/v1/auth/login", json={"username": "agent", "password": "Demo#2026"}
            )
            headers = {"Authorization": "Bearer " + login.json()["access_token"]}
            body = {
                "request_type": "complaint",
                "channel": "phone",
                "category_code": "roads",
                "title": "井盖缺失",
                "description": "路口井盖缺失，存在安全隐患。",
                "caller_phone": "13812345678",
                "address": "朝阳区某路口",
            }
            for level in levels:
                latencies: list[float] = []
                outcome = await _fire(gw, headers, body, total, level, latencies)
                wall, errors = outcome
                print(
                    f"tickets through the gateway, concurrency {level}: {total / wall:.0f} tickets/s, "
                    f"median {statistics.median(latencies):.1f} ms, p95 {pct(latencies, 95):.1f} ms, "
                    f"errors {errors}"
                )
    finally:
        plat.stop()
        nats_server.cleanup()
        for url in urls.values():
            await databases.drop_postgres_database(url)


async def _fire(
    gw: httpx.AsyncClient,
    headers: dict[str, str],
    body: dict[str, object],
    total: int,
    level: int,
    latencies: list[float],
) -> tuple[float, int]:
    """POST `total` tickets with `level` concurrent workers; (wall seconds, errors)."""
    queue = iter(range(total))
    errors = 0

    async def worker() -> None:
        nonlocal errors
        for _ in queue:
            t0 = time.perf_counter()
            resp = await gw.post("/api/hotline/v1/tickets", json=body, headers=headers)
            latencies.append((time.perf_counter() - t0) * 1000)
            errors += resp.status_code != 201

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(level)))
    return time.perf_counter() - t0, errors


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--part", choices=["kb", "tickets", "all"], default="all")
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--postgres", default=None, help="server URL: run on fresh databases there")
    parser.add_argument("--tickets", type=int, default=300, help="tickets per concurrency level")
    parser.add_argument("--concurrency", default="1,8,32")
    args = parser.parse_args()
    if args.part in ("kb", "all"):
        if args.postgres:
            import os

            from yiwang_shared.testing import databases

            os.environ[databases.TEST_POSTGRES_URL_ENV] = args.postgres
            url = asyncio.run(databases.create_postgres_database("bench_hotline"))
            try:
                asyncio.run(bench_kb(url, args.entries, args.rounds))
            finally:
                asyncio.run(databases.drop_postgres_database(url))
        else:
            with tempfile.TemporaryDirectory() as tmp:
                asyncio.run(
                    bench_kb(f"sqlite+aiosqlite:///{tmp}/hotline-bench.db", args.entries, args.rounds)
                )
    if args.part in ("tickets", "all"):
        levels = [int(c) for c in args.concurrency.split(",")]
        asyncio.run(bench_tickets(args.tickets, levels, args.postgres))


if __name__ == "__main__":
    main()
