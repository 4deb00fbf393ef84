"""The service hall queue (排队叫号, 限时等候): hall configuration (`queue_halls`,
`queue_categories`, `queue_windows`), the day's number counters and the tickets.

Revision ID: intake_0010
Revises: intake_0009
Create Date: 2026-12-03 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "intake_0010"
down_revision: str | None = "intake_0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "queue_halls",
        sa.Column("place_id", sa.String(36), nullable=False),
        sa.Column("wait_limit_minutes", sa.Integer(), nullable=False),
        sa.Column("max_waiting", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _ts("updated_at"),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.CheckConstraint("wait_limit_minutes > 0", name="ck_queue_halls_wait_limit_positive"),
        sa.CheckConstraint("max_waiting > 0", name="ck_queue_halls_max_waiting_positive"),
        sa.ForeignKeyConstraint(
            ["place_id"],
            ["service_places.id"],
            name="fk_queue_halls_place_id_service_places",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("place_id", name="pk_queue_halls"),
    )
    op.create_table(
        "queue_categories",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("place_id", sa.String(36), nullable=False),
        sa.Column("code", sa.String(1), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("item_codes", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["place_id"],
            ["queue_halls.place_id"],
            name="fk_queue_categories_place_id_queue_halls",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_queue_categories"),
        sa.UniqueConstraint("place_id", "code", name="uq_queue_categories_place_id_code"),
    )
    op.create_table(
        "queue_windows",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("place_id", sa.String(36), nullable=False),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.Column("number", sa.String(10), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("category_codes", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["place_id"],
            ["queue_halls.place_id"],
            name="fk_queue_windows_place_id_queue_halls",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_queue_windows"),
        sa.UniqueConstraint("unit_code", name="uq_queue_windows_unit_code"),
    )
    op.create_table(
        "queue_counters",
        sa.Column("place_id", sa.String(36), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("category_code", sa.String(1), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("place_id", "day", "category_code", name="pk_queue_counters"),
    )
    op.create_table(
        "queue_tickets",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("place_id", sa.String(36), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("category_code", sa.String(1), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("ticket_no", sa.String(10), nullable=False),
        sa.Column("item_code", sa.String(50), nullable=True),
        sa.Column("item_name", sa.String(300), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(12), nullable=False),
        sa.Column("appointment_id", sa.String(36), nullable=True),
        sa.Column("person_id", sa.String(64), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("wait_limit_minutes", sa.Integer(), nullable=False),
        _ts("taken_at"),
        sa.Column("window_id", sa.String(36), nullable=True),
        sa.Column("window_number", sa.String(10), nullable=True),
        sa.Column("window_name", sa.String(100), nullable=True),
        sa.Column("called_by", sa.String(64), nullable=True),
        _ts("called_at", nullable=True),
        _ts("last_called_at", nullable=True),
        sa.Column("call_count", sa.Integer(), nullable=False),
        sa.Column("wait_seconds", sa.Integer(), nullable=True),
        _ts("serving_at", nullable=True),
        _ts("finished_at", nullable=True),
        sa.Column("service_seconds", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["place_id"], ["service_places.id"], name="fk_queue_tickets_place_id_service_places"
        ),
        sa.ForeignKeyConstraint(
            ["appointment_id"], ["appointments.id"], name="fk_queue_tickets_appointment_id_appointments"
        ),
        sa.ForeignKeyConstraint(
            ["window_id"], ["queue_windows.id"], name="fk_queue_tickets_window_id_queue_windows"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_queue_tickets"),
        sa.UniqueConstraint("appointment_id", name="uq_queue_tickets_appointment_id"),
        sa.UniqueConstraint("place_id", "day", "ticket_no", name="uq_queue_tickets_place_id_day_ticket_no"),
    )
    op.create_index(
        "ix_queue_tickets_waiting",
        "queue_tickets",
        ["place_id", "day", "status", "priority", "taken_at"],
        unique=False,
    )
    op.create_index("ix_queue_tickets_window", "queue_tickets", ["window_id", "status"], unique=False)
    op.create_index("ix_queue_tickets_taken", "queue_tickets", ["place_id", "taken_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_queue_tickets_taken", table_name="queue_tickets")
    op.drop_index("ix_queue_tickets_window", table_name="queue_tickets")
    op.drop_index("ix_queue_tickets_waiting", table_name="queue_tickets")
    op.drop_table("queue_tickets")
    op.drop_table("queue_counters")
    op.drop_table("queue_windows")
    op.drop_table("queue_categories")
    op.drop_table("queue_halls")
