"""Catalogue search benchmark: ranked Chinese search through catalog-svc vs a plain LIKE scan.

One run:
  1. generates 10,000 realistic implementation entries (corpus.py, seeded);
  2. creates an SQLite database in a temp dir, migrated with catalog-svc's real migrations, writes
     the items (basic entry, item row, published version) and indexes each with
     `catalog.services.search.reindex`, as publishing does;
  3. starts catalog-svc as a real process (`python -m catalog`, NATS off) on that database and
     times `GET /v1/items?q=…&limit=20` for ~50 realistic queries, repeated, over one keep-alive
     connection (falls back to calling `search()` in-process if the endpoint is missing);
  4. on the same database and in this process, times `catalog.services.search.search()` itself and a plain
     `WHERE name LIKE '%q%' OR elements LIKE '%q%'` scan (page of 20 + total);
  5. prints median / p95 / max per method, and stops the service.

`--postgres URL` repeats everything on a fresh database on that server (dropped afterwards).
`--items N`, `--rounds R`, `--json FILE`, `--keep` (keep the temp dir and service log).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, insert, literal_column, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

from corpus import QUERIES, generate  # noqa: E402

import catalog.services.search as search_module  # noqa: E402
from catalog.main import SERVICE_DIR  # noqa: E402
from catalog.models import BasicItem, Item, ItemVersion, SearchTerm, utcnow  # noqa: E402
from catalog.schemas.elements import ItemElements  # noqa: E402
from catalog.services.search import SearchFilters, reindex, search  # noqa: E402
from catalog.services.search_index import MemoryIndex, current_index  # noqa: E402
from catalog.services.search_text import warm_up  # noqa: E402
from yiwang_shared.db import Database  # noqa: E402
from yiwang_shared.migrations import upgrade_to_head  # noqa: E402

ITEMS, VERSIONS, BASICS, TERMS = (
    Item.__table__,
    ItemVersion.__table__,
    BasicItem.__table__,
    SearchTerm.__table__,
)
PAGE = 20

#: The index's memory before issue 19's change (postings in a dict per term, a tuple of
#: (term, rows) pairs per item), 10,000 entries, measured by this script on the code of
#: 2026-12-03 (ADR 0003, "Memory"; catalog-svc on an empty catalogue: 181 MB): printed beside
#: this run's figures.
BEFORE_ISSUE_19: dict[str, dict[str, float]] = {
    "sqlite": {
        "index_mb": 62.2,
        "index_peak_mb": 74.0,
        "index_rss_mb": 80.6,
        "index_rss_peak_mb": 80.6,
        "service_rss_ready_mb": 261.1,
        "service_rss_after_mb": 264.9,
    },
    "postgres": {
        "index_mb": 68.3,
        "index_peak_mb": 76.0,
        "index_rss_mb": 83.0,
        "index_rss_peak_mb": 83.0,
        "service_rss_ready_mb": 263.7,
        "service_rss_after_mb": 264.9,
    },
}
BEFORE_ITEMS = 10_000


def rss_mb(pid: int | str = "self", key: str = "VmRSS") -> float:
    """A process's resident set (VmRSS, MB; or its high-water mark VmHWM) from /proc; NaN where
    there is no /proc."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(f"{key}:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ------------------------------------------------------------------------------------------ load


