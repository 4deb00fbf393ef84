"""Guards every service's tests run on its own repository: migrations and event schemas.

- one Alembic head;
- the migrations build exactly what the models (plus the infrastructure tables) describe;
- down to base and up again leaves the same schema;
- the committed event JSON Schemas are the ones the payload models generate.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.command import downgrade
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import create_async_engine

from ..events.payloads import EventCatalog
from ..migrations import alembic_config, migrate
from ..tables import infra_metadata


def migration_heads(service_dir: Path) -> list[str]:
    """The Alembic heads of the service's migrations."""
    return list(ScriptDirectory.from_config(alembic_config(service_dir, "sqlite+aiosqlite://")).get_heads())


def _combined(metadata: Sequence[MetaData]) -> MetaData:
    combined = MetaData()
    for md in (*metadata, infra_metadata):
        for table in md.tables.values():
            table.to_metadata(combined)
    return combined


async def schema_diff(url: str, metadata: Sequence[MetaData]) -> list[object]:
    """What differs between the database at `url` and the models (empty when they match)."""
    target = _combined(metadata)
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(
                lambda c: compare_metadata(MigrationContext.configure(c, opts={"compare_type": True}), target)
            )
    finally:
        await engine.dispose()


async def migrations_match_models(service_dir: Path, url: str, metadata: Sequence[MetaData]) -> list[object]:
    """Migrate an empty database to head; the differences from the models."""
    await migrate(service_dir, url)
    return await schema_diff(url, metadata)


async def downgrade_and_upgrade(service_dir: Path, url: str, metadata: Sequence[MetaData]) -> list[object]:
    """Migrate, go down to base, come back up; the differences from the models."""
    await migrate(service_dir, url)
    await asyncio.to_thread(downgrade, alembic_config(service_dir, url), "base")
    await migrate(service_dir, url)
    return await schema_diff(url, metadata)


def stale_event_schemas(catalog: EventCatalog) -> list[str]:
    """Committed schema files that are missing, out of date, or for no payload (empty when current)."""
    problems = []
    for payload in catalog.events:
        path = catalog.schema_path(payload)
        if not path.exists():
            problems.append(f"missing {path.name}")
        elif path.read_text(encoding="utf-8") != catalog.render_schema(payload):
            problems.append(f"out of date {path.name}")
    expected = {catalog.schema_path(p).name for p in catalog.events}
    problems += [
        f"no payload for {p.name}" for p in catalog.schema_dir.glob("*.schema.json") if p.name not in expected
    ]
    return problems
