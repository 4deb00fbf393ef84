"""identity-svc's events reach a durable consumer exactly once, across a NATS crash."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from helpers import register
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.db import Database
from yiwang_shared.events.bus import EventBus
from yiwang_shared.events.consumer import Consumer, ConsumerRunner
from yiwang_shared.events.envelope import EventEnvelope
from yiwang_shared.tables import create_infra_tables_v1
from yiwang_shared.testing.nats import NatsServer


async def _consumer_db(path: Path) -> Database:
    db = Database(f"sqlite+aiosqlite:///{path}")

    def create(conn):  # type: ignore[no-untyped-def]
        create_infra_tables_v1(Operations(MigrationContext.configure(conn)))

    async with db.engine.begin() as conn:
        await conn.run_sync(create)
    return db


@pytest.fixture
async def registered_events(
    e2e_nats: NatsServer, tmp_path: Path
) -> AsyncIterator[tuple[Counter[str], list[EventEnvelope]]]:
    """A durable consumer of identity.user.registered.v1 with its own database."""
    calls: Counter[str] = Counter()
    seen: list[EventEnvelope] = []

    async def handle(_session: AsyncSession, event: EventEnvelope) -> None:
        calls[event.event_id] += 1
        seen.append(event)

    db = await _consumer_db(tmp_path / "consumer.db")
    bus = EventBus(e2e_nats.url, name="e2e-consumer")
    await bus.start()
    runner = ConsumerRunner(
        db,
        bus,
        [
            Consumer(
                name=f"e2e__identity_user_registered_{tmp_path.name[-12:]}".replace("-", "_"),
                stream="IDENTITY",
                subject="identity.user.registered.v1",
                handler=handle,
            )
        ],
        service="e2e",
    )
    await runner.start()
    yield calls, seen
    await runner.stop()
    await bus.close()
    await db.dispose()


async def _wait_until(predicate, timeout: float = 30) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.1)


async def test_user_registered_consumed_once_across_nats_crash(
    gw: httpx.AsyncClient,
    e2e_nats: NatsServer,
    registered_events: tuple[Counter[str], list[EventEnvelope]],
) -> None:
    calls, seen = registered_events
    first = await register(gw, "事件一")
    await _wait_until(lambda: any(e.data.get("account_id") == first["id"] for e in seen))

    e2e_nats.kill()  # kill -9: a crash, not a shutdown
    # identity keeps accepting registrations; their events wait in its outbox.
    during = [await register(gw, f"断线{i}") for i in range(3)]
    e2e_nats.start()
    after = await register(gw, "事件二")

    wanted = {first["id"], after["id"], *(p["id"] for p in during)}
    await _wait_until(lambda: wanted <= {e.data.get("account_id") for e in seen}, timeout=60)
    await asyncio.sleep(1.5)  # room for any duplicate to show up
    mine = [e for e in seen if e.data.get("account_id") in wanted]
    assert len(mine) == len(wanted), [e.data for e in mine]
    assert all(calls[e.event_id] == 1 for e in mine)
    for event in mine:
        assert event.type == "identity.user.registered" and event.version == 1
        assert event.producer == "identity"
        # No clear personal numbers in events.
        text = event.model_dump_json()
        assert all(p["resident_id"] not in text for p in [first, after, *during])
