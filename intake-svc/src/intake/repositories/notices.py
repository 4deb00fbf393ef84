"""Queries on the documents issued on a case (告知书、通知书、决定书)."""

from __future__ import annotations

from typing import cast

from sqlalchemy import String, Table, bindparam, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.applications import Notice, NumberSequence
from .numbering import NumberRepository

_notices = cast(Table, Notice.__table__)
_counters = cast(Table, NumberSequence.__table__)

# Built once: building these per notice cost more than running them. The other columns come from
# the execution's parameters.
_INSERT = insert(_notices)
_NEXT_ON_SQLITE = (
    select(func.coalesce(func.max(_counters.c.value), 0) + 1)
    .where(_counters.c.name == bindparam("counter"))
    .scalar_subquery()
)
_INSERT_NUMBERED_ON_SQLITE = (
    insert(_notices)
    .values(
        number=bindparam("head", type_=String)
        + func.printf("%06d", _NEXT_ON_SQLITE, type_=String)
        + bindparam("tail", type_=String)
    )
    .returning(_notices.c.number)
)


class NoticeRepository:
    """Notices in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, notice_id: str) -> Notice | None:
        """The notice, or None."""
        return await self.session.get(Notice, notice_id)

    async def insert_numbered(self, notice: Notice, *, counter: str, head: str, tail: str) -> str:
        """Write `notice` (every column but its number set) numbered `head` + the next value of
        `counter` in six digits + `tail`, and return the number.

        On SQLite one statement: the INSERT takes the counter's value plus one (one writer at a
        time: nobody else can take it meanwhile) and the `notices_number_counter` trigger
        (migration intake_0011) moves the counter on. On PostgreSQL the counter's row is updated
        first, so concurrent transactions queue on it, and the INSERT follows. Whatever pends in
        the session stays unflushed until the step's own flush."""
        numbers = NumberRepository(self.session)
        values = {
            "id": notice.id,
            "application_id": notice.application_id,
            "kind": notice.kind,
            "issued_at": notice.issued_at,
            "issued_by": notice.issued_by,
            "content": notice.content,
        }
        with self.session.no_autoflush:
            if numbers.dialect == "postgresql":
                number = f"{head}{await numbers.next_value(counter):06d}{tail}"
                await self.session.execute(_INSERT, {"number": number, **values})
                return number
            written = await self.session.scalar(
                _INSERT_NUMBERED_ON_SQLITE, {"counter": counter, "head": head, "tail": tail, **values}
            )
        return str(written)
