"""`YIWANG_COUNT_SQL=1` (bench/floor): every answer says how many SQL statements it sent; off by
default, and work outside a request is in the process total only."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sample_service.app import create_app

from yiwang_shared.db import COUNT_SQL_ENV, is_sqlite
from yiwang_shared.settings import ServiceSettings
from yiwang_shared.testing.app import running_app


def _settings(database_url: str) -> ServiceSettings:
    return ServiceSettings(service_name="sample", database_url=database_url, nats_enabled=False)


async def test_each_answer_counts_the_statements_of_its_request(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(COUNT_SQL_ENV, "1")
    app = create_app(_settings(database_url))
    # SQLite's transactions begin with a statement of their own (BEGIN IMMEDIATE / BEGIN).
    begin = 1 if is_sqlite(database_url) else 0
    async with running_app(app) as client:
        created = await client.post("/v1/notes", json={"text": "a"})
        assert created.status_code == 201, created.text
        # INSERT into notes, INSERT into the outbox
        assert created.headers["x-sql-statements"] == str(begin + 2)
        read = await client.get(f"/v1/notes/{created.json()['id']}")
        assert read.headers["x-sql-statements"] == str(begin + 1)
        health = await client.get("/healthz")
        assert health.headers["x-sql-statements"] == "0"
        before = int(health.headers["x-sql-statements-total"])
        # Work outside a request counts in the process total, never in a request's own count.
        async with app.state.db.transaction(write=False) as session:
            await session.execute(sa.text("SELECT 1"))
            await session.execute(sa.text("SELECT 2"))
        health = await client.get("/healthz")
        assert health.headers["x-sql-statements"] == "0"
        assert int(health.headers["x-sql-statements-total"]) >= before + 2 + begin


async def test_no_counting_by_default(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(COUNT_SQL_ENV, raising=False)
    async with running_app(create_app(_settings(database_url))) as client:
        created = await client.post("/v1/notes", json={"text": "a"})
        assert created.status_code == 201, created.text
        assert "x-sql-statements" not in created.headers
        assert "x-sql-statements-total" not in created.headers
