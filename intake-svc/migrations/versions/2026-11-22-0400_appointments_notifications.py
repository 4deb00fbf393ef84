"""Appointments and the notification outbox.

Revision ID: intake_0002
Revises: intake_0001
Create Date: 2026-11-22 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "intake_0002"
down_revision: str | None = "intake_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "service_places",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("code", sa.String(50), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("org_unit_code", sa.String(50), nullable=False),
        sa.Column("address", sa.String(300), nullable=False),
        sa.Column("phone", sa.String(30), nullable=True),
        sa.Column("hours", sa.JSON(), nullable=False),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_service_places"),
        sa.UniqueConstraint("code", name="uq_service_places_code"),
    )
    op.create_index("ix_service_places_org_unit_code", "service_places", ["org_unit_code"], unique=False)
    op.create_table(
        "appointment_slots",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("place_id", sa.String(36), nullable=False),
        sa.Column("item_code", sa.String(50), nullable=False),
        sa.Column("item_name", sa.String(300), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        _ts("starts_at"),
        _ts("ends_at"),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("booked", sa.Integer(), nullable=False),
        _ts("created_at"),
        sa.CheckConstraint(
            "booked >= 0 AND booked <= capacity",
            name="ck_appointment_slots_booked_within_capacity",
        ),
        sa.CheckConstraint("capacity >= 0", name="ck_appointment_slots_capacity_not_negative"),
        sa.ForeignKeyConstraint(
            ["place_id"],
            ["service_places.id"],
            name="fk_appointment_slots_place_id_service_places",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_appointment_slots"),
        sa.UniqueConstraint(
            "place_id",
            "item_code",
            "starts_at",
            name="uq_appointment_slots_place_id_item_code_starts_at",
        ),
    )
    op.create_index("ix_appointment_slots_place_day", "appointment_slots", ["place_id", "day"], unique=False)
    op.create_table(
        "appointments",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("booking_no", sa.String(30), nullable=False),
        sa.Column("slot_id", sa.String(36), nullable=False),
        sa.Column("place_id", sa.String(36), nullable=False),
        sa.Column("item_code", sa.String(50), nullable=False),
        sa.Column("item_name", sa.String(300), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        _ts("starts_at"),
        _ts("ends_at"),
        sa.Column("person_id", sa.String(64), nullable=False),
        sa.Column("person_name", sa.String(100), nullable=True),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("booked_by", sa.String(64), nullable=False),
        sa.Column("booked_by_unit", sa.String(50), nullable=True),
        _ts("created_at"),
        _ts("cancelled_at", nullable=True),
        sa.Column("cancelled_by", sa.String(64), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        _ts("reminded_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["place_id"], ["service_places.id"], name="fk_appointments_place_id_service_places"
        ),
        sa.ForeignKeyConstraint(
            ["slot_id"], ["appointment_slots.id"], name="fk_appointments_slot_id_appointment_slots"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_appointments"),
        sa.UniqueConstraint("booking_no", name="uq_appointments_booking_no"),
    )
    op.create_index("ix_appointments_slot_id", "appointments", ["slot_id"], unique=False)
    op.create_index("ix_appointments_person", "appointments", ["person_id", "starts_at"], unique=False)
    op.create_index("ix_appointments_place_day", "appointments", ["place_id", "day"], unique=False)
    op.create_index(
        "uq_appointments_person_live_start",
        "appointments",
        ["person_id", "starts_at"],
        unique=True,
        sqlite_where=sa.text("status = 'booked'"),
        postgresql_where=sa.text("status = 'booked'"),
    )
    op.create_table(
        "notification_messages",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("phone", sa.String(20), nullable=True),
        sa.Column("person_id", sa.String(64), nullable=True),
        sa.Column("application_id", sa.String(36), nullable=True),
        sa.Column("appointment_id", sa.String(36), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _ts("next_attempt_at"),
        sa.Column("claimed_by", sa.String(36), nullable=True),
        _ts("lease_until", nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        _ts("created_at"),
        _ts("sent_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_notification_messages"),
    )
    op.create_index(
        "ix_notification_messages_due",
        "notification_messages",
        ["status", "next_attempt_at"],
        unique=False,
    )
    op.create_index(
        "ix_notification_messages_person",
        "notification_messages",
        ["person_id", "created_at"],
        unique=False,
    )
    op.create_index(
        "ix_notification_messages_application_id",
        "notification_messages",
        ["application_id"],
        unique=False,
    )
    op.create_index(
        "ix_notification_messages_appointment_id",
        "notification_messages",
        ["appointment_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_notification_messages_appointment_id", table_name="notification_messages")
    op.drop_index("ix_notification_messages_application_id", table_name="notification_messages")
    op.drop_index("ix_notification_messages_person", table_name="notification_messages")
    op.drop_index("ix_notification_messages_due", table_name="notification_messages")
    op.drop_table("notification_messages")
    op.drop_index("uq_appointments_person_live_start", table_name="appointments")
    op.drop_index("ix_appointments_place_day", table_name="appointments")
    op.drop_index("ix_appointments_person", table_name="appointments")
    op.drop_index("ix_appointments_slot_id", table_name="appointments")
    op.drop_table("appointments")
    op.drop_index("ix_appointment_slots_place_day", table_name="appointment_slots")
    op.drop_table("appointment_slots")
    op.drop_index("ix_service_places_org_unit_code", table_name="service_places")
    op.drop_table("service_places")
