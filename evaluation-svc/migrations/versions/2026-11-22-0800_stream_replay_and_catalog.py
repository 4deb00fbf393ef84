"""Indicators are rebuilt from the JetStream streams: drop the `facts` journal; unusable payloads
go to the shared DEADLETTER stream: drop `rejected_events`; add the `catalog_items` read model
(item names from catalog.item.published.v1).

Both dropped tables are dropped, not kept read-only: every fact in `facts` came from an event on
a stream (or, for evaluation's own facts, is now published as one), and every row of
`rejected_events` holds a payload still on its publisher's stream.

Revision ID: evaluation_0003
Revises: evaluation_0002
Create Date: 2026-11-22 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "evaluation_0003"
down_revision: str | None = "evaluation_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIGINT = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.drop_table("facts")
    op.drop_table("rejected_events")
    op.create_table(
        "catalog_items",
        sa.Column("code", sa.String(50), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("department_code", sa.String(64), nullable=False),
        sa.Column("department_name", sa.String(200), nullable=True),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_catalog_items"),
    )
    op.create_index("ix_catalog_items_department_code", "catalog_items", ["department_code"])


def downgrade() -> None:
    op.drop_index("ix_catalog_items_department_code", table_name="catalog_items")
    op.drop_table("catalog_items")
    op.create_table(
        "rejected_events",
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("rejected_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name="pk_rejected_events"),
    )
    op.create_table(
        "facts",
        sa.Column("seq", BIGINT, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_facts"),
    )
