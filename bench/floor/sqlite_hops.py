"""SQLite statements through aiosqlite: SQLAlchemy's stock adapter beside yiwang's one-hop adapter
(`yiwang_shared.sqlite_driver`), CPU and wall time per transaction, side by side in one run.

    .venv/bin/python bench/floor/sqlite_hops.py [--n 1000] [--rounds 2]

Each transaction is what a write step does in small: BEGIN, a SELECT by key, an UPDATE, an INSERT
and a second SELECT by key, then COMMIT, on a WAL file like the services'. CPU is the whole
process's (aiosqlite's thread included), from `time.process_time()`.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from yiwang_shared.sqlite_driver import one_hop_aiosqlite

meta = sa.MetaData()
rows = sa.Table("rows", meta, sa.Column("id", sa.Integer, primary_key=True), sa.Column("v", sa.String))


async def measure(kind: str, n: int) -> tuple[float, float]:
    """(CPU ms, wall ms) per transaction with the `kind` adapter ("stock" or "one-hop")."""
    folder = tempfile.mkdtemp(prefix="sqlite-hops-")
    kwargs: dict[str, Any] = {"module": one_hop_aiosqlite()} if kind == "one-hop" else {}
    engine = create_async_engine(f"sqlite+aiosqlite:///{folder}/bench.db", **kwargs)
    async with engine.begin() as conn:
        await conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        await conn.run_sync(meta.create_all)
        await conn.execute(rows.insert(), [{"id": i, "v": f"v{i}"} for i in range(1, 1001)])
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    cpu = wall = 0.0
    for phase in ("warm-up", "measured"):
        cpu0, wall0 = time.process_time(), time.perf_counter()
        for i in range(n):
            key = i % 1000 + 1
            async with sessions() as session, session.begin():
                await session.execute(sa.select(rows.c.v).where(rows.c.id == key))
                await session.execute(rows.update().where(rows.c.id == key).values(v="x"))
                await session.execute(rows.insert().values(v="new"))
                await session.execute(sa.select(rows.c.v).where(rows.c.id == key + 1))
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        del phase
    await engine.dispose()
    return cpu / n * 1000, wall / n * 1000


async def main_async(n: int, rounds: int) -> None:
    print(f"{n} transactions per run (BEGIN, SELECT, UPDATE, INSERT, SELECT, COMMIT), runs interleaved\n")
    print("| adapter | run | CPU ms per transaction | wall ms per transaction |")
    print("| --- | --- | --- | --- |")
    for r in range(1, rounds + 1):
        for kind in ("stock", "one-hop"):
            cpu, wall = await measure(kind, n)
            print(f"| {kind} | {r} | {cpu:.3f} | {wall:.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=1000, help="transactions per run")
    parser.add_argument("--rounds", type=int, default=2, help="stock / one-hop pairs")
    args = parser.parse_args()
    asyncio.run(main_async(args.n, args.rounds))


if __name__ == "__main__":
    main()
