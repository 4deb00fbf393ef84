"""One waybill for a whole 一件事: a waybill belongs to a case or to a bundle application (whose
results go out in one parcel), so `application_id` may be empty when `bundle_application_id` is set.

Revision ID: intake_0023
Revises: intake_0022
Create Date: 2026-12-05 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "intake_0023"
down_revision: str | None = "intake_0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("waybills") as batch:
        batch.add_column(sa.Column("bundle_application_id", sa.String(36), nullable=True))
        batch.alter_column("application_id", existing_type=sa.String(36), nullable=True)
        batch.create_foreign_key(
            op.f("fk_waybills_bundle_application_id_bundle_applications"),
            "bundle_applications",
            ["bundle_application_id"],
            ["id"],
        )
        batch.create_index(op.f("ix_waybills_bundle_application_id"), ["bundle_application_id"])
        batch.create_check_constraint(
            op.f("ck_waybills_one_owner"), "(application_id IS NULL) <> (bundle_application_id IS NULL)"
        )


def downgrade() -> None:
    # A bundle's waybill has no case to go back to: it is dropped with the column.
    op.execute("DELETE FROM waybills WHERE application_id IS NULL")
    with op.batch_alter_table("waybills") as batch:
        batch.drop_constraint(op.f("ck_waybills_one_owner"), type_="check")
        batch.drop_index(op.f("ix_waybills_bundle_application_id"))
        batch.drop_constraint(
            op.f("fk_waybills_bundle_application_id_bundle_applications"), type_="foreignkey"
        )
        batch.drop_column("bundle_application_id")
        batch.alter_column("application_id", existing_type=sa.String(36), nullable=False)
