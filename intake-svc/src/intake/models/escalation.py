"""intake-svc escalation tables: the staff read model, and the 催办 reminders and 督办 escalations
raised on cases with the people they name."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
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
    org_unit_id: Mapped[str | None] = mapped_column(String(36))
    org_unit_code: Mapped[str | None] = mapped_column(String(64))
    roles: Mapped[list[Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12))  # active | disabled
    updated_at: Mapped[datetime] = mapped_column()


class CaseEscalation(Base):
    """A 催办 reminder (level 0) or a 督办 escalation (1: the unit's supervisor, 2: the district
    supervision office) raised on a case; one per case, kind and due date (`cycle`)."""

    __tablename__ = "case_escalations"
    __table_args__ = (
        UniqueConstraint("application_id", "kind", "cycle"),
        # The lists' order (newest first, higher level first) per filter, walked backwards (alone:
        # `raised_at`'s own index).
        Index("ix_case_escalations_kind_order", "kind", "raised_at", "level"),
        Index("ix_case_escalations_unit_order", "unit_code", "raised_at", "level"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # reminder | unit_supervisor | district_office
    level: Mapped[int] = mapped_column(Integer)
    # The due date it was raised against: an extension or a pause moves it and re-arms the rules.
    cycle: Mapped[str] = mapped_column(String(40))
    due_on: Mapped[date] = mapped_column(Date)
    unit_code: Mapped[str] = mapped_column(String(64))  # whose people were named
    working_days: Mapped[int] = mapped_column(Integer)  # left (reminder) or overdue (escalation)
    fallback: Mapped[bool] = mapped_column(Boolean, default=False)
    message: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class EscalationRecipient(Base):
    """A person a reminder or escalation names, and when they acknowledged it (已阅)."""

    __tablename__ = "case_escalation_recipients"
    __table_args__ = (
        UniqueConstraint("escalation_id", "staff_id"),
        Index("ix_case_escalation_recipients_staff", "staff_id", "escalation_id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    escalation_id: Mapped[str] = mapped_column(ForeignKey("case_escalations.id"), index=True)
    staff_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(100))
    org_unit_code: Mapped[str | None] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(20))  # handler | supervisor
    acknowledged_at: Mapped[datetime | None] = mapped_column()
    note: Mapped[str | None] = mapped_column(Text)
