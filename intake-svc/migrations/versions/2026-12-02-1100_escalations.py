"""催办 and 督办: the staff read model (`staff_members`, from identity.staff.changed.v1), the
reminders and escalations raised on cases (`case_escalations`) and the people they name
(`case_escalation_recipients`).

Revision ID: intake_0007
Revises: intake_0006
Create Date: 2026-12-02 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "intake_0007"
down_revision: str | None = "intake_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff_members",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("org_unit_id", sa.String(length=36), nullable=True),
        sa.Column("org_unit_code", sa.String(length=64), nullable=True),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_members")),
    )
    op.create_index("ix_staff_members_unit_status", "staff_members", ["org_unit_code", "status"])
    op.create_table(
        "case_escalations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("application_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("cycle", sa.String(length=40), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("working_days", sa.Integer(), nullable=False),
        sa.Column("fallback", sa.Boolean(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_case_escalations_application_id_applications"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_escalations")),
        sa.UniqueConstraint(
            "application_id", "kind", "cycle", name=op.f("uq_case_escalations_application_id_kind_cycle")
        ),
    )
    op.create_index(op.f("ix_case_escalations_application_id"), "case_escalations", ["application_id"])
    op.create_index(op.f("ix_case_escalations_raised_at"), "case_escalations", ["raised_at"])
    op.create_table(
        "case_escalation_recipients",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("escalation_id", sa.String(length=36), nullable=False),
        sa.Column("staff_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column("org_unit_code", sa.String(length=64), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["escalation_id"],
            ["case_escalations.id"],
            name=op.f("fk_case_escalation_recipients_escalation_id_case_escalations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_escalation_recipients")),
        sa.UniqueConstraint(
            "escalation_id", "staff_id", name=op.f("uq_case_escalation_recipients_escalation_id_staff_id")
        ),
    )
    op.create_index(
        op.f("ix_case_escalation_recipients_escalation_id"), "case_escalation_recipients", ["escalation_id"]
    )
    op.create_index(
        "ix_case_escalation_recipients_staff", "case_escalation_recipients", ["staff_id", "escalation_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_case_escalation_recipients_staff", table_name="case_escalation_recipients")
    op.drop_index(
        op.f("ix_case_escalation_recipients_escalation_id"), table_name="case_escalation_recipients"
    )
    op.drop_table("case_escalation_recipients")
    op.drop_index(op.f("ix_case_escalations_raised_at"), table_name="case_escalations")
    op.drop_index(op.f("ix_case_escalations_application_id"), table_name="case_escalations")
    op.drop_table("case_escalations")
    op.drop_index("ix_staff_members_unit_status", table_name="staff_members")
    op.drop_table("staff_members")
