"""Escalation tables: the staff read model, escalation rules (催办/督办规则), and the reminders and
escalations raised on tickets with the people they name."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yiwang_shared.orm import new_id, utcnow

from .base import Base


class StaffMember(Base):
    """Read model of identity-svc's staff (from identity.staff.changed.v1): who to name."""

    __tablename__ = "staff_members"
    __table_args__ = (Index("ix_staff_members_unit_status", "org_unit_code", "status"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the staff account id (token `sub`)
    username: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    org_unit_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    org_unit_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    roles: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(12))  # active | disabled
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class EscalationRule(Base):
    """An escalation rule (催办/督办规则): in which ticket states, after what share of which time
    limit (plus hours), remind or escalate to whom."""

    __tablename__ = "escalation_rules"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(12))  # reminder | escalation
    basis: Mapped[str] = mapped_column(String(12))  # response (首次联系时限) | reply (办理时限)
    statuses: Mapped[list[Any]] = mapped_column(JSON)  # ticket statuses it watches
    after_share: Mapped[float] = mapped_column(Float)  # share of the limit elapsed (1 = the deadline)
    plus_hours: Mapped[float] = mapped_column(Float, default=0)
    target: Mapped[str] = mapped_column(
        String(20)
    )  # handler | unit_supervisor | district_office | unit | staff
    target_unit_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    target_staff_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    request_type: Mapped[str | None] = mapped_column(String(20), nullable=True)
    category_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64))


class TicketEscalation(Base):
    """A reminder (level 0) or escalation (1 the unit's side, 2 the district) a rule raised on a
    ticket; once per rule, handling round and deadline (`cycle`)."""

    __tablename__ = "ticket_escalations"
    __table_args__ = (
        UniqueConstraint("ticket_id", "rule_id", "cycle"),
        # The board (newest first) by level or by the unit named: walked in order to the page.
        Index("ix_ticket_escalations_level_raised", "level", "raised_at"),
        Index("ix_ticket_escalations_unit_raised", "unit_code", "raised_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"), index=True)
    # No foreign key: a rule may be deleted later; what it raised stays, with its name.
    rule_id: Mapped[str] = mapped_column(String(36))
    rule_name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(12))  # reminder | escalation
    level: Mapped[int] = mapped_column(Integer)
    target: Mapped[str] = mapped_column(String(20))
    basis: Mapped[str] = mapped_column(String(12))
    round: Mapped[int] = mapped_column(Integer)
    cycle: Mapped[str] = mapped_column(String(60))
    due_at: Mapped[datetime] = mapped_column()  # the deadline the rule measured
    unit_code: Mapped[str | None] = mapped_column(String(64), nullable=True)  # whose people were named
    fallback: Mapped[bool] = mapped_column(Boolean, default=False)
    message: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class TicketEscalationRecipient(Base):
    """A person a ticket's reminder or escalation names, and when they acknowledged it (已阅)."""

    __tablename__ = "ticket_escalation_recipients"
    __table_args__ = (
        UniqueConstraint("escalation_id", "staff_id"),
        Index("ix_ticket_escalation_recipients_staff", "staff_id", "escalation_id"),
        # A person's open worklist (escalations/mine), newest first: one range of this index.
        Index("ix_ticket_escalation_recipients_open", "staff_id", "ticket_open", "raised_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    escalation_id: Mapped[str] = mapped_column(ForeignKey("ticket_escalations.id"), index=True)
    staff_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    org_unit_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    role: Mapped[str] = mapped_column(String(20))  # handler | dispatcher | supervisor | staff
    acknowledged_at: Mapped[datetime | None] = mapped_column(nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Copies, so the worklist needs neither the escalation nor its ticket to find and order a
    # person's entries: the escalation's `raised_at`, and whether its ticket is open (in
    # OPEN_STATUSES) — kept by a trigger on `tickets.status` (migration hotline_0006).
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    ticket_open: Mapped[bool] = mapped_column(Boolean, default=True)
