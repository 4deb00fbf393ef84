"""Fees through a payment provider (缴费): the payment notice of a case (its order at the provider,
the 缴款码 and what was paid or refunded), waybills of results sent by post, and the nonces of the
providers' signed callbacks seen (replay protection shared by every replica).

Revision ID: intake_0017
Revises: intake_0016
Create Date: 2026-12-05 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from yiwang_shared.providers.nonces import create_provider_nonces_v1, drop_provider_nonces_v1

revision: str = "intake_0017"
down_revision: str | None = "intake_0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _at(name: str, nullable: bool = True) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "fees",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("application_id", sa.String(36), sa.ForeignKey("applications.id"), nullable=False, index=True),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("status", sa.String(12), nullable=False, index=True),
        sa.Column("provider_order_id", sa.String(64), nullable=True),
        sa.Column("payment_code", sa.String(32), nullable=True),
        sa.Column("pay_url", sa.String(500), nullable=True),
        sa.Column("order_version", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("channel", sa.String(20), nullable=True),
        _at("paid_at"),
        sa.Column("refunded_fen", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        _at("next_attempt_at"),
        sa.Column("last_error", sa.Text(), nullable=True),
        _at("created_at", nullable=False),
        _at("updated_at", nullable=False),
    )
    op.create_index("ix_fees_next_attempt_at", "fees", ["next_attempt_at"])
    op.create_table(
        "waybills",
        sa.Column("waybill_no", sa.String(32), primary_key=True),
        sa.Column("application_id", sa.String(36), sa.ForeignKey("applications.id"), nullable=False, index=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("last_sequence", sa.Integer(), nullable=False, server_default="0"),
        _at("created_at", nullable=False),
        _at("updated_at", nullable=False),
    )
    create_provider_nonces_v1(op)


def downgrade() -> None:
    drop_provider_nonces_v1(op)
    op.drop_table("waybills")
    op.drop_index("ix_fees_next_attempt_at", table_name="fees")
    op.drop_table("fees")
