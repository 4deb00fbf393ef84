"""Read models fingerprinted by a version per table (issue 19): `read_model_versions` holds a
counter for each read-model table, moved on by the table's own triggers whenever a statement
writes it, so a unit of work checks every read model by reading 5 rows instead of counting and
scanning each table (a cost that grew with the tables: 0.33 ms of SQLite's CPU per request on the
demo's sizes, against 0.005 ms).

Revision ID: hotline_0007
Revises: hotline_0006
Create Date: 2026-12-04 21:00:00
"""

from collections.abc import Sequence

from alembic import op

from yiwang_shared.tables import create_read_model_versions_v1, drop_read_model_versions_v1

revision: str = "hotline_0007"
down_revision: str | None = "hotline_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The tables of the service's read models (services/read_models.py).
TABLES = ["org_units", "categories", "time_limit_rules", "dispatch_rules", "calendar_days"]


def upgrade() -> None:
    create_read_model_versions_v1(op, TABLES)


def downgrade() -> None:
    drop_read_model_versions_v1(op, TABLES)
