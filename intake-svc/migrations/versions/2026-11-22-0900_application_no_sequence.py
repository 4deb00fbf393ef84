"""PostgreSQL: application numbers from a sequence (`application_no_seq`), started above every
application counter already used, so concurrent submissions no longer queue on a counter row.
SQLite keeps the counter row (one writer at a time anyway).

Revision ID: intake_0005
Revises: intake_0004
Create Date: 2026-11-22 09:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "intake_0005"
down_revision: str | None = "intake_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE SEQUENCE application_no_seq START WITH 1 MINVALUE 1")
    op.execute(
        "SELECT setval('application_no_seq', MAX(value)) FROM number_sequences "
        "WHERE name LIKE 'application-%' HAVING MAX(value) > 0"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP SEQUENCE IF EXISTS application_no_seq")
