"""Counts of wrong passwords per login name and client (login_failures)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import LoginFailure


class LoginFailureRepository:
    """Failure counters in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock(self, keys: list[str]) -> dict[str, LoginFailure]:
        """The counters for `keys`, created when missing and locked for update (in key order, so
        two logins never wait for each other crosswise)."""
        keys = sorted(set(keys))
        rows = [{"key": k, "failures": 0} for k in keys]
        if self.session.get_bind().dialect.name == "postgresql":
            await self.session.execute(
                postgresql.insert(LoginFailure).values(rows).on_conflict_do_nothing(index_elements=["key"])
            )
        else:
            await self.session.execute(
                sqlite.insert(LoginFailure).values(rows).on_conflict_do_nothing(index_elements=["key"])
            )
        query = (
            select(LoginFailure)
            .where(LoginFailure.key.in_(keys))
            .order_by(LoginFailure.key)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return {row.key: row for row in (await self.session.execute(query)).scalars()}

    async def read(self, keys: list[str]) -> dict[str, LoginFailure]:
        """The counters for `keys` that exist (no lock)."""
        query = select(LoginFailure).where(LoginFailure.key.in_(keys))
        return {row.key: row for row in (await self.session.execute(query)).scalars()}

    async def forget(self, key: str) -> None:
        """Drop one counter."""
        await self.session.execute(delete(LoginFailure).where(LoginFailure.key == key))

    async def prune(self, *, before: datetime, limit: int = 100) -> None:
        """Drop up to `limit` counters whose last failure is before `before` (skipping any that
        a login holds right now, so pruning never waits for one)."""
        stale = (
            select(LoginFailure.key)
            .where(LoginFailure.last_failed_at < before)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        keys = list((await self.session.execute(stale)).scalars())
        if keys:
            await self.session.execute(delete(LoginFailure).where(LoginFailure.key.in_(keys)))
