"""一件事 tables: the bundles catalog-svc publishes (a read model) and the bundle applications one
submission makes; each of its cases is an `Application` carrying `bundle_application_id`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yiwang_shared.orm import new_id, utcnow

from .base import Base


class CatalogueBundle(Base):
    """Read model of a "one thing" bundle (catalog.bundle.published.v1): its items and their stages."""

    __tablename__ = "catalogue_bundles"

    code: Mapped[str] = mapped_column(String(50), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    # [{"item_code", "item_name", "owner_unit_code", "stage"}] in the bundle's order.
    items: Mapped[list[Any]] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class BundleApplication(Base):
    """One submission for a bundle (一件事): one number, one acceptance number, one delivery; its
    cases (one per item) are decided by their departments, and its status combines theirs."""

    __tablename__ = "bundle_applications"
    __table_args__ = (
        UniqueConstraint("submitted_by", "idempotency_key", name="uq_bundle_applications_key"),
        Index("ix_bundle_applications_received", "received_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    bundle_no: Mapped[str] = mapped_column(String(32), unique=True)  # 一件事申请编号
    bundle_code: Mapped[str] = mapped_column(String(50))
    bundle_name: Mapped[str] = mapped_column(String(200))
    applicant_id: Mapped[str] = mapped_column(String(64), index=True)
    applicant_name: Mapped[str] = mapped_column(String(100))
    applicant_phone: Mapped[str | None] = mapped_column(String(20))
    enterprise_id: Mapped[str | None] = mapped_column(String(64), index=True)
    submitted_by: Mapped[str] = mapped_column(String(64), index=True)
    intake_unit_code: Mapped[str | None] = mapped_column(String(64), index=True)
    channel: Mapped[str] = mapped_column(String(12))
    received_at: Mapped[datetime] = mapped_column()
    acceptance_no: Mapped[str | None] = mapped_column(String(40), unique=True)
    accepted_at: Mapped[datetime | None] = mapped_column()
    accepted_by: Mapped[str | None] = mapped_column(String(64))
    # The one-time notices (一次性告知书) issued to the applicant for the whole bundle, oldest first.
    notice_numbers: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # When its last case was completed and the applicant told to collect the results (办结).
    completed_at: Mapped[datetime | None] = mapped_column()
    delivery_mode: Mapped[str | None] = mapped_column(String(12))
    delivered_at: Mapped[datetime | None] = mapped_column()
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    request_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