async def load(db: Database, docs: list[dict[str, Any]]) -> dict[str, float]:
    """Write and index every entry; returns timings."""
    t0 = time.perf_counter()
    elements = [ItemElements.model_validate(d) for d in docs]
    t_validate = time.perf_counter() - t0
    now = utcnow()
    t1 = time.perf_counter()
    batch = 1000
    index_time = 0.0
    for start in range(0, len(elements), batch):
        chunk = elements[start : start + batch]
        ids = [str(uuid.uuid4()) for _ in chunk]
        basics = [str(uuid.uuid4()) for _ in chunk]
        async with db.transaction() as s:
            await s.execute(
                insert(BASICS),
                [
                    {"id": b, "basic_code": f"B{start + i:06d}", "name": e.name, "item_type": e.item_type}
                    for i, (b, e) in enumerate(zip(basics, chunk, strict=True))
                ],
            )
            await s.execute(
                insert(ITEMS),
                [
                    {
                        "id": item_id,
                        "code": f"110101-{start + i:06d}",
                        "basic_item_id": b,
                        "owner_unit_code": e.implementing_unit.code,
                        "owner_unit_name": e.implementing_unit.name,
                        "level": e.level,
                        "status": "published",
                        "current_version_no": 1,
                        "name": e.name,
                        "item_type": e.item_type,
                        "online_depth": e.online_depth,
                        "visits": e.visits,
                        "service_objects_tags": "|" + "|".join(e.service_objects) + "|",
                        "themes_tags": "|" + "|".join(e.themes) + "|",
                        "community_kind": e.community_kind,
                        "published_at": now,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i, (item_id, b, e) in enumerate(zip(ids, basics, chunk, strict=True))
                ],
            )
            await s.execute(
                insert(VERSIONS),
                [
                    {
                        "id": str(uuid.uuid4()),
                        "item_id": item_id,
                        "version_no": 1,
                        "status": "published",
                        "elements": e.model_dump(mode="json"),
                        "created_at": now,
                        "updated_at": now,
                        "published_at": now,
                    }
                    for item_id, e in zip(ids, chunk, strict=True)
                ],
            )
            ti = time.perf_counter()
            for item_id, e in zip(ids, chunk, strict=True):
                await reindex(s, item_id, e)
            index_time += time.perf_counter() - ti
    t_load = time.perf_counter() - t1
    async with db.transaction(write=False) as s:
        n_terms = (await s.execute(select(func.count()).select_from(TERMS))).scalar_one()
    if db.sqlite:
        async with db.engine.connect() as conn:
            await conn.execute(text("ANALYZE"))
            await conn.commit()
    else:
        async with db.engine.connect() as conn:
            await conn.execute(text("ANALYZE"))
            await conn.commit()
    return {
        "validate_s": t_validate,
        "load_s": t_load,
        "reindex_s": index_time,
        "reindex_ms_per_item": 1000 * index_time / len(elements),
        "terms_rows": float(n_terms),
    }


# ------------------------------------------------------------------------------------- methods


def _json_fragment(q: str) -> str:
    """`q` as it appears inside the stored JSON text (SQLAlchemy's json.dumps escapes non-ASCII)."""
    return json.dumps(q)[1:-1]


async def like_scan(session: AsyncSession, q: str) -> tuple[list[str], int]:
    """The naive baseline: every published item's name and elements scanned with LIKE."""
    pattern = f"%{q}%"
    stmt = (
        select(ITEMS.c.id, func.count().over().label("total"))
        .select_from(
            ITEMS.join(
                VERSIONS,
                (VERSIONS.c.item_id == ITEMS.c.id) & (VERSIONS.c.version_no == ITEMS.c.current_version_no),
            )
        )
        .where(
            ITEMS.c.status == "published",
            or_(
                ITEMS.c.name.like(pattern),
                literal_column("CAST(item_versions.elements AS TEXT)").like(f"%{_json_fragment(q)}%"),
            ),
        )
        .order_by(ITEMS.c.code)
        .limit(PAGE)
    )
    rows = (await session.execute(stmt)).all()
    return [r.id for r in rows], (int(rows[0].total) if rows else 0)


async def time_calls(
    call: Callable[[str], Awaitable[int]], queries: list[str], rounds: int
) -> tuple[list[float], dict[str, int], dict[str, float]]:
    """Latencies (ms) of `call(q)` for every query, `rounds` times, after one warm-up round;
    also the hit counts and each query's median."""
    totals = {}
    for q in queries:  # warm-up (and the hit counts)
        totals[q] = await call(q)
    samples: list[float] = []
    per_query: dict[str, list[float]] = {q: [] for q in queries}
    for _ in range(rounds):
        for q in queries:
            t = time.perf_counter()
            await call(q)
            ms = (time.perf_counter() - t) * 1000
            samples.append(ms)
            per_query[q].append(ms)
    return samples, totals, {q: statistics.median(v) for q, v in per_query.items()}


def summary(samples: list[float]) -> dict[str, float]:
    s = sorted(samples)
    return {
        "n": len(s),
        "median_ms": statistics.median(s),
        "p95_ms": s[min(len(s) - 1, round(0.95 * len(s)) - 1)],
        "max_ms": s[-1],
    }


# ------------------------------------------------------------------------------------- service


class Service:
    """catalog-svc as a child process in its own process group; always stopped."""

    def __init__(self, url: str, log: Path) -> None:
        self.port = free_port()
        self.log = log
        env = dict(os.environ)
        env.update(
            CATALOG_DATABASE_URL=url,
            CATALOG_NATS_ENABLED="false",
            CATALOG_PORT=str(self.port),
            CATALOG_MIGRATE_ON_START="true",
            CATALOG_LOG_LEVEL="WARNING",
        )
        with open(log, "wb") as fh:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "catalog"],
                stdout=fh,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=str(REPO),
                start_new_session=True,
            )
        self.base = f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float = 30) -> float:
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            if self.proc.poll() is not None:
                raise SystemExit(f"catalog-svc exited:\n{self.log.read_text(errors='replace')[-3000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.base}/readyz", timeout=1).status_code == 200:
                    return time.monotonic() - t0
            time.sleep(0.1)
        raise SystemExit(
            f"catalog-svc not ready in {timeout}s:\n{self.log.read_text(errors='replace')[-3000:]}"
        )

    def stop(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)


