"""Alembic plumbing shared by every service: one env.py body and a programmatic upgrade.

Each service keeps its own migrations folder and metadata; this module only runs them. The same
migrations run on SQLite (batch mode for ALTERs) and PostgreSQL (under an advisory lock, so several
replicas starting at once migrate one after the other).
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from .db import is_sqlite


def alembic_config(service_dir: Path, url: str) -> Config:
    """An Alembic config for the service in `service_dir` against `url`."""
    cfg = Config(str(service_dir / "alembic.ini"))
    cfg.set_main_option("script_location", str(service_dir / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade_to_head(service_dir: Path, url: str) -> None:
    """Run the service's migrations up to head (blocking)."""
    command.upgrade(alembic_config(service_dir, url), "head")


async def migrate(service_dir: Path, url: str) -> None:
    """Run the service's migrations up to head without blocking the event loop."""
    await asyncio.to_thread(upgrade_to_head, service_dir, url)


def _lock_key(name: str) -> int:
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


def run_env(
    target_metadata: MetaData | Sequence[MetaData], default_url: Callable[[], str], *, name: str
) -> None:
    """The body of every service's `migrations/env.py`."""
    config = context.config
    url = config.get_main_option("sqlalchemy.url") or default_url()
    sqlite = is_sqlite(url)

    def do_run(connection: Connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=sqlite,
            compare_type=True,
        )
        if not sqlite:
            # Session-level lock: survives the commit below, released explicitly after.
            connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _lock_key(name)})
            connection.commit()
        try:
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()
        finally:
            if not sqlite:
                connection.rollback()
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _lock_key(name)})
                connection.commit()

    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return

    async def run_async() -> None:
        engine = create_async_engine(url, poolclass=pool.NullPool)
        async with engine.connect() as connection:
            await connection.run_sync(do_run)
        await engine.dispose()

    asyncio.run(run_async())
