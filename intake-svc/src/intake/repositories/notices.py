"""Queries on the documents issued on a case (告知书、通知书、决定书)."""

from __future__ import annotations

from sqlalchemy import String, func, insert, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.applications import Notice, NumberSequence
from .numbering import NumberRepository


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
                await self.session.execute(insert(Notice).values(number=number, **values))
                return number
            seq = (
                select(func.coalesce(func.max(NumberSequence.value), 0) + 1)
                .where(NumberSequence.name == counter)
                .scalar_subquery()
            )
            numbered = literal(head, String) + func.printf("%06d", seq, type_=String) + literal(tail, String)
            written = await self.session.scalar(
                insert(Notice).values(number=numbered, **values).returning(Notice.number)
            )
        return str(written)
