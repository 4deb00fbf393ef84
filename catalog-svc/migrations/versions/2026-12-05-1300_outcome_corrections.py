"""The halving report counts the trips for corrections too: each application's materials handed in
at each resubmission after a one-time notice (补正), by round, beside those of its first submission.

Revision ID: catalog_0009
Revises: catalog_0008
Create Date: 2026-12-05 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "catalog_0009"
down_revision: str | None = "catalog_0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("item_outcomes") as batch:
        batch.add_column(sa.Column("corrections", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("item_outcomes") as batch:
        batch.drop_column("corrections")
