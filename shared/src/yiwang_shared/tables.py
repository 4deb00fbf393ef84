"""Infrastructure tables every service database holds, beside its own.

They live on their own MetaData (`infra_metadata`) so the outbox relay, the consumer runner and the
calendar can use them against any service's database. Each service's migrations create them with
`create_infra_tables_v1(op)` and pass `[Base.metadata, infra_metadata]` to Alembic.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

infra_metadata = sa.MetaData()

outbox = sa.Table(
    "outbox",
    infra_metadata,
    sa.Column(
        "id",
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
        primary_key=True,
        autoincrement=True,
    ),
    sa.Column("event_id", sa.String(36), nullable=False, unique=True),
    sa.Column("subject", sa.String(200), nullable=False),
    sa.Column("payload", sa.LargeBinary(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
    sa.Column("last_error", sa.Text(), nullable=True),
    sa.Index("ix_outbox_unpublished", "published_at", "id"),
)
"""Transactional outbox (事件发件箱): a row commits with the state change it announces."""

processed_events = sa.Table(
    "processed_events",
    infra_metadata,
    sa.Column("consumer", sa.String(200), primary_key=True),
    sa.Column("event_id", sa.String(36), primary_key=True),
    sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False),
)
"""Event ids a durable consumer has handled, so a redelivery has one effect."""

calendar_days = sa.Table(
    "calendar_days",
    infra_metadata,
    sa.Column("day", sa.Date(), primary_key=True),
    sa.Column("is_working_day", sa.Boolean(), nullable=False),
    sa.Column("name", sa.String(100), nullable=True),
    sa.Column("source", sa.String(20), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
"""Exceptions to the Monday–Friday rule: statutory holidays (法定节假日) and make-up days (调休)."""


def create_infra_tables_v1(op: Any) -> None:
    """Create the infrastructure tables (version 1). Never change: add a v2 instead."""
    op.create_table(
        "outbox",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text(), nullable=True),
    )
    op.create_index("ix_outbox_unpublished", "outbox", ["published_at", "id"])
    op.create_table(
        "processed_events",
        sa.Column("consumer", sa.String(200), primary_key=True),
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "calendar_days",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("is_working_day", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(100), nullable=True),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def drop_infra_tables_v1(op: Any) -> None:
    """Drop what create_infra_tables_v1 made."""
    op.drop_table("calendar_days")
    op.drop_table("processed_events")
    op.drop_index("ix_outbox_unpublished", table_name="outbox")
    op.drop_table("outbox")