# ---------------------------------------------------------------------------------------- memory


async def measure_index(db: Database, url: str, result: dict[str, Any]) -> MemoryIndex | None:
    """Load this process's index (time), a second copy under tracemalloc (what the index holds,
    and the peak while loading; tracemalloc slows loading several times), and the resident set
    it adds to a fresh process (`index_rss`: this process's heap has the load's leftovers).
    Figures go into `result`."""
    t = time.perf_counter()
    async with db.transaction(write=False) as s:
        index = await current_index(s)
    result["index_load_s"] = time.perf_counter() - t
    tracemalloc.start()
    async with db.transaction(write=False) as s:
        copy = MemoryIndex()
        await copy.refresh(s)
        current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del copy
    result["index_mb"], result["index_peak_mb"] = current / 1e6, peak / 1e6
    result["index_terms"] = len(index.rows) if index else 0
    result["index_postings"] = (
        sum(len(p) for table in (index.words, index.bigrams) for p in table.values()) if index else 0
    )
    child = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, __file__, "--index-rss", url],
        capture_output=True,
        text=True,
        cwd=str(REPO),
    )
    figures = json.loads(child.stdout.strip().splitlines()[-1]) if child.returncode == 0 else {}
    result["index_rss_mb"] = figures.get("index_rss_mb", float("nan"))
    result["index_rss_peak_mb"] = figures.get("index_rss_peak_mb", float("nan"))
    return index


async def index_rss(url: str) -> dict[str, float]:
    """In a fresh process: the resident set (VmRSS) before and after loading the index, once the
    segmenter and the database connection are up; and the high-water mark (VmHWM) above it."""
    warm_up()
    db = Database(url)
    try:
        async with db.transaction(write=False) as s:
            await s.execute(text("SELECT 1"))
        gc.collect()
        before = rss_mb()
        async with db.transaction(write=False) as s:
            await current_index(s)
        gc.collect()
        return {"index_rss_mb": rss_mb() - before, "index_rss_peak_mb": rss_mb(key="VmHWM") - before}
    finally:
        await db.dispose()


def print_memory(label: str, result: dict[str, Any], items: int) -> None:
    """The index's memory beside the figures before issue 19 (for the same number of items)."""
    before = BEFORE_ISSUE_19.get(label, {}) if items == BEFORE_ITEMS else {}

    def was(key: str) -> str:
        value = before.get(key, float("nan"))
        return "" if value != value else f" (before issue 19: {value:.1f})"

    print(
        f"   in-process index: full load {result['index_load_s']:.1f} s, {result['index_terms']:,} terms, "
        f"{result['index_postings']:,} postings\n"
        f"   index memory, tracemalloc MB: held {result['index_mb']:.1f}{was('index_mb')}, "
        f"peak while loading {result['index_peak_mb']:.1f}{was('index_peak_mb')}\n"
        f"   index memory, RSS of a fresh process MB: +{result['index_rss_mb']:.1f}{was('index_rss_mb')}, "
        f"high-water mark +{result['index_rss_peak_mb']:.1f}{was('index_rss_peak_mb')}\n"
        f"   catalog-svc RSS MB: after start-up (index loaded) "
        f"{result.get('service_rss_ready_mb', float('nan')):.1f}{was('service_rss_ready_mb')}, "
        f"after the HTTP queries {result.get('service_rss_after_mb', float('nan')):.1f}"
        f"{was('service_rss_after_mb')}; on an empty catalogue {result['service_rss_idle_mb']:.1f}",
        flush=True,
    )


