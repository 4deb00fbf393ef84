"""catalog-svc tables: basic catalogue, implementation entries (items) and their versions, the
audit trail, code counters, the organisation read model, bundles and the search index.

Timestamps are aware UTC. An item's `elements` live in its versions as JSON (the
`ItemElements` document); `items` carries denormalised columns of the current published
version so list filters need no JSON queries.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from yiwang_shared.orm import NAMING_CONVENTION, TYPE_ANNOTATION_MAP, new_id, utcnow


class Base(DeclarativeBase):
    """Declarative base for catalog-svc's own tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = TYPE_ANNOTATION_MAP


class BasicItem(Base):
    """A basic catalogue entry (基本目录): the item's name and type, shared by its implementations."""

    __tablename__ = "basic_items"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    basic_code: Mapped[str] = mapped_column(String(50), unique=True)  # 基本编码
    name: Mapped[str] = mapped_column(String(200))
    item_type: Mapped[str] = mapped_column(String(2))
    legal_basis: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Item(Base):
    """An implementation entry (实施清单) of one unit; its content lives in `ItemVersion`s."""

    __tablename__ = "items"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(50), unique=True)  # 实施编码
    basic_item_id: Mapped[str] = mapped_column(ForeignKey("basic_items.id"), index=True)
    owner_unit_code: Mapped[str] = mapped_column(String(64), index=True)
    owner_unit_name: Mapped[str] = mapped_column(String(200))
    level: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), index=True)  # draft | published | retired
    current_version_no: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Denormalised from the current published version (from the draft until the first publish).
    name: Mapped[str] = mapped_column(String(200))
    item_type: Mapped[str] = mapped_column(String(2), index=True)
    online_depth: Mapped[str | None] = mapped_column(String(3), nullable=True)
    visits: Mapped[int | None] = mapped_column(Integer, nullable=True)
    service_objects_tags: Mapped[str] = mapped_column(String(200), default="")
    themes_tags: Mapped[str] = mapped_column(String(2000), default="")
    community_kind: Mapped[str | None] = mapped_column(String(20), nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ItemVersion(Base):
    """One version of an implementation entry; immutable once published."""

    __tablename__ = "item_versions"
    __table_args__ = (UniqueConstraint("item_id", "version_no"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"))
    version_no: Mapped[int] = mapped_column(Integer)
    # draft | in_review | published | retired; indexed for the work list of open versions (catalog_0006)
    status: Mapped[str] = mapped_column(String(12), index=True)
    elements: Mapped[dict[str, Any]] = mapped_column(JSON)
    quality_score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # Who sent it for review (提交审核人, catalog_0006): may not be the one who publishes it.
    submitted_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(nullable=True)
    published_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    retired_at: Mapped[datetime | None] = mapped_column(nullable=True)


class ItemChange(Base):
    """The audit trail (留痕): who did what to which version, and which elements changed."""

    __tablename__ = "item_changes"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), index=True)
    version_no: Mapped[int] = mapped_column(Integer)
    actor_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    action: Mapped[str] = mapped_column(String(16))
    changed_elements: Mapped[list[str]] = mapped_column(JSON, default=list)
    reason: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class CodeCounter(Base):
    """The next sequence number per code prefix; values are never handed out twice."""

    __tablename__ = "code_counters"

    prefix: Mapped[str] = mapped_column(String(50), primary_key=True)
    next_value: Mapped[int] = mapped_column(Integer)


class OrgUnit(Base):
    """Read model of identity-svc's organisation units (from identity.org_unit.changed.v1)."""

    __tablename__ = "org_units"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[int] = mapped_column(Integer)
    parent_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    uscc: Mapped[str | None] = mapped_column(String(18), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Bundle(Base):
    """A "one thing" bundle (一件事): items applied for together with one merged form."""

    __tablename__ = "bundles"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(String(4000), nullable=True)
    created_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class BundleItem(Base):
    """An item in a bundle, in order, and the stage it is decided in."""

    __tablename__ = "bundle_items"

    bundle_id: Mapped[str] = mapped_column(ForeignKey("bundles.id"), primary_key=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    # Items of one stage go to their departments together; a later stage waits for the earlier
    # ones to be approved (catalog_0007).
    stage: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class SearchTerm(Base):
    """The search index (written by catalog.services.search): one row per item, term and field."""

    __tablename__ = "search_terms"
    __table_args__ = (
        Index("ix_search_terms_term", "term"),
        # Covering index added by catalog_0003 (search engineer): term look-ups from the index alone.
        Index("ix_search_terms_term_field_item", "term", "field", "item_id", "weight"),
        # Covering index added by catalog_0004: per-item look-ups of the other words of a query.
        Index("ix_search_terms_item_term_field", "item_id", "term", "field", "weight"),
    )

    item_id: Mapped[str] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    term: Mapped[str] = mapped_column(String(64), primary_key=True)
    field: Mapped[str] = mapped_column(String(16), primary_key=True)
    weight: Mapped[float] = mapped_column(Float)


class SearchState(Base):
    """One row: the search index's generation (bumped by triggers, catalog_0005) and epoch."""

    __tablename__ = "search_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger)
    epoch: Mapped[str] = mapped_column(String(36))


class SearchChange(Base):
    """The search change log (written by triggers): which item changed at which generation."""

    __tablename__ = "search_changes"

    generation: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    item_id: Mapped[str] = mapped_column(String(36), primary_key=True)


class ItemOutcome(Base):
    """What one application of an item took (from intake's events): the materials its applicant
    brought at submission and the working days it took once completed (the halving report)."""

    __tablename__ = "item_outcomes"
    __table_args__ = (Index("ix_item_outcomes_item_received", "item_code", "received_at"),)

    application_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    item_code: Mapped[str] = mapped_column(String(50))
    received_at: Mapped[datetime | None] = mapped_column()
    materials_handed_in: Mapped[int | None] = mapped_column(Integer)
    # Materials handed in at each resubmission after a one-time notice (补正): {"1": n, "2": m}.
    corrections: Mapped[dict[str, int] | None] = mapped_column(JSON)
    promised_limit_days: Mapped[int | None] = mapped_column(Integer)
    working_days_used: Mapped[int | None] = mapped_column(Integer)
    completed_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
