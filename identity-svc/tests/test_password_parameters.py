"""argon2id parameters (ADR 0009): the defaults are OWASP's m=19 MiB, t=2, p=1, and a hash made
with the earlier t=3, 64 MiB, 4 lanes still logs in and is re-hashed with the defaults then."""

from __future__ import annotations

from collections.abc import Callable

from argon2 import PasswordHasher
from sqlalchemy import select, update
from support import PASSWORD, login, register_person

from identity.config import Settings
from identity.main import create_app
from identity.models import Account
from identity.services.passwords import Passwords, Verification
from yiwang_shared.db import Database
from yiwang_shared.testing.app import running_app

#: What identity hashed with before ADR 0009 (RFC 9106's second recommended option).
OLD = {"time_cost": 3, "memory_cost_kib": 65536, "parallelism": 4}
ARGON2_FIELDS = ("argon2_time_cost", "argon2_memory_cost_kib", "argon2_parallelism")
#: The PHC prefix of a hash made with ADR 0009's parameters.
NEW_PREFIX = "$argon2id$v=19$m=19456,t=2,p=1$"


def production_costs() -> dict[str, int]:
    """The argon2 fields of Settings at their defaults (the suite otherwise lowers them)."""
    return {name: int(Settings.model_fields[name].default) for name in ARGON2_FIELDS}


def old_hash(password: str) -> str:
    return PasswordHasher(
        time_cost=OLD["time_cost"], memory_cost=OLD["memory_cost_kib"], parallelism=OLD["parallelism"]
    ).hash(password)


def test_defaults_are_the_adr_choice() -> None:
    assert production_costs() == {
        "argon2_time_cost": 2,
        "argon2_memory_cost_kib": 19456,
        "argon2_parallelism": 1,
    }


async def test_old_parameters_verify_and_ask_for_a_rehash() -> None:
    defaults = production_costs()
    passwords = Passwords(
        time_cost=defaults["argon2_time_cost"],
        memory_cost_kib=defaults["argon2_memory_cost_kib"],
        parallelism=defaults["argon2_parallelism"],
    )
    fresh = await passwords.hash(PASSWORD)
    assert fresh.startswith(NEW_PREFIX)
    assert await passwords.verify(fresh, PASSWORD) == Verification(ok=True, needs_rehash=False)
    stale = old_hash(PASSWORD)
    check = await passwords.verify(stale, PASSWORD)
    assert check.ok and check.needs_rehash
    assert not (await passwords.verify(stale, "wrong-pass-1")).ok


async def _stored_hash(db: Database, account_id: str) -> str | None:
    async with db.transaction(write=False) as session:
        return (
            await session.execute(select(Account.password_hash).where(Account.id == account_id))
        ).scalar_one()


async def test_login_rehashes_an_old_hash_with_the_defaults(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(**production_costs())
    async with running_app(create_app(settings)) as client:
        person = await register_person(client)
        assert person.phone
        db = Database(settings.resolved_database_url())
        try:
            first = await _stored_hash(db, person.id)
            assert first is not None and first.startswith(NEW_PREFIX)  # new accounts get the defaults
            stale = old_hash(PASSWORD)
            async with db.transaction() as session:
                await session.execute(
                    update(Account).where(Account.id == person.id).values(password_hash=stale)
                )

            # A wrong password changes nothing.
            wrong = await client.post(
                "/v1/auth/login", json={"username": person.phone, "password": "nope12345"}
            )
            assert wrong.status_code == 401
            assert await _stored_hash(db, person.id) == stale

            # The right one logs in with the old hash, which is replaced by one with the defaults.
            await login(client, person.phone)
            renewed = await _stored_hash(db, person.id)
            assert renewed is not None and renewed != stale and renewed.startswith(NEW_PREFIX)
            PasswordHasher().verify(renewed, PASSWORD)

            # The next login verifies the new hash and leaves it as it is.
            await login(client, person.phone)
            assert await _stored_hash(db, person.id) == renewed
        finally:
            await db.dispose()
