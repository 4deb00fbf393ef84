"""Stages of a "one thing" bundle (一件事): which items are decided together and which wait.

`bundle_items.stage` orders a bundle's items into stages: the items of one stage are handed to
their deciding departments together (并联审批), and a later stage's only once every item of the
earlier stages is approved (e.g. the business licence before the food business licence).
Existing bundles keep every item in stage 1, all in parallel, as they were applied for so far.

Revision ID: catalog_0007
Revises: catalog_0006
Create Date: 2026-12-05 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "catalog_0007"
down_revision: str | None = "catalog_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("bundle_items", sa.Column("stage", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("bundle_items") as batch:
        batch.drop_column("stage")
