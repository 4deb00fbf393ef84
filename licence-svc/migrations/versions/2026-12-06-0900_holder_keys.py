"""Keyed hashes of resident IDs (ADR 0014): `persons.resident_id_key` (from identity's registered
event) and `licences.holder_identifier_key` (computed here for a person's licence), both indexed,
so staff find the licences issued to a resident ID for that resident's case before the resident has
opened the library. Existing licences get their key from the service at start-up (the migration
has no secret); existing persons keep none until identity publishes them again.

Revision ID: licence_0003
Revises: licence_0002
Create Date: 2026-12-06 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "licence_0003"
down_revision: str | None = "licence_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("persons") as batch:
        batch.add_column(sa.Column("resident_id_key", sa.String(length=64), nullable=True))
        batch.create_index(batch.f("ix_persons_resident_id_key"), ["resident_id_key"], unique=False)
    with op.batch_alter_table("licences") as batch:
        batch.add_column(sa.Column("holder_identifier_key", sa.String(length=64), nullable=True))
        batch.create_index("ix_licences_holder_key", ["holder_kind", "holder_identifier_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("licences") as batch:
        batch.drop_index("ix_licences_holder_key")
        batch.drop_column("holder_identifier_key")
    with op.batch_alter_table("persons") as batch:
        batch.drop_index(batch.f("ix_persons_resident_id_key"))
        batch.drop_column("resident_id_key")
