"""The trace chain's length and newest hash on each application (trace_seq, trace_head), filled in
for existing applications from their trace entries.

Revision ID: intake_0004
Revises: intake_0003
Create Date: 2026-11-22 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "intake_0004"
down_revision: str | None = "intake_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("trace_seq", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("trace_head", sa.String(length=64), nullable=True))
    op.execute(
        "UPDATE applications SET "
        "trace_seq = COALESCE((SELECT MAX(t.seq) FROM trace_entries t "
        "WHERE t.application_id = applications.id), 0), "
        "trace_head = (SELECT t.hash FROM trace_entries t WHERE t.application_id = applications.id "
        "ORDER BY t.seq DESC LIMIT 1)"
    )


def downgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("trace_head")
        batch.drop_column("trace_seq")
