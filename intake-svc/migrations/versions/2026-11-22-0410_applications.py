"""Applications: the catalogue and organisation read models, applications, materials, notices,
decision steps, clock pauses, the hash-chained trace, idempotency keys, entrustments, stored files
and number sequences.

Revision ID: intake_0003
Revises: intake_0002
Create Date: 2026-11-22 04:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "intake_0003"
down_revision: str | None = "intake_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "applications",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("application_no", sa.String(length=32), nullable=False),
        sa.Column("item_code", sa.String(length=50), nullable=False),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("item_name", sa.String(length=200), nullable=False),
        sa.Column("owner_unit_code", sa.String(length=64), nullable=False),
        sa.Column("intake_unit_code", sa.String(length=64), nullable=True),
        sa.Column("accepting_unit_code", sa.String(length=64), nullable=True),
        sa.Column("entrustment_id", sa.String(length=36), nullable=True),
        sa.Column("channel", sa.String(length=12), nullable=False),
        sa.Column("online", sa.Boolean(), nullable=False),
        sa.Column("applicant_id", sa.String(length=64), nullable=False),
        sa.Column("applicant_name", sa.String(length=100), nullable=False),
        sa.Column("applicant_phone", sa.String(length=20), nullable=True),
        sa.Column("enterprise_id", sa.String(length=64), nullable=True),
        sa.Column("grant_id", sa.String(length=64), nullable=True),
        sa.Column("submitted_by", sa.String(length=64), nullable=False),
        sa.Column("assisted_by", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("handling_type", sa.String(length=2), nullable=False),
        sa.Column("legal_limit_days", sa.Integer(), nullable=True),
        sa.Column("promised_limit_days", sa.Integer(), nullable=True),
        sa.Column("limit_unit", sa.String(length=12), nullable=False),
        sa.Column("deficiency_allowed", sa.Boolean(), nullable=False),
        sa.Column("form", sa.JSON(), nullable=False),
        sa.Column("conditions", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notice_due_on", sa.Date(), nullable=False),
        sa.Column("resubmissions", sa.Integer(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_by", sa.String(length=64), nullable=True),
        sa.Column("acceptance_no", sa.String(length=40), nullable=True),
        sa.Column("deemed_accepted", sa.Boolean(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("paused_working_days", sa.Integer(), nullable=False),
        sa.Column("extension_days", sa.Integer(), nullable=False),
        sa.Column("extension_reason", sa.Text(), nullable=True),
        sa.Column("deficiency_deadline", sa.Date(), nullable=True),
        sa.Column("deficiencies", sa.JSON(), nullable=False),
        sa.Column("handed_over_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decision", sa.String(length=12), nullable=True),
        sa.Column("decision_reasons", sa.Text(), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_by", sa.String(length=64), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("delivery_mode", sa.String(length=12), nullable=True),
        sa.Column("delivery", sa.JSON(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.Column("overdue_flagged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_reason", sa.Text(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
        sa.UniqueConstraint("acceptance_no", name=op.f("uq_applications_acceptance_no")),
        sa.UniqueConstraint("application_no", name=op.f("uq_applications_application_no")),
    )
    op.create_index(op.f("ix_applications_applicant_id"), "applications", ["applicant_id"], unique=False)
    op.create_index(op.f("ix_applications_enterprise_id"), "applications", ["enterprise_id"], unique=False)
    op.create_index(
        op.f("ix_applications_intake_unit_code"), "applications", ["intake_unit_code"], unique=False
    )
    op.create_index(op.f("ix_applications_item_code"), "applications", ["item_code"], unique=False)
    op.create_index(
        "ix_applications_owner_status", "applications", ["owner_unit_code", "status"], unique=False
    )
    op.create_index(op.f("ix_applications_status"), "applications", ["status"], unique=False)
    op.create_index("ix_applications_status_due", "applications", ["status", "due_on"], unique=False)
    op.create_table(
        "catalogue_items",
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("item_id", sa.String(length=36), nullable=False),
        sa.Column("basic_code", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("owner_unit_code", sa.String(length=64), nullable=False),
        sa.Column("owner_unit_name", sa.String(length=200), nullable=False),
        sa.Column("current_version_no", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_catalogue_items")),
    )
    op.create_index(
        op.f("ix_catalogue_items_owner_unit_code"), "catalogue_items", ["owner_unit_code"], unique=False
    )
    op.create_table(
        "catalogue_versions",
        sa.Column("item_code", sa.String(length=50), nullable=False),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("owner_unit_code", sa.String(length=64), nullable=False),
        sa.Column("owner_unit_name", sa.String(length=200), nullable=False),
        sa.Column("elements", sa.JSON(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("item_code", "version_no", name=op.f("pk_catalogue_versions")),
    )
    op.create_table(
        "entrustments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("entrusting_unit_code", sa.String(length=64), nullable=False),
        sa.Column("entrusted_unit_code", sa.String(length=64), nullable=False),
        sa.Column("item_codes", sa.JSON(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entrustments")),
    )
    op.create_index(
        op.f("ix_entrustments_entrusted_unit_code"), "entrustments", ["entrusted_unit_code"], unique=False
    )
    op.create_index(
        op.f("ix_entrustments_entrusting_unit_code"), "entrustments", ["entrusting_unit_code"], unique=False
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("principal", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("application_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("principal", "key", name=op.f("pk_idempotency_keys")),
    )
    op.create_table(
        "number_sequences",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_number_sequences")),
    )
    op.create_table(
        "org_units",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.String(length=36), nullable=True),
        sa.Column("uscc", sa.String(length=18), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_units")),
        sa.UniqueConstraint("code", name=op.f("uq_org_units_code")),
    )
    op.create_table(
        "stored_files",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_files")),
    )
    op.create_index(op.f("ix_stored_files_owner"), "stored_files", ["owner"], unique=False)
    op.create_table(
        "application_materials",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("application_id", sa.String(length=36), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("provided_as", sa.String(length=12), nullable=False),
        sa.Column("media", sa.JSON(), nullable=False),
        sa.Column("originals", sa.Integer(), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.String(length=36), nullable=True),
        sa.Column("licence_no", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_application_materials_application_id_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["file_id"], ["stored_files.id"], name=op.f("fk_application_materials_file_id_stored_files")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_materials")),
    )
    op.create_index(
        op.f("ix_application_materials_application_id"),
        "application_materials",
        ["application_id"],
        unique=False,
    )
    op.create_table(
        "clock_pauses",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("application_id", sa.String(length=36), nullable=False),
        sa.Column("procedure", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("expected_end_on", sa.Date(), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("paused_working_days", sa.Integer(), nullable=True),
        sa.Column("started_by", sa.String(length=64), nullable=False),
        sa.Column("ended_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_clock_pauses_application_id_applications")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clock_pauses")),
    )
    op.create_index(op.f("ix_clock_pauses_application_id"), "clock_pauses", ["application_id"], unique=False)
    op.create_table(
        "decision_steps",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("application_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("actor_unit_code", sa.String(length=64), nullable=True),
        sa.Column("opinion", sa.Text(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_decision_steps_application_id_applications"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_steps")),
    )
    op.create_index(
        op.f("ix_decision_steps_application_id"), "decision_steps", ["application_id"], unique=False
    )
    op.create_table(
        "notices",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("application_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by", sa.String(length=64), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_notices_application_id_applications")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
        sa.UniqueConstraint("number", name=op.f("uq_notices_number")),
    )
    op.create_index(op.f("ix_notices_application_id"), "notices", ["application_id"], unique=False)
    op.create_table(
        "trace_entries",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("application_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_trace_entries_application_id_applications")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trace_entries")),
        sa.UniqueConstraint("application_id", "seq", name=op.f("uq_trace_entries_application_id_seq")),
    )


def downgrade() -> None:

    op.drop_table("trace_entries")
    op.drop_index(op.f("ix_notices_application_id"), table_name="notices")
    op.drop_table("notices")
    op.drop_index(op.f("ix_decision_steps_application_id"), table_name="decision_steps")
    op.drop_table("decision_steps")
    op.drop_index(op.f("ix_clock_pauses_application_id"), table_name="clock_pauses")
    op.drop_table("clock_pauses")
    op.drop_index(op.f("ix_application_materials_application_id"), table_name="application_materials")
    op.drop_table("application_materials")
    op.drop_index(op.f("ix_stored_files_owner"), table_name="stored_files")
    op.drop_table("stored_files")
    op.drop_table("org_units")
    op.drop_table("number_sequences")
    op.drop_table("idempotency_keys")
    op.drop_index(op.f("ix_entrustments_entrusting_unit_code"), table_name="entrustments")
    op.drop_index(op.f("ix_entrustments_entrusted_unit_code"), table_name="entrustments")
    op.drop_table("entrustments")
    op.drop_table("catalogue_versions")
    op.drop_index(op.f("ix_catalogue_items_owner_unit_code"), table_name="catalogue_items")
    op.drop_table("catalogue_items")
    op.drop_index("ix_applications_status_due", table_name="applications")
    op.drop_index(op.f("ix_applications_status"), table_name="applications")
    op.drop_index("ix_applications_owner_status", table_name="applications")
    op.drop_index(op.f("ix_applications_item_code"), table_name="applications")
    op.drop_index(op.f("ix_applications_intake_unit_code"), table_name="applications")
    op.drop_index(op.f("ix_applications_enterprise_id"), table_name="applications")
    op.drop_index(op.f("ix_applications_applicant_id"), table_name="applications")
    op.drop_table("applications")
