"""A refund is recorded when staff ask for it (who, why, when), not only when the provider reports
it succeeded: `fee_refunds` gains its reason, asker and state (requested, succeeded, failed), and
`succeeded_at` is empty until it succeeds. Refunds recorded before were all succeeded.

Revision ID: intake_0024
Revises: intake_0023
Create Date: 2026-12-05 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "intake_0024"
down_revision: str | None = "intake_0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("fee_refunds") as batch:
        batch.add_column(sa.Column("status", sa.String(12), nullable=False, server_default="succeeded"))
        batch.add_column(sa.Column("reason", sa.String(200), nullable=True))
        batch.add_column(sa.Column("requested_by", sa.String(64), nullable=True))
        batch.add_column(sa.Column("requested_at", sa.DateTime(timezone=True), nullable=True))
        batch.alter_column("succeeded_at", existing_type=sa.DateTime(timezone=True), nullable=True)


def downgrade() -> None:
    # Only what succeeded was kept before: a request not (yet) succeeded has no place there.
    op.execute("DELETE FROM fee_refunds WHERE status <> 'succeeded' OR succeeded_at IS NULL")
    with op.batch_alter_table("fee_refunds") as batch:
        batch.alter_column("succeeded_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch.drop_column("requested_at")
        batch.drop_column("requested_by")
        batch.drop_column("reason")
        batch.drop_column("status")