async def idle_service_rss(tmp: Path) -> float:
    """catalog-svc's resident set on an empty catalogue (no index to speak of): the baseline."""
    url = f"sqlite+aiosqlite:///{tmp / 'empty.db'}"
    await asyncio.to_thread(upgrade_to_head, SERVICE_DIR, url)
    service = Service(url, tmp / "catalog-empty.log")
    try:
        service.wait_ready()
        await asyncio.sleep(0.5)
        return rss_mb(service.proc.pid)
    finally:
        service.stop()


# ------------------------------------------------------------------------------------------ run


async def bench_backend(
    label: str, url: str, docs: list[dict[str, Any]], args: argparse.Namespace, tmp: Path
) -> dict[str, Any]:
    print(f"\n== {label}: migrating and loading {len(docs):,} entries …", flush=True)
    await asyncio.to_thread(upgrade_to_head, SERVICE_DIR, url)
    db = Database(url)
    result: dict[str, Any] = {"backend": label}
    try:
        result["load"] = await load(db, docs)
        ld = result["load"]
        print(
            f"   loaded in {ld['load_s']:.1f} s (reindex {ld['reindex_ms_per_item']:.2f} ms/item, "
            f"{int(ld['terms_rows']):,} search_terms rows)",
            flush=True,
        )
        queries = QUERIES[: args.queries]
        methods: dict[str, tuple[list[float], dict[str, int], dict[str, float]]] = {}

        # Through the service.
        service = Service(url, tmp / f"catalog-{label}.log")
        try:
            ready_s = service.wait_ready()
            result["service_ready_s"] = ready_s
            # Start-up has loaded the service's index (load_index): its resident set now.
            result["service_rss_ready_mb"] = rss_mb(service.proc.pid)
            async with httpx.AsyncClient(base_url=service.base, timeout=10) as client:
                t = time.perf_counter()
                # The first search also loads the service's in-process index (unless start-up did).
                probe = await client.get("/v1/items", params={"q": "低保", "limit": PAGE}, timeout=120)
                result["first_query_ms"] = (time.perf_counter() - t) * 1000
                if probe.status_code == 200 and probe.json().get("items") is not None:

                    async def via_http(q: str) -> int:
                        r = await client.get("/v1/items", params={"q": q, "limit": PAGE})
                        r.raise_for_status()
                        return int(r.json()["total"])

                    methods["search, HTTP GET /v1/items?q= (service)"] = await time_calls(
                        via_http, queries, args.rounds
                    )
                else:
                    print(f"   endpoint not usable ({probe.status_code}); in-process only", flush=True)
            result["service_rss_after_mb"] = rss_mb(service.proc.pid)
        finally:
            service.stop()

        # In-process, same database: first the process's index (catalog.services.search_index) alone.
        warm_up()
        index = await measure_index(db, url, result)
        result["service_rss_idle_mb"] = getattr(args, "idle_rss_mb", float("nan"))
        print_memory(label, result, len(docs))
        del index

        async def in_process(q: str) -> int:
            async with db.transaction(write=False) as s:
                _, total = await search(s, q, SearchFilters(), PAGE, 0)
            return total

        async def in_sql(q: str) -> int:
            search_module.IN_MEMORY = False
            try:
                return await in_process(q)
            finally:
                search_module.IN_MEMORY = True

        async def like(q: str) -> int:
            async with db.transaction(write=False) as s:
                _, total = await like_scan(s, q)
            return total

        methods["search() in-process"] = await time_calls(in_process, queries, args.rounds)
        methods["search() in-process, SQL engine"] = await time_calls(in_sql, queries, args.rounds)
        methods["LIKE '%q%' scan in-process"] = await time_calls(like, queries, args.rounds)
        result["methods"] = {name: summary(samples) for name, (samples, _, _) in methods.items()}
        result["hits"] = {name: totals for name, (_, totals, _) in methods.items()}
        result["query_median_ms"] = {name: medians for name, (_, _, medians) in methods.items()}
    finally:
        await db.dispose()
    return result


