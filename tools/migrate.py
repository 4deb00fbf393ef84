"""`make migrate`: run every service's Alembic migrations to head.

Each service's database comes from its own settings (`<SVC>_DATABASE_URL`, default an SQLite
file under var/). Services also migrate on start; this is for operators and CI.
"""

from __future__ import annotations

import importlib
import os
import sys

from devstack import SERVICES, ServiceDef

from yiwang_shared.migrations import upgrade_to_head


def database_url(svc: ServiceDef) -> str:
    """The URL the service itself would use."""
    settings_cls = importlib.import_module(f"{svc.package}.config").Settings
    return str(settings_cls().resolved_database_url())


def migrate_all(urls: dict[str, str] | None = None) -> None:
    """Migrate every service (to `urls[name]` when given)."""
    for svc in SERVICES:
        url = (urls or {}).get(svc.name) or database_url(svc)
        upgrade_to_head(svc.directory, url)
        shown = url.split("@")[-1] if "@" in url else url
        print(f"  migrated {svc.name:<11} {shown}")


if __name__ == "__main__":
    os.umask(0o077)  # SQLite files under var/ are the operator's alone (issue 15, point 3)
    try:
        migrate_all()
    except Exception as exc:  # show the operator one clear line, not a traceback
        print(f"migration failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        sys.exit(1)
