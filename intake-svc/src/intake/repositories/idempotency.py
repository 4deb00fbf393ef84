"""Queries on submissions' Idempotency-Keys (per caller)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.applications import IdempotencyKey

_keys = IdempotencyKey.__table__


def _claim(insert: Any) -> Any:
    """The claim for one dialect, built once (building it per request cost as much as running
    it); the row's columns come from the execution's parameters."""
    return insert(_keys).on_conflict_do_nothing().returning(_keys.c.key)


_CLAIM = {"postgresql": _claim(postgresql.insert), "sqlite": _claim(sqlite.insert)}


class IdempotencyKeyRepository:
    """Idempotency keys in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, principal: str, key: str) -> IdempotencyKey | None:
        """The key `principal` used, or None."""
        return await self.session.get(IdempotencyKey, (principal, key))

    async def claim(self, row: IdempotencyKey) -> bool:
        """Record the key now (one statement); False when it was recorded already — by an earlier
        request, or by a concurrent one that has committed (PostgreSQL waits for it)."""
        claim = _CLAIM["postgresql" if _dialect(self.session) == "postgresql" else "sqlite"]
        values = {
            "principal": row.principal,
            "key": row.key,
            "request_hash": row.request_hash,
            "application_id": row.application_id,
            "created_at": row.created_at,
        }
        with self.session.no_autoflush:
            return await self.session.scalar(claim, values) is not None


def _dialect(session: AsyncSession) -> str:
    bind = session.bind
    return bind.dialect.name if bind is not None else "sqlite"
