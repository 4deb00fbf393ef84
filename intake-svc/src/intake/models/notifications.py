"""intake-svc notification tables: the SMS outbox (短信发件箱)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from yiwang_shared.orm import new_id, utcnow

from .base import Base

#: Row states: pending (to send, maybe after a backoff), sending (claimed by a dispatcher until
#: `lease_until`), sent, failed (gave up after the last attempt), skipped (no phone number: kept
#: so the applicant still sees it in their message list).
NOTIFICATION_STATES = ("pending", "sending", "sent", "failed", "skipped")


class NotificationMessage(Base):
    """One SMS to an applicant, written in the transaction of the change it announces."""

    __tablename__ = "notification_messages"
    __table_args__ = (
        Index("ix_notification_messages_due", "status", "next_attempt_at"),
        Index("ix_notification_messages_person", "person_id", "created_at"),
        # The list's order (newest first), alone and by kind, walked backwards.
        Index("ix_notification_messages_created", "created_at"),
        Index("ix_notification_messages_kind_created", "kind", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str | None] = mapped_column(String(20))
    person_id: Mapped[str | None] = mapped_column(String(64))
    application_id: Mapped[str | None] = mapped_column(String(36), index=True)
    appointment_id: Mapped[str | None] = mapped_column(String(36), index=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(36))
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
