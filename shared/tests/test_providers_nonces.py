"""The database NonceStore: a nonce is refused the second time, from any store on the same
database (two replicas), and accepted again once expired; on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations

from yiwang_shared.db import Database
from yiwang_shared.providers import CallbackRejected, CallbackVerifier
from yiwang_shared.providers.nonces import DatabaseNonceStore, create_provider_nonces_v1
from yiwang_shared.providers.signing import signed_authorization


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    async with db.engine.begin() as conn:
        await conn.run_sync(lambda c: create_provider_nonces_v1(Operations(MigrationContext.configure(c))))
    try:
        yield db
    finally:
        await db.dispose()


async def test_a_nonce_is_refused_by_every_replica_until_it_expires(database: Database) -> None:
    first, second = DatabaseNonceStore(database), DatabaseNonceStore(database)
    later = time.time() + 600
    assert await first.remember("m1", "n" * 32, expires_at=later)
    assert not await second.remember("m1", "n" * 32, expires_at=later), "seen by the other replica"
    assert await second.remember("m2", "n" * 32, expires_at=later), "per merchant"
    assert await first.remember("m1", "e" * 32, expires_at=time.time() - 1)
    assert await second.remember("m1", "e" * 32, expires_at=later), "an expired nonce is swept"


async def test_the_verifier_refuses_a_replay_through_the_database(database: Database) -> None:
    def verifier() -> CallbackVerifier:
        return CallbackVerifier(merchant_id="m1", secret="s", nonce_store=DatabaseNonceStore(database))

    body = b'{"notify_id": "x"}'
    headers = {"Authorization": signed_authorization("m1", "s", "POST", "/notify", body)}
    await verifier().verify(method="POST", path="/notify", headers=headers, body=body)
    with pytest.raises(CallbackRejected) as replay:
        await verifier().verify(method="POST", path="/notify", headers=headers, body=body)
    assert replay.value.reason == "replayed_nonce"
