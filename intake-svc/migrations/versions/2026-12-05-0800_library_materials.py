"""Materials fetched from the electronic licence library (两个免于提交): which licence stood for the
material (its type; the number is in licence_no) and its state and validity when it was fetched.

Revision ID: intake_0020
Revises: intake_0019
Create Date: 2026-12-05 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "intake_0020"
down_revision: str | None = "intake_0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("application_materials") as batch:
        batch.add_column(sa.Column("licence_type_code", sa.String(32), nullable=True))
        batch.add_column(sa.Column("licence_status", sa.String(12), nullable=True))
        batch.add_column(sa.Column("licence_valid_until", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("application_materials") as batch:
        batch.drop_column("licence_valid_until")
        batch.drop_column("licence_status")
        batch.drop_column("licence_type_code")
