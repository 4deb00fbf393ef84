"""The migrations: one head, and they build exactly what the models describe (both backends)."""

from __future__ import annotations

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.command import downgrade
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import create_async_engine

from catalog.main import SERVICE_DIR
from catalog.models import Base
from yiwang_shared.migrations import alembic_config, migrate
from yiwang_shared.tables import infra_metadata


def _all_metadata() -> MetaData:
    combined = MetaData()
    for metadata in (Base.metadata, infra_metadata):
        for table in metadata.tables.values():
            table.to_metadata(combined)
    return combined


def test_exactly_one_migration_head() -> None:
    script = ScriptDirectory.from_config(alembic_config(SERVICE_DIR, "sqlite+aiosqlite://"))
    heads = script.get_heads()
    assert len(heads) == 1, f"catalog-svc has {len(heads)} migration heads {heads}: merge them"


async def _diff(url: str) -> list[object]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(
                lambda c: compare_metadata(
                    MigrationContext.configure(c, opts={"compare_type": True}), _all_metadata()
                )
            )
    finally:
        await engine.dispose()


async def test_migrations_match_models(database_url: str) -> None:
    await migrate(SERVICE_DIR, database_url)
    assert await _diff(database_url) == []


async def test_downgrade_to_base_and_up_again(database_url: str) -> None:
    await migrate(SERVICE_DIR, database_url)
    await asyncio.to_thread(downgrade, alembic_config(SERVICE_DIR, database_url), "base")
    await migrate(SERVICE_DIR, database_url)
    assert await _diff(database_url) == []
