"""Indexes in the lists' order (issue 19): each list of applications, escalations and messages walks
an index in its ORDER BY (newest first, then id; per status, kind or unit where it filters on one)
and stops after its page, instead of sorting every match; the open cases by due date (a partial
index: the supervision board and its colours, which are due-date ranges); who submitted a case
(a citizen's own cases are those they applied for or submitted); the cases counted on a
provisional calendar (the background recount reads them, not every case).

Revision ID: intake_0012
Revises: intake_0011
Create Date: 2026-12-04 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "intake_0012"
down_revision: str | None = "intake_0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: `models.applications.OPEN_STATUS_SQL`, as of this revision.
OPEN_STATUS_SQL = "coalesce(status, '') IN ('accepted', 'under_review', 'suspended')"

#: (table, index, columns). Walked backwards, each gives its list's newest first; the ties on
#: the time are few and sorted by id as they come (SQLite's and PostgreSQL's partial sorts).
INDEXES = (
    ("applications", "ix_applications_received", ("received_at",)),
    ("applications", "ix_applications_status_received", ("status", "received_at")),
    ("applications", "ix_applications_submitted_by", ("submitted_by",)),
    ("applications", "ix_applications_provisional_deadline", ("provisional_deadline",)),
    ("case_escalations", "ix_case_escalations_kind_order", ("kind", "raised_at", "level")),
    ("case_escalations", "ix_case_escalations_unit_order", ("unit_code", "raised_at", "level")),
    ("notification_messages", "ix_notification_messages_created", ("created_at",)),
    ("notification_messages", "ix_notification_messages_kind_created", ("kind", "created_at")),
)


def upgrade() -> None:
    for table, name, columns in INDEXES:
        op.create_index(name, table, list(columns))
    op.create_index(
        "ix_applications_open_due",
        "applications",
        ["due_on", "id"],
        sqlite_where=sa.text(OPEN_STATUS_SQL),
        postgresql_where=sa.text(OPEN_STATUS_SQL),
    )


def downgrade() -> None:
    op.drop_index("ix_applications_open_due", table_name="applications")
    for table, name, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
