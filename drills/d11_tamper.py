"""Drill 11 — tamper: change, then delete, each entry of an application's hash-chained trace in
intake's database in turn; the verification endpoint must report the chain broken and name that
entry. Every row is restored afterwards and the chain must verify again."""

from __future__ import annotations

import time
from typing import Any

import httpx

from .env import DrillEnv
from .result import DrillResult
from .security_support import Logins, create_application, db_rows, gateway_client

NUMBER = 11
NAME = "tamper"


async def _verify(client: httpx.AsyncClient, app_id: str, headers: dict[str, str]) -> dict[str, Any]:
    resp = await client.get(f"/api/intake/v1/applications/{app_id}/trace/verify", headers=headers)
    if resp.status_code != 200:
        raise RuntimeError(f"trace/verify answered {resp.status_code}: {resp.text[:200]}")
    return dict(resp.json())


async def run(env: DrillEnv) -> DrillResult:
    """Tamper with every entry (change, delete), check the verdict, restore."""
    start = time.monotonic()
    failures: list[str] = []
    tried = 0
    async with gateway_client(env) as client:
        logins = Logins(client)
        app = await create_application(client, logins)
        app_id = app["id"]
        owner = await logins.headers("citizen")
        before = await _verify(client, app_id, owner)
        if not before["valid"]:
            failures.append(f"fresh chain does not verify: {before}")
        rows = await _trace_rows(env, app_id)
        for row in rows:
            seq, action = row.seq, row.action
            # 1. Change one entry's content.
            tried += 1
            await db_rows(
                env,
                "intake",
                "UPDATE trace_entries SET action = :x WHERE id = :id",
                {"x": action + "~", "id": row.id},
            )
            try:
                verdict = await _verify(client, app_id, owner)
            finally:
                await db_rows(
                    env,
                    "intake",
                    "UPDATE trace_entries SET action = :x WHERE id = :id",
                    {"x": action, "id": row.id},
                )
            if verdict["valid"] or verdict["first_broken_seq"] != seq:
                failures.append(f"changed entry {seq}: {verdict}")
            # 2. Delete one entry.
            tried += 1
            await db_rows(env, "intake", "DELETE FROM trace_entries WHERE id = :id", {"id": row.id})
            try:
                verdict = await _verify(client, app_id, owner)
            finally:
                await _restore(env, row)
            # The gap is named by the entry after it, or (for the newest) by the missing number.
            if verdict["valid"] or verdict["first_broken_seq"] not in (seq, seq + 1):
                failures.append(f"deleted entry {seq} of {len(rows)}: {verdict}")
        after = await _verify(client, app_id, owner)
        if not after["valid"] or after["entries"] != len(rows):
            failures.append(f"restored chain does not verify: {after}")
    for engine in _ENGINES.values():
        await engine.dispose()
    _ENGINES.clear()
    return DrillResult(
        NUMBER,
        NAME,
        env.backend,
        ok=not failures,
        figures={"cases tried": tried, "failed": len(failures), "entries": len(rows)},
        notes="; ".join(failures[:4]),
        seconds=time.monotonic() - start,
    )


async def _trace_rows(env: DrillEnv, app_id: str) -> list[Any]:
    """The application's trace rows, typed by the table as the database describes it."""
    from sqlalchemy import select

    async with _engine(env).begin() as conn:
        table = await _table(conn)
        result = await conn.execute(
            select(table).where(table.c.application_id == app_id).order_by(table.c.seq)
        )
        return list(result.fetchall())


async def _restore(env: DrillEnv, row: Any) -> None:
    """Put a deleted trace row back exactly as it was (same id and values)."""
    from sqlalchemy import insert

    async with _engine(env).begin() as conn:
        await conn.execute(insert(await _table(conn)).values(**dict(row._mapping)))


async def _table(conn: Any) -> Any:
    """intake's trace table, reflected from its database (drills never import a service)."""
    from sqlalchemy import MetaData, Table

    return await conn.run_sync(lambda sync: Table("trace_entries", MetaData(), autoload_with=sync))


_ENGINES: dict[str, Any] = {}


def _engine(env: DrillEnv) -> Any:
    from sqlalchemy.ext.asyncio import create_async_engine

    from .security_support import devstack

    svc = next(s for s in devstack.SERVICES if s.name == "intake")
    url = env.platform.database_url(svc)
    if url not in _ENGINES:
        _ENGINES[url] = create_async_engine(url)
    return _ENGINES[url]
