"""材料复用: one stored file per uploader and content — (owner, sha256) unique, so the same bytes
uploaded again by the same person are their earlier file. Duplicates recorded before are merged
into the earliest: the materials that named a later copy name the earliest, the later records go
(their bytes stay in the file storage, unreferenced).

Revision ID: intake_0019
Revises: intake_0017
Create Date: 2026-12-05 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "intake_0019"
down_revision: str | None = "intake_0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: A record of the same owner and content made before this one (or at the same time, with a lower id).
_EARLIER = (
    "k.owner = stored_files.owner AND k.sha256 = stored_files.sha256"
    " AND (k.created_at < stored_files.created_at"
    " OR (k.created_at = stored_files.created_at AND k.id < stored_files.id))"
)


def upgrade() -> None:
    op.execute(
        sa.text(
            "UPDATE application_materials SET file_id = ("
            " SELECT k.id FROM stored_files k"
            " JOIN stored_files f ON f.owner = k.owner AND f.sha256 = k.sha256"
            " WHERE f.id = application_materials.file_id ORDER BY k.created_at, k.id LIMIT 1"
            ") WHERE file_id IS NOT NULL"
        )
    )
    op.execute(
        sa.text(f"DELETE FROM stored_files WHERE EXISTS (SELECT 1 FROM stored_files k WHERE {_EARLIER})")
    )
    with op.batch_alter_table("stored_files") as batch:
        batch.create_unique_constraint(op.f("uq_stored_files_owner_sha256"), ["owner", "sha256"])


def downgrade() -> None:
    with op.batch_alter_table("stored_files") as batch:
        batch.drop_constraint(op.f("uq_stored_files_owner_sha256"), type_="unique")
