"""What applications of each item actually took (the halving report, 减材料、减时限 in fact): one row
per application from intake's events — the materials its applicant had to bring at submission, and
the working days it took against the promised limit once completed.

Revision ID: catalog_0008
Revises: catalog_0007
Create Date: 2026-12-05 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "catalog_0008"
down_revision: str | None = "catalog_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "item_outcomes",
        sa.Column("application_id", sa.String(36), primary_key=True),
        sa.Column("item_code", sa.String(50), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("materials_handed_in", sa.Integer(), nullable=True),
        sa.Column("promised_limit_days", sa.Integer(), nullable=True),
        sa.Column("working_days_used", sa.Integer(), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_item_outcomes_item_received", "item_outcomes", ["item_code", "received_at"])


def downgrade() -> None:
    op.drop_index("ix_item_outcomes_item_received", table_name="item_outcomes")
    op.drop_table("item_outcomes")
