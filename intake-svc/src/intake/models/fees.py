"""Fees and posted results: a case's payment notice (缴费通知) and its order at the payment
provider, and the waybills (运单) of results sent by post with their tracking events."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from yiwang_shared.orm import new_id, utcnow

from .base import Base


class Fee(Base):
    """The fees a case owes (its payment notice); its id is our order number at the provider.

    `status`: new (the order not yet made at the provider: the fee worker makes it), awaiting (the
    applicant can pay with `payment_code`), paid, refunded, closed (withdrawn before payment)."""

    __tablename__ = "fees"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    amount_fen: Mapped[int] = mapped_column(Integer)
    items: Mapped[list[Any]] = mapped_column(JSON)  # [{"name", "amount_fen"}]
    subject: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12), index=True)
    provider_order_id: Mapped[str | None] = mapped_column(String(64))
    payment_code: Mapped[str | None] = mapped_column(String(32))  # 缴款码
    pay_url: Mapped[str | None] = mapped_column(String(500))
    # The provider's version of the order last applied: an older notification changes nothing.
    order_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    channel: Mapped[str | None] = mapped_column(String(20))
    paid_at: Mapped[datetime | None] = mapped_column()
    refunded_fen: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None] = mapped_column(index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class FeeRefund(Base):
    """A refund of a paid fee (退费), one row per refund number: recorded when staff ask for it
    (status requested, with who and why), then succeeded or failed as the provider reports."""

    __tablename__ = "fee_refunds"

    refund_no: Mapped[str] = mapped_column(String(64), primary_key=True)  # 退款单号 (ours, at the provider)
    fee_id: Mapped[str] = mapped_column(ForeignKey("fees.id"), index=True)
    amount_fen: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="succeeded", server_default="succeeded")
    reason: Mapped[str | None] = mapped_column(String(200))  # 退费原因, as the applicant is told
    requested_by: Mapped[str | None] = mapped_column(String(64))
    requested_at: Mapped[datetime | None] = mapped_column()
    succeeded_at: Mapped[datetime | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Reconciliation(Base):
    """A day's reconciliation against the payment provider's statement (对账), as last run: the
    daily pass runs each day once it is over; a supervisor may run a day again."""

    __tablename__ = "reconciliations"

    day: Mapped[date] = mapped_column(primary_key=True)  # the Beijing day reconciled
    status: Mapped[str] = mapped_column(String(12))  # matched | mismatched | failed
    matched: Mapped[int] = mapped_column(Integer, default=0)
    payments_fen: Mapped[int] = mapped_column(Integer, default=0)
    refunds_fen: Mapped[int] = mapped_column(Integer, default=0)
    problems: Mapped[list[Any]] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    ran_at: Mapped[datetime] = mapped_column(default=utcnow)
    ran_by: Mapped[str] = mapped_column(String(64))  # a supervisor's id, or "system"


class Waybill(Base):
    """A result sent by post through the courier: its waybill number and tracking events. It carries
    one case's result, or every result of a 一件事 (bundle application) in one parcel."""

    __tablename__ = "waybills"
    __table_args__ = (
        CheckConstraint("(application_id IS NULL) <> (bundle_application_id IS NULL)", name="one_owner"),
    )

    waybill_no: Mapped[str] = mapped_column(String(32), primary_key=True)
    application_id: Mapped[str | None] = mapped_column(ForeignKey("applications.id"), index=True)
    bundle_application_id: Mapped[str | None] = mapped_column(
        ForeignKey("bundle_applications.id"), index=True
    )
    status: Mapped[str] = mapped_column(String(20))  # the courier's last event code
    events: Mapped[list[Any]] = mapped_column(JSON)  # [{"sequence", "code", "description", …}]
    last_sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
