"""告知承诺制 tables: the post-check (事后核查) a case decided on commitment owes, and the false
commitments recorded against applicants (信用记录)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from yiwang_shared.orm import new_id, utcnow

from .base import Base


class PostCheck(Base):
    """The check a deciding unit owes of a case decided on commitment, by its due date."""

    __tablename__ = "post_checks"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), unique=True)
    unit_code: Mapped[str] = mapped_column(String(64), index=True)  # the deciding unit
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), index=True)  # pending | passed | failed
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    checked_at: Mapped[datetime | None] = mapped_column()
    checked_by: Mapped[str | None] = mapped_column(String(64))
    findings: Mapped[str | None] = mapped_column(Text)
    revocation_no: Mapped[str | None] = mapped_column(String(40))  # 撤销决定书文号, when failed


class CommitmentBreach(Base):
    """A false commitment found at a post-check (承诺不实), recorded against the applicant: they
    may not apply on commitment again."""

    __tablename__ = "commitment_breaches"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    applicant_id: Mapped[str] = mapped_column(String(64), index=True)
    enterprise_id: Mapped[str | None] = mapped_column(String(64), index=True)
    application_id: Mapped[str] = mapped_column(String(36))
    application_no: Mapped[str] = mapped_column(String(32))
    item_name: Mapped[str] = mapped_column(String(200))
    findings: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(64))
