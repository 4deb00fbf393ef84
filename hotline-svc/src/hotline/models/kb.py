"""The knowledge base (热线知识库): entries, their versions, the search index and uses."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yiwang_shared.orm import new_id, utcnow

from .base import Base


class KbEntry(Base):
    """A knowledge-base entry (热线知识库条目); its content lives in versions."""

    __tablename__ = "kb_entries"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    source: Mapped[str] = mapped_column(String(10))  # manual | catalog
    catalog_item_code: Mapped[str | None] = mapped_column(String(50), nullable=True, unique=True)
    owner_unit_code: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12), index=True)  # draft | published | withdrawn
    published_version_no: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Denormalised from the published version for search results and the expiry scan.
    question: Mapped[str] = mapped_column(String(500))
    expires_on: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    withdrawn_reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    usage_count: Mapped[int] = mapped_column(Integer, default=0)
    last_used_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class KbVersion(Base):
    """One version of a knowledge-base entry: draft → in_review → published → superseded."""

    __tablename__ = "kb_versions"
    __table_args__ = (UniqueConstraint("entry_id", "version_no"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    entry_id: Mapped[str] = mapped_column(ForeignKey("kb_entries.id"), index=True)
    version_no: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))  # draft | in_review | published | superseded
    question: Mapped[str] = mapped_column(String(500))
    answer: Mapped[str] = mapped_column(Text)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    item_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    review_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    expires_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    author: Mapped[str] = mapped_column(String(64))
    reviewer: Mapped[str | None] = mapped_column(String(64), nullable=True)
    review_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(nullable=True)


class KbTerm(Base):
    """Search index: one weighted term of a published entry."""

    __tablename__ = "kb_terms"
    __table_args__ = (Index("ix_kb_terms_term", "term", "entry_id"),)

    entry_id: Mapped[str] = mapped_column(ForeignKey("kb_entries.id"), primary_key=True)
    term: Mapped[str] = mapped_column(String(60), primary_key=True)
    weight: Mapped[float] = mapped_column(Float)


class KbUsage(Base):
    """An entry used to answer a ticket on the spot."""

    __tablename__ = "kb_usages"
    # A date range's uses, counted per entry from the index alone.
    __table_args__ = (Index("ix_kb_usages_used_at", "used_at", "entry_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    entry_id: Mapped[str] = mapped_column(ForeignKey("kb_entries.id"), index=True)
    version_no: Mapped[int] = mapped_column(Integer)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"))
    used_by: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime] = mapped_column(default=utcnow)
