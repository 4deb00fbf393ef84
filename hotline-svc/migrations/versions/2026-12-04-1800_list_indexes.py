"""Indexes for lists that stay as fast with a million tickets as with ten thousand (issue 19).

Each list filter gets an index in the list's order (newest first), so a page walks it and stops;
the unit filter's second column and the caller's phone get plain ones; overdue tickets a partial
index; Open311's requests their channel's; Open311's updates the history's time; the rates and
rankings of a month covering indexes of the obligations and call-backs they count; the
escalation board its level and named unit.

Revision ID: hotline_0004
Revises: hotline_0003
Create Date: 2026-12-04 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "hotline_0004"
down_revision: str | None = "hotline_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (name, table, columns) of the plain indexes.
INDEXES = [
    ("ix_tickets_status_created", "tickets", ["status", "created_at"]),
    ("ix_tickets_type_created", "tickets", ["request_type", "created_at"]),
    ("ix_tickets_first_unit", "tickets", ["first_unit_code"]),
    ("ix_tickets_caller_phone", "tickets", ["caller_phone"]),
    ("ix_tickets_channel_created", "tickets", ["channel", "created_at"]),
    ("ix_ticket_history_at", "ticket_history", ["at", "action"]),
    ("ix_callbacks_at_counts", "callbacks", ["called_at", "unit_code", "resolved", "satisfaction"]),
    ("ix_response_dues_due_counts", "response_dues", ["due_at", "unit_code", "responded_at"]),
    ("ix_ticket_escalations_level_raised", "ticket_escalations", ["level", "raised_at"]),
    ("ix_ticket_escalations_unit_raised", "ticket_escalations", ["unit_code", "raised_at"]),
]
OVERDUE = sa.text("overdue_at IS NOT NULL")


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    op.create_index(
        "ix_tickets_overdue_created",
        "tickets",
        ["created_at"],
        sqlite_where=OVERDUE,
        postgresql_where=OVERDUE,
    )


def downgrade() -> None:
    op.drop_index("ix_tickets_overdue_created", table_name="tickets")
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
