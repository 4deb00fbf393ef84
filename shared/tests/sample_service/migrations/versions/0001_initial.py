"""initial

Revision ID: sample_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from yiwang_shared.tables import create_infra_tables_v1

revision = "sample_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_infra_tables_v1(op)
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("text", sa.String(200), nullable=False),
    )
    op.create_table(
        "seen_notes",
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("note_id", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    pass
