"""Whose cases staff see, by index (issue 19): a staff member sees the cases of their unit and of
the units under it by four unit columns (receiving window, accepting unit, deciding unit, the
centre a station handed a case to) and the cases they assisted. Each is now an IN list of unit
codes from the org read model, served by an index that leads with the column and holds the status
and the lists' order: a count per column (and per status) reads that index alone. They replace
the single-column indexes on the receiving window and the station hand-over and the deciding
unit's (unit, status) index, which they begin with.

Revision ID: intake_0013
Revises: intake_0012
Create Date: 2026-12-04 19:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "intake_0013"
down_revision: str | None = "intake_0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("intake_unit_code", "accepting_unit_code", "owner_unit_code", "forwarded_to_unit_code", "assisted_by")
#: (index, columns) the new ones replace.
REPLACED = (
    ("ix_applications_intake_unit_code", ("intake_unit_code",)),
    ("ix_applications_forwarded_to_unit_code", ("forwarded_to_unit_code",)),
    ("ix_applications_owner_status", ("owner_unit_code", "status")),
)


def upgrade() -> None:
    for column in COLUMNS:
        op.create_index(
            f"ix_applications_{column}_seen", "applications", [column, "status", "received_at", "id"]
        )
    for name, _ in REPLACED:
        op.drop_index(name, table_name="applications")


def downgrade() -> None:
    for name, columns in REPLACED:
        op.create_index(name, "applications", list(columns))
    for column in reversed(COLUMNS):
        op.drop_index(f"ix_applications_{column}_seen", table_name="applications")
