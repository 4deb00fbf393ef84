"""The migrations: one head, and they build exactly what the models describe (both backends)."""

import asyncio
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command
from sqlalchemy.ext.asyncio import create_async_engine

from identity.main import SERVICE_DIR
from identity.models import Base
from yiwang_shared.migrations import alembic_config, migrate
from yiwang_shared.testing.guards import downgrade_and_upgrade, migration_heads, migrations_match_models


def test_exactly_one_migration_head() -> None:
    heads = migration_heads(SERVICE_DIR)
    assert len(heads) == 1, f"identity-svc has {len(heads)} migration heads {heads}: merge them"


async def test_migrations_match_models(database_url: str) -> None:
    assert await migrations_match_models(SERVICE_DIR, database_url, [Base.metadata]) == []


async def test_downgrade_to_base_and_up_again(database_url: str) -> None:
    assert await downgrade_and_upgrade(SERVICE_DIR, database_url, [Base.metadata]) == []


async def test_accounts_made_before_walk_ins_keep_working(database_url: str) -> None:
    """identity_0003 on a database with accounts: their passwords stay, they are online
    registrations; and going back down keeps a walk-in's account with a hash nothing matches."""
    cfg = alembic_config(SERVICE_DIR, database_url)
    await asyncio.to_thread(command.upgrade, cfg, "identity_0002")
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                sa.text(
                    "INSERT INTO accounts (id, kind, name, loa, password_hash, status, failed_logins, "
                    "created_at, updated_at) VALUES ('p1', 'person', '王芳', 2, 'argon2-hash', 'active', 0, "
                    ":now, :now)"
                ),
                {"now": datetime.now(UTC)},
            )
            await conn.execute(
                sa.text(
                    "INSERT INTO persons (account_id, resident_id, phone) VALUES ('p1', :rid, '13810000003')"
                ),
                {"rid": "110105197809250261"},
            )
        await asyncio.to_thread(command.upgrade, cfg, "identity_0003")
        async with engine.begin() as conn:
            row = (
                await conn.execute(
                    sa.text(
                        "SELECT a.password_hash, p.registration_channel, p.registered_by_id, p.claimed_at "
                        "FROM accounts a JOIN persons p ON p.account_id = a.id WHERE a.id = 'p1'"
                    )
                )
            ).one()
            assert tuple(row) == ("argon2-hash", "online", None, None)
            await conn.execute(
                sa.text(
                    "INSERT INTO accounts (id, kind, name, loa, password_hash, status, failed_logins, "
                    "created_at, updated_at) "
                    "VALUES ('w1', 'person', '赵大爷', 4, NULL, 'active', 0, :now, :now)"
                ),
                {"now": datetime.now(UTC)},
            )
            await conn.execute(
                sa.text(
                    "INSERT INTO persons (account_id, resident_id, phone, registration_channel) "
                    "VALUES ('w1', '11010519491231002X', '13900001111', 'window')"
                )
            )
        await asyncio.to_thread(command.downgrade, cfg, "identity_0002")
        async with engine.begin() as conn:
            hashes = dict((await conn.execute(sa.text("SELECT id, password_hash FROM accounts"))).all())
        assert hashes == {"p1": "argon2-hash", "w1": "!"}
    finally:
        await engine.dispose()


async def test_enterprises_registered_before_claims_must_be_verified(database_url: str) -> None:
    """identity_0004 on a database with a self-registered enterprise: it becomes a pending claim
    (nobody checked it), its credit code no longer blocks other claimants, and only one verified
    enterprise per code is possible; going back down keeps one enterprise per code."""
    cfg = alembic_config(SERVICE_DIR, database_url)
    await asyncio.to_thread(command.upgrade, cfg, "identity_0003")
    engine = create_async_engine(database_url)
    now = {"now": datetime.now(UTC)}
    try:
        async with engine.begin() as conn:
            for pid, rid, phone in (
                ("p1", "110105197809250261", "13810000003"),
                ("p2", "11010519491231002X", "13900001111"),
            ):
                await conn.execute(
                    sa.text(
                        "INSERT INTO accounts (id, kind, name, loa, password_hash, status, failed_logins, "
                        "created_at, updated_at) "
                        "VALUES (:id, 'person', '王芳', 2, 'h', 'active', 4, :now, :now)"
                    ),
                    {"id": pid, **now},
                )
                await conn.execute(
                    sa.text(
                        "INSERT INTO persons (account_id, resident_id, phone) VALUES (:id, :rid, :phone)"
                    ),
                    {"id": pid, "rid": rid, "phone": phone},
                )
            await conn.execute(
                sa.text(
                    "INSERT INTO enterprises (id, name, uscc, legal_rep_id, loa, created_at, updated_at) "
                    "VALUES ('e1', '甲公司', '91110105MA01C7Q8XX', 'p1', 2, :now, :now)"
                ),
                now,
            )
        await migrate(SERVICE_DIR, database_url)
        insert_claim = sa.text(
            "INSERT INTO enterprises (id, name, uscc, legal_rep_id, loa, status, created_at, updated_at) "
            "VALUES (:id, '甲公司', '91110105MA01C7Q8XX', 'p2', 2, :status, :now, :now)"
        )
        async with engine.begin() as conn:
            status = (
                await conn.execute(sa.text("SELECT status FROM enterprises WHERE id = 'e1'"))
            ).scalar_one()
            assert status == "pending"
            columns = {
                c["name"] for c in await conn.run_sync(lambda c: sa.inspect(c).get_columns("accounts"))
            }
            assert not columns & {"failed_logins", "last_failed_at", "locked_until"}
            await conn.execute(insert_claim, {"id": "e2", "status": "pending", **now})  # a second claimant
            await conn.execute(sa.text("UPDATE enterprises SET status = 'verified' WHERE id = 'e2'"))
        try:
            async with engine.begin() as conn:
                await conn.execute(insert_claim, {"id": "e3", "status": "verified", **now})
        except sa.exc.IntegrityError:
            pass
        else:
            raise AssertionError("a second verified enterprise with one credit code was stored")
        await asyncio.to_thread(command.downgrade, cfg, "identity_0003")
        async with engine.begin() as conn:
            left = (await conn.execute(sa.text("SELECT id FROM enterprises"))).scalars().all()
        assert left == ["e2"]
    finally:
        await engine.dispose()