def print_table(results: list[dict[str, Any]], n_queries: int, rounds: int) -> None:
    print(f"\n{n_queries} queries × {rounds} rounds (after a warm-up round), page of {PAGE} + total\n")
    print(f"{'backend':<10} {'method':<44} {'n':>5} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
    print("-" * 90)
    for res in results:
        for name, m in res["methods"].items():
            print(
                f"{res['backend']:<10} {name:<44} {m['n']:>5} {m['median_ms']:>10.2f} "
                f"{m['p95_ms']:>8.2f} {m['max_ms']:>8.2f}"
            )
    print()
    for res in results:
        hits = res["hits"]
        ranked = hits.get("search() in-process", {})
        like = hits.get("LIKE '%q%' scan in-process", {})
        found_rank = sum(1 for v in ranked.values() if v)
        found_like = sum(1 for v in like.values() if v)
        print(
            f"{res['backend']}: queries with results — ranked search {found_rank}/{len(ranked)}, "
            f"LIKE {found_like}/{len(like)}; first query through the service "
            f"{res.get('first_query_ms', float('nan')):.0f} ms (jieba load); service ready in "
            f"{res.get('service_ready_s', float('nan')):.1f} s"
        )
        for name, medians in res.get("query_median_ms", {}).items():
            if "LIKE" in name:
                continue
            slow = sorted(medians.items(), key=lambda kv: -kv[1])[:5]
            listed = ", ".join(f"{q} {ms:.1f} ms ({ranked.get(q, 0):,} hits)" for q, ms in slow)
            print(f"   slowest medians, {name}: {listed}")


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--queries", type=int, default=len(QUERIES))
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--postgres", metavar="URL", help="also run on a fresh database on this server")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (database, service log)")
    parser.add_argument("--index-rss", metavar="URL", help=argparse.SUPPRESS)  # measure_index's child
    args = parser.parse_args()
    if args.index_rss:
        print(json.dumps(await index_rss(args.index_rss)))
        return

    started = time.perf_counter()
    t = time.perf_counter()
    warm_up()
    jieba_s = time.perf_counter() - t
    docs = generate(args.items, args.seed)
    print(f"jieba + domain dictionary loaded in {jieba_s:.2f} s; {len(docs):,} entries generated")
    tmp = Path(tempfile.mkdtemp(prefix="catalog-search-bench-"))
    results = []
    try:
        args.idle_rss_mb = await idle_service_rss(tmp)
        print(f"catalog-svc RSS on an empty catalogue (the baseline): {args.idle_rss_mb:.1f} MB", flush=True)
        sqlite = f"sqlite+aiosqlite:///{tmp / 'catalog.db'}"
        results.append(await bench_backend("sqlite", sqlite, docs, args, tmp))
        if args.postgres:
            results.append(await bench_postgres(args.postgres, docs, args, tmp))
    finally:
        if not args.keep:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"kept {tmp}")
    print_table(results, args.queries, args.rounds)
    print(f"\ntotal run time {time.perf_counter() - started:.0f} s")
    if args.json:
        args.json.write_text(
            json.dumps(
                {"jieba_load_s": jieba_s, "service_rss_idle_mb": args.idle_rss_mb, "results": results},
                ensure_ascii=False,
                indent=1,
            )
        )


async def bench_postgres(
    server: str, docs: list[dict[str, Any]], args: argparse.Namespace, tmp: Path
) -> dict[str, Any]:
    import asyncpg

    plain = server.replace("postgresql+asyncpg://", "postgresql://")
    name = f"catalog_search_bench_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(plain)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    url = plain.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1) + f"/{name}"
    try:
        return await bench_backend("postgres", url, docs, args, tmp)
    finally:
        conn = await asyncpg.connect(plain)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()


if __name__ == "__main__":
    asyncio.run(main())
