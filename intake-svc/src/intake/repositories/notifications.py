"""Queries on the notification outbox (短信通知): reading messages, and the dispatcher's claims.

A claim is a conditional UPDATE (status pending and due, or a `sending` row whose lease has run out
after a crash) that stamps the dispatcher's token; candidates are picked `FOR UPDATE SKIP LOCKED`
where the database has it. Only the dispatcher whose token is on the row marks it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Row, Table, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.orm import utcnow
from yiwang_shared.pagination import PageParams, page_of

from ..models.notifications import NotificationMessage

#: The INSERT of a new message, built once: an append-only row needs none of the ORM's unit of work.
_INSERT = cast(Table, NotificationMessage.__table__).insert()


def _claimable() -> ColumnElement[bool]:
    """Due pending messages, and messages whose sender's lease ran out (as of now)."""
    now = utcnow()
    m = NotificationMessage
    return or_(
        and_(m.status == "pending", m.next_attempt_at <= now),
        and_(m.status == "sending", m.lease_until < now),
    )


class NotificationRepository:
    """Messages in the outbox."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, row: dict[str, Any]) -> None:
        """Write a new message (every column given)."""
        await self.session.execute(_INSERT, row)

    async def find(self, message_id: str) -> NotificationMessage | None:
        """The message, or None."""
        return await self.session.get(NotificationMessage, message_id)

    async def page(
        self,
        *,
        person_id: str | None,
        status: str | None,
        kind: str | None,
        application_id: str | None,
        page: PageParams,
    ) -> tuple[list[NotificationMessage], int]:
        """A page of messages (each filter when given), newest first, and the total."""
        m = NotificationMessage
        query = select(m)
        for column, value in (
            (m.person_id, person_id),
            (m.status, status),
            (m.kind, kind),
            (m.application_id, application_id),
        ):
            if value:
                query = query.where(column == value)
        return await page_of(self.session, query.order_by(m.created_at.desc(), m.id), page)

    async def requeue_failed(self, message_id: str, now: datetime) -> bool:
        """Make a failed message pending again from its first attempt; False unless it was failed."""
        m = NotificationMessage
        result = await self.session.execute(
            update(m)
            .where(m.id == message_id, m.status == "failed")
            .values(status="pending", attempts=0, next_attempt_at=now, claimed_by=None)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def pending_count(self) -> int:
        """Messages waiting to be sent."""
        m = NotificationMessage
        query = select(func.count()).where(m.status.in_(("pending", "sending")))
        return int(await self.session.scalar(query) or 0)

    async def any_claimable(self) -> bool:
        """True when some message is due (a read: it takes no write lock)."""
        m = NotificationMessage
        return await self.session.scalar(select(m.id).where(_claimable()).limit(1)) is not None

    async def claim(
        self, token: str, *, batch: int, lease_until: datetime, skip_locked: bool
    ) -> list[Row[str, str | None, str, str, datetime]]:
        """Stamp `token` on up to `batch` due messages (oldest due first) and return (id, phone, text,
        kind, next_attempt_at) of those now held under it, oldest due first: one conditional UPDATE."""
        m = NotificationMessage
        candidates = select(m.id).where(_claimable()).order_by(m.next_attempt_at, m.id).limit(batch)
        if skip_locked:
            candidates = candidates.with_for_update(skip_locked=True)
        # Picked once (MATERIALIZED): a locking subquery the planner ran again per row would
        # take more than `batch` rows.
        picked = candidates.cte("candidates").prefix_with("MATERIALIZED")
        # Conditional: only rows still claimable get this dispatcher's token.
        taken = await self.session.execute(
            update(m)
            .where(m.id.in_(select(picked.c.id)), _claimable())
            .values(status="sending", claimed_by=token, lease_until=lease_until, attempts=m.attempts + 1)
            .returning(m.id, m.phone, m.text, m.kind, m.next_attempt_at)
            .execution_options(synchronize_session=False)
        )
        return sorted(taken.all(), key=lambda r: (r.next_attempt_at, r.id))

    async def give_back(self, message_ids: list[str], token: str) -> None:
        """Make messages held under `token` and never tried pending again, the attempt stamped
        when they were claimed not counted (a dispatcher stopping)."""
        m = NotificationMessage
        await self.release(message_ids, token, status="pending", claimed_by=None, attempts=m.attempts - 1)

    async def held_by(self, token: str) -> list[Row[str, str | None, str, str]]:
        """(id, phone, text, kind) of the messages held under `token`, oldest first."""
        m = NotificationMessage
        query = (
            select(m.id, m.phone, m.text, m.kind)
            .where(m.claimed_by == token, m.status == "sending")
            .order_by(m.next_attempt_at, m.id)
        )
        return list((await self.session.execute(query)).all())

    async def attempts_held(self, message_id: str, token: str) -> int | None:
        """The attempts of a message held under `token`; None when the lease was lost."""
        m = NotificationMessage
        return await self.session.scalar(
            select(m.attempts).where(m.id == message_id, m.claimed_by == token, m.status == "sending")
        )

    async def release(self, message_ids: list[str], token: str, **values: Any) -> None:
        """Set `values` on the messages among `message_ids` still held under `token` (their
        outcome: sent, a retry, failed, or given back) and drop the lease: one UPDATE."""
        m = NotificationMessage
        await self.session.execute(
            update(m)
            .where(m.id.in_(message_ids), m.claimed_by == token, m.status == "sending")
            .values(lease_until=None, **values)
            .execution_options(synchronize_session=False)
        )
