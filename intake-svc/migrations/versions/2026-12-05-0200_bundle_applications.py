"""一件事 through intake: the bundles catalog-svc publishes (a read model), the bundle application
that one submission makes, and each case's place in it.

- `catalogue_bundles`: catalog.bundle.published.v1 kept as it came (items with their stages).
- `bundle_applications`: one submission for a bundle — one number for the applicant, one acceptance
  number, one delivery; its status is the combination of its cases'.
- `applications.bundle_application_id / bundle_stage / bundle_position`: a case made by a bundle
  application, the stage it is decided in and its place in the bundle's order.

Revision ID: intake_0015
Revises: intake_0014
Create Date: 2026-12-05 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "intake_0015"
down_revision: str | None = "intake_0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "catalogue_bundles",
        sa.Column("code", sa.String(50), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "bundle_applications",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("bundle_no", sa.String(32), nullable=False, unique=True),
        sa.Column("bundle_code", sa.String(50), nullable=False),
        sa.Column("bundle_name", sa.String(200), nullable=False),
        sa.Column("applicant_id", sa.String(64), nullable=False, index=True),
        sa.Column("applicant_name", sa.String(100), nullable=False),
        sa.Column("applicant_phone", sa.String(20), nullable=True),
        sa.Column("enterprise_id", sa.String(64), nullable=True, index=True),
        sa.Column("submitted_by", sa.String(64), nullable=False, index=True),
        sa.Column("intake_unit_code", sa.String(64), nullable=True, index=True),
        sa.Column("channel", sa.String(12), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acceptance_no", sa.String(40), nullable=True, unique=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_by", sa.String(64), nullable=True),
        sa.Column("notice_numbers", sa.JSON(), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivery_mode", sa.String(12), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("idempotency_key", sa.String(100), nullable=True),
        sa.Column("request_hash", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("submitted_by", "idempotency_key", name="uq_bundle_applications_key"),
    )
    op.create_index("ix_bundle_applications_received", "bundle_applications", ["received_at"])
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("bundle_application_id", sa.String(36), nullable=True))
        batch.add_column(sa.Column("bundle_stage", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("bundle_position", sa.Integer(), nullable=True))
    op.create_index("ix_applications_bundle_application_id", "applications", ["bundle_application_id"])


def downgrade() -> None:
    op.drop_index("ix_applications_bundle_application_id", table_name="applications")
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("bundle_position")
        batch.drop_column("bundle_stage")
        batch.drop_column("bundle_application_id")
    op.drop_index("ix_bundle_applications_received", table_name="bundle_applications")
    op.drop_table("bundle_applications")
    op.drop_table("catalogue_bundles")
