"""免申即享 (proactive service): the offers made to residents who became eligible for an item
without applying — a resident turning 80 is offered 高龄老年人津贴 — until they confirm (which opens
the case), decline, or let the offer lapse."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yiwang_shared.orm import new_id, utcnow

from .base import Base


class ProactiveOffer(Base):
    """An offer (免申即享服务) to one person for one item, made because they reached its age; status
    offered → confirmed | declined | expired (`lifecycles.OFFER`)."""

    __tablename__ = "proactive_offers"
    __table_args__ = (
        # One offer per person, item and age, however often the age is published.
        UniqueConstraint("account_id", "item_code", "age"),
        # The citizen's list, the unit's list (by status), newest first.
        Index("ix_proactive_offers_account_offered", "account_id", "offered_at"),
        Index("ix_proactive_offers_unit_seen", "unit_code", "status", "offered_at"),
        # The lapse of unconfirmed offers.
        Index("ix_proactive_offers_status_expires", "status", "expires_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    item_code: Mapped[str] = mapped_column(String(64))
    item_name: Mapped[str] = mapped_column(String(200))
    version_no: Mapped[int] = mapped_column(Integer)
    unit_code: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[str] = mapped_column(String(64))
    person_name: Mapped[str] = mapped_column(String(100))
    age: Mapped[int] = mapped_column(Integer)
    reached_on: Mapped[date] = mapped_column(Date)
    region_code: Mapped[str] = mapped_column(String(6))
    reason: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12))
    offered_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    application_id: Mapped[str | None] = mapped_column(ForeignKey("applications.id"))
    #: The delivery wish given on confirming (the form's `delivery`: mode, address, recipient, phone).
    delivery: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: identity's claim check for the person's mobile, until the SMS is queued (then cleared).
    contact_ticket: Mapped[str | None] = mapped_column(Text)
    #: When the SMS asking to confirm was queued (None: not yet).
    notified_at: Mapped[datetime | None] = mapped_column(index=True)
    #: The identity.person.age_reached.v1 event the offer was made from.
    source_event_id: Mapped[str] = mapped_column(String(36))
