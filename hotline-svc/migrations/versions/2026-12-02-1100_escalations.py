"""催办 and 督办: the staff read model (`staff_members`, from identity.staff.changed.v1), escalation
rules (`escalation_rules`) with the default ones, the reminders and escalations raised on tickets
(`ticket_escalations`) and the people they name (`ticket_escalation_recipients`).

The defaults, per ticket state (DIGIT escalates by state after an SLA; these also say whom):
- 响应催办: dispatched and not yet contacted, three quarters of the response limit gone → the handler;
- 办理催办: dispatched or in progress, four fifths of the time limit gone → the handler;
- 响应超时督办: dispatched and the response limit passed → the lead unit's supervisor;
- 超期督办（承办单位）: not replied by the deadline → the lead unit's supervisor;
- 超期升级（区级督办）: still not replied 24 hours after it → the district office.

Revision ID: hotline_0003
Revises: hotline_0002
Create Date: 2026-12-02 11:00:00
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "hotline_0003"
down_revision: str | None = "hotline_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (key, name, kind, basis, statuses, after_share, plus_hours, target)
DEFAULT_RULES = [
    ("response-remind", "响应催办", "reminder", "response", ["dispatched"], 0.75, 0.0, "handler"),
    ("reply-remind", "办理催办", "reminder", "reply", ["dispatched", "in_progress"], 0.8, 0.0, "handler"),
    (
        "response-overdue",
        "响应超时督办",
        "escalation",
        "response",
        ["dispatched"],
        1.0,
        0.0,
        "unit_supervisor",
    ),
    (
        "reply-overdue",
        "超期督办（承办单位）",
        "escalation",
        "reply",
        ["dispatched", "in_progress"],
        1.0,
        0.0,
        "unit_supervisor",
    ),
    (
        "reply-overdue-district",
        "超期升级（区级督办）",
        "escalation",
        "reply",
        ["dispatched", "returned", "in_progress"],
        1.0,
        24.0,
        "district_office",
    ),
]


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
        "escalation_rules",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("basis", sa.String(length=12), nullable=False),
        sa.Column("statuses", sa.JSON(), nullable=False),
        sa.Column("after_share", sa.Float(), nullable=False),
        sa.Column("plus_hours", sa.Float(), nullable=False),
        sa.Column("target", sa.String(length=20), nullable=False),
        sa.Column("target_unit_code", sa.String(length=64), nullable=True),
        sa.Column("target_staff_id", sa.String(length=64), nullable=True),
        sa.Column("request_type", sa.String(length=20), nullable=True),
        sa.Column("category_code", sa.String(length=40), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalation_rules")),
    )
    op.create_table(
        "ticket_escalations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("rule_id", sa.String(length=36), nullable=False),
        sa.Column("rule_name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=20), nullable=False),
        sa.Column("basis", sa.String(length=12), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("cycle", sa.String(length=60), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=True),
        sa.Column("fallback", sa.Boolean(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_ticket_escalations_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_escalations")),
        sa.UniqueConstraint(
            "ticket_id", "rule_id", "cycle", name=op.f("uq_ticket_escalations_ticket_id_rule_id_cycle")
        ),
    )
    op.create_index(op.f("ix_ticket_escalations_ticket_id"), "ticket_escalations", ["ticket_id"])
    op.create_index(op.f("ix_ticket_escalations_raised_at"), "ticket_escalations", ["raised_at"])
    op.create_table(
        "ticket_escalation_recipients",
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
            ["ticket_escalations.id"],
            name=op.f("fk_ticket_escalation_recipients_escalation_id_ticket_escalations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_escalation_recipients")),
        sa.UniqueConstraint(
            "escalation_id", "staff_id", name=op.f("uq_ticket_escalation_recipients_escalation_id_staff_id")
        ),
    )
    op.create_index(
        op.f("ix_ticket_escalation_recipients_escalation_id"),
        "ticket_escalation_recipients",
        ["escalation_id"],
    )
    op.create_index(
        "ix_ticket_escalation_recipients_staff", "ticket_escalation_recipients", ["staff_id", "escalation_id"]
    )
    _seed_defaults()


def _seed_defaults() -> None:
    now = datetime.now(UTC)
    rules = sa.table(
        "escalation_rules",
        sa.column("id", sa.String),
        sa.column("name", sa.String),
        sa.column("kind", sa.String),
        sa.column("basis", sa.String),
        sa.column("statuses", sa.JSON),
        sa.column("after_share", sa.Float),
        sa.column("plus_hours", sa.Float),
        sa.column("target", sa.String),
        sa.column("active", sa.Boolean),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("updated_by", sa.String),
    )
    op.bulk_insert(
        rules,
        [
            {
                # Stable ids: every database seeded alike names its default rules the same.
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"yiwang:hotline:escalation-rule:{key}")),
                "name": name,
                "kind": kind,
                "basis": basis,
                "statuses": statuses,
                "after_share": share,
                "plus_hours": hours,
                "target": target,
                "active": True,
                "created_at": now,
                "updated_at": now,
                "updated_by": "system",
            }
            for key, name, kind, basis, statuses, share, hours, target in DEFAULT_RULES
        ],
    )


def downgrade() -> None:
    op.drop_index("ix_ticket_escalation_recipients_staff", table_name="ticket_escalation_recipients")
    op.drop_index(
        op.f("ix_ticket_escalation_recipients_escalation_id"), table_name="ticket_escalation_recipients"
    )
    op.drop_table("ticket_escalation_recipients")
    op.drop_index(op.f("ix_ticket_escalations_raised_at"), table_name="ticket_escalations")
    op.drop_index(op.f("ix_ticket_escalations_ticket_id"), table_name="ticket_escalations")
    op.drop_table("ticket_escalations")
    op.drop_table("escalation_rules")
    op.drop_index("ix_staff_members_unit_status", table_name="staff_members")
    op.drop_table("staff_members")
