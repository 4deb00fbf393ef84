"""The sequences behind catalogue codes (`code_counters`); the code rule is services/codes.py.

A value comes from an atomic upsert (``INSERT … ON CONFLICT DO UPDATE … RETURNING``), so two
concurrent writers never get the same value and a value handed out once is never handed out
again, even if its transaction later rolls back (a gap is fine; a reuse is not).
"""

from __future__ import annotations

from sqlalchemy import Table, literal_column
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import CodeCounter


class CodeCounterRepository:
    """Code sequences in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def next_value(self, prefix: str) -> int:
        """Hand out the next sequence value for `prefix` (1, 2, 3 …), atomically, never twice."""
        table = CodeCounter.__table__
        assert isinstance(table, Table)
        session = self.session
        dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = (
            insert(table)
            .values(prefix=prefix, next_value=2)
            .on_conflict_do_update(
                index_elements=["prefix"],
                set_={"next_value": literal_column("code_counters.next_value") + 1},
            )
            .returning(table.c.next_value)
        )
        issued_plus_one = (await session.execute(stmt)).scalar_one()
        return int(issued_plus_one) - 1
