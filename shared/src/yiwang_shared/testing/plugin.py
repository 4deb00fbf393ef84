"""pytest plugin (registered by yiwang-shared): real NATS and databases for every service's tests.

Fixtures:
- `nats_server` (session): a real nats-server with JetStream on a free port; `.restart()`, `.kill()`.
- `db_backend` (session, parametrised): "sqlite", and "postgres" when TEST_POSTGRES_URL is set.
- `database_url` (function): a fresh database URL on that backend; dropped afterwards. In a
  service's own tests (pytest's rootdir holds the service's alembic.ini) it is a copy of a database
  migrated to head, its working-day calendar seeded, once per session — as the app's first start
  leaves it — so the app's start-up migration and seeding find nothing to do; tests in
  `test_migrations.py` files, or marked `empty_database`, get an empty one. A PostgreSQL test
  database is dropped on a thread of its own while the next tests run (a DROP DATABASE waits for a
  checkpoint: half a second a test otherwise); the session waits for the last drop at its end.
"""

from __future__ import annotations

import asyncio
import queue
import shutil
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from ..calendar import seed_calendar
from ..db import Database
from ..migrations import upgrade_to_head
from .databases import (
    create_postgres_database,
    drop_postgres_database,
    postgres_base_url,
    sqlite_url,
)
from .nats import NatsServer


def _backends() -> list[str]:
    return ["sqlite", "postgres"] if postgres_base_url() else ["sqlite"]


@pytest.fixture(scope="session")
def nats_server() -> Iterator[NatsServer]:
    """A real nats-server with JetStream for this test session."""
    server = NatsServer()
    server.start()
    yield server
    server.cleanup()


@pytest.fixture(scope="session", params=_backends())
def db_backend(request: pytest.FixtureRequest) -> str:
    """Each database backend under test."""
    return str(request.param)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "empty_database: database_url is empty, not migrated")


def _service_dir(config: pytest.Config) -> Path | None:
    root = Path(config.rootpath)
    return root if (root / "alembic.ini").is_file() and (root / "migrations").is_dir() else None


class _Templates:
    """Databases migrated to head and with the working-day calendar seeded once per session and
    backend, copied for each test: a copy costs a file copy (SQLite) or CREATE DATABASE … TEMPLATE
    (PostgreSQL) instead of running every migration again at each test's start, and the app's
    start-up seeding reads the calendar instead of writing its 500-odd days (a quarter of a
    second's CPU a test)."""

    def __init__(self, service_dir: Path, directory: Path) -> None:
        self.service_dir = service_dir
        self.directory = directory
        self.urls: dict[str, str] = {}

    async def url(self, backend: str) -> str:
        """The backend's template, made on first use."""
        if backend not in self.urls:
            if backend == "sqlite":
                url = sqlite_url(self.directory, "template")
            else:
                url = await create_postgres_database("yiwang_template")
            # A thread of its own: Alembic's env.py runs its own event loop.
            await asyncio.to_thread(upgrade_to_head, self.service_dir, url)
            db = Database(url)
            try:
                async with db.transaction() as session:
                    await seed_calendar(session)
            finally:
                await db.dispose()
            self.urls[backend] = url
        return self.urls[backend]


@pytest.fixture(scope="session")
def _database_templates(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[_Templates | None]:
    service_dir = _service_dir(request.config)
    if service_dir is None:
        yield None
        return
    templates = _Templates(service_dir, tmp_path_factory.mktemp("templates"))
    yield templates
    if "postgres" in templates.urls:
        asyncio.run(drop_postgres_database(templates.urls["postgres"]))


class _Dropper:
    """Drops the tests' PostgreSQL databases on threads of their own, so a test's teardown does not
    wait for DROP DATABASE's checkpoint. Several at once: concurrent drops share checkpoints
    (12 drops took 1.4 s each one after another, 0.4 s each four at a time)."""

    THREADS = 4

    def __init__(self) -> None:
        self.urls: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self.failures: list[str] = []
        self.threads: list[threading.Thread] = []

    def drop(self, url: str) -> None:
        """Drop `url` soon (its connections are closed by then: WITH (FORCE) ends any left)."""
        if not self.threads:
            self.threads = [
                threading.Thread(target=self._run, name=f"drop-test-databases-{i}", daemon=True)
                for i in range(self.THREADS)
            ]
            for thread in self.threads:
                thread.start()
        self.urls.put(url)

    def _run(self) -> None:
        while (url := self.urls.get()) is not None:
            try:
                asyncio.run(drop_postgres_database(url))
            except Exception as exc:  # reported when the session ends
                self.failures.append(f"{url.rsplit('/', 1)[-1]}: {exc!r}")

    def close(self) -> None:
        """Wait for every drop asked for; fail if one failed."""
        for _ in self.threads:
            self.urls.put(None)
        for thread in self.threads:
            thread.join()
        self.threads = []
        assert not self.failures, "test databases not dropped: " + "; ".join(self.failures)


@pytest.fixture(scope="session")
def _database_dropper() -> Iterator[_Dropper]:
    dropper = _Dropper()
    yield dropper
    dropper.close()


@pytest.fixture
async def database_url(
    request: pytest.FixtureRequest,
    db_backend: str,
    tmp_path: Path,
    _database_templates: _Templates | None,
    _database_dropper: _Dropper,
) -> AsyncIterator[str]:
    """A fresh database on the backend under test: migrated to head in a service's own tests
    (except in test_migrations.py or under @pytest.mark.empty_database), else empty."""
    empty = (
        _database_templates is None
        or request.node.get_closest_marker("empty_database") is not None
        or request.path.name == "test_migrations.py"
    )
    template = None if empty else await _database_templates.url(db_backend)  # type: ignore[union-attr]
    if db_backend == "sqlite":
        url = sqlite_url(tmp_path)
        if template is not None:
            shutil.copyfile(template.split("///", 1)[1], url.split("///", 1)[1])
        yield url
        return
    url = await create_postgres_database(template=template)
    try:
        yield url
    finally:
        _database_dropper.drop(url)
