"""Alembic plumbing shared by every service: one env.py body and a programmatic upgrade.

Each service keeps its own migrations folder and metadata; this module only runs them. The same
migrations run on SQLite (batch mode for ALTERs) and PostgreSQL (under an advisory lock, so several
replicas starting at once migrate one after the other).

A service's `migrations/` and `events/` live beside its `src/` in the checkout and are shipped
inside its package as `<package>/_service/migrations` and `<package>/_service/events` (setuptools
`package-dir` in its pyproject.toml), so an installed package (the images: no checkout, no editable
install) finds them with `importlib.resources`: `service_dir(package)`. The Alembic configuration is
built here, not read from `alembic.ini` (which stays in the checkout for the `alembic` CLI).

Outside a checkout: `python -m yiwang_shared.migrations <package> [upgrade|downgrade] [revision]`
(the Kubernetes init container), with the database URL from the service's own settings.
"""

from __future__ import annotations

import asyncio
import importlib.resources
import sys
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from .db import is_sqlite

#: New revision files' names (as the services' alembic.ini says; `%%` is ConfigParser's `%`).
FILE_TEMPLATE = "%%(year)d-%%(month).2d-%%(day).2d-%%(hour).2d%%(minute).2d_%%(slug)s"


def service_dir(package: str) -> Path:
    """The folder holding the service's `migrations/` and `events/`; `package` is its package name.

    Installed from a wheel (the images), it is the package resource `<package>/_service`, where
    the wheel ships both folders. With the package run from its checkout (`src/` on the path: the
    editable development install, the tests) it is `<svc>-svc/` itself, where they are edited.
    """
    root = Path(str(importlib.resources.files(package)))
    shipped, checkout = root / "_service", root.parent.parent
    if (shipped / "migrations" / "env.py").is_file():
        return shipped
    if root.parent.name == "src" and (checkout / "migrations" / "env.py").is_file():
        return checkout
    raise FileNotFoundError(f"{package}: no migrations in {shipped} nor in a checkout around {root}")


def _script_location(service_dir: Path) -> Path:
    """`service_dir` is a checkout's `<svc>-svc/` (with `migrations/`) or the migrations folder itself."""
    for candidate in (service_dir / "migrations", service_dir):
        if (candidate / "env.py").is_file():
            return candidate
    raise FileNotFoundError(f"no Alembic env.py in {service_dir} or {service_dir / 'migrations'}")


def alembic_config(service_dir: Path, url: str) -> Config:
    """An Alembic config for the service's migrations in `service_dir` against `url`.

    `service_dir` is what `service_dir(package)` answers (a checkout's `<svc>-svc/` or the
    installed package's `_service/`) or the migrations folder itself; no alembic.ini is read. An empty
    `url` lets the service's env.py take the URL from its settings.
    """
    cfg = Config()
    cfg.set_main_option("script_location", str(_script_location(service_dir)))
    cfg.set_main_option("file_template", FILE_TEMPLATE)
    cfg.set_main_option("path_separator", "os")
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


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m yiwang_shared.migrations <package> [upgrade|downgrade] [revision]`."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not 1 <= len(args) <= 3 or args[0].startswith("-"):
        print(main.__doc__, file=sys.stderr)
        return 2
    package, action, *rest = [*args, "upgrade"] if len(args) == 1 else args
    if action not in ("upgrade", "downgrade"):
        print(f"unknown action {action!r}: upgrade or downgrade", file=sys.stderr)
        return 2
    revision = rest[0] if rest else "head"
    cfg = alembic_config(service_dir(package), "")  # the URL from the service's settings
    (command.upgrade if action == "upgrade" else command.downgrade)(cfg, revision)
    return 0


if __name__ == "__main__":
    sys.exit(main())
