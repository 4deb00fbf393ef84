"""A community station's part in a case: the street centre it handed the case to
(`forwarded_to_unit_code`, `forwarded_at`) and its pre-review opinion (`prereview_opinion`).

Revision ID: intake_0008
Revises: intake_0007
Create Date: 2026-12-03 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "intake_0008"
down_revision: str | None = "intake_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("forwarded_to_unit_code", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("forwarded_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("prereview_opinion", sa.Text(), nullable=True))
        batch.create_index("ix_applications_forwarded_to_unit_code", ["forwarded_to_unit_code"])


def downgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.drop_index("ix_applications_forwarded_to_unit_code")
        batch.drop_column("prereview_opinion")
        batch.drop_column("forwarded_at")
        batch.drop_column("forwarded_to_unit_code")
