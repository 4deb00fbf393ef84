"""告知承诺制 through intake: the commitment a case was decided on, the post-check (事后核查) its
deciding unit owes, and the false commitments recorded against applicants (信用记录).

Revision ID: intake_0016
Revises: intake_0015
Create Date: 2026-12-05 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "intake_0016"
down_revision: str | None = "intake_0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("commitment", sa.JSON(), nullable=True))
    op.create_table(
        "post_checks",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("application_id", sa.String(36), sa.ForeignKey("applications.id"), nullable=False, unique=True),
        sa.Column("unit_code", sa.String(64), nullable=False, index=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checked_by", sa.String(64), nullable=True),
        sa.Column("findings", sa.Text(), nullable=True),
        sa.Column("revocation_no", sa.String(40), nullable=True),
    )
    op.create_table(
        "commitment_breaches",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("applicant_id", sa.String(64), nullable=False, index=True),
        sa.Column("enterprise_id", sa.String(64), nullable=True, index=True),
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("application_no", sa.String(32), nullable=False),
        sa.Column("item_name", sa.String(200), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("commitment_breaches")
    op.drop_table("post_checks")
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("commitment")
