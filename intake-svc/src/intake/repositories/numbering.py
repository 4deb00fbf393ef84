"""Counters behind human-facing numbers: a counter row per name (updated in the caller's
transaction, so concurrent callers wait for each other) and, on PostgreSQL, the lock-free
sequence `application_no_seq` (migration intake_0005) for application numbers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.applications import NumberSequence

_counters = NumberSequence.__table__


def _bump(insert: Any) -> Any:
    """The counter's upsert for one dialect, built once (building it per call cost as much as
    running it): insert at 1, or add one; returns the value."""
    return (
        insert(_counters)
        .values(name=bindparam("counter"), value=1)
        .on_conflict_do_update(index_elements=[_counters.c.name], set_={"value": _counters.c.value + 1})
        .returning(_counters.c.value)
    )


_BUMP = {"postgresql": _bump(postgresql.insert), "sqlite": _bump(sqlite.insert)}


class NumberRepository:
    """Number counters in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def dialect(self) -> str:
        """The database's dialect name (sqlite when the session has no bind)."""
        bind = self.session.bind
        return bind.dialect.name if bind is not None else "sqlite"

    async def next_value(self, name: str) -> int:
        """The next value of counter `name` (starting at 1): one upsert, whatever pends in the
        session staying unflushed until the step's own flush."""
        bump = _BUMP["postgresql" if self.dialect == "postgresql" else "sqlite"]
        with self.session.no_autoflush:
            value = await self.session.scalar(bump, {"counter": name})
        return int(value or 0)

    async def next_application_seq(self) -> int | None:
        """The next value of `application_no_seq` on PostgreSQL; None elsewhere (use a counter)."""
        if self.dialect != "postgresql":
            return None
        return int(await self.session.scalar(text("SELECT nextval('application_no_seq')")) or 0)
