"""Review by another person (四眼原则): who submitted a version, and an index for the work list.

`item_versions.submitted_by` records who sent a version for review (the publish check refuses a
reviewer who drafted, edited or submitted it; the work list of drafts and versions in review shows
it). Versions already submitted take it from the audit trail's latest `submitted` entry.
`ix_item_versions_status` serves the work list, which reads the few open versions among many
published and retired ones.

Revision ID: catalog_0006
Revises: catalog_0005
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "catalog_0006"
down_revision: str | None = "catalog_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("item_versions", sa.Column("submitted_by", sa.String(64), nullable=True))
    op.execute(
        """
        UPDATE item_versions SET submitted_by = (
            SELECT c.actor_id FROM item_changes c
            WHERE c.item_id = item_versions.item_id
              AND c.version_no = item_versions.version_no
              AND c.action = 'submitted'
            ORDER BY c.at DESC
            LIMIT 1
        )
        WHERE submitted_at IS NOT NULL
        """
    )
    op.create_index("ix_item_versions_status", "item_versions", ["status"])


def downgrade() -> None:
    op.drop_index("ix_item_versions_status", table_name="item_versions")
    with op.batch_alter_table("item_versions") as batch:
        batch.drop_column("submitted_by")
