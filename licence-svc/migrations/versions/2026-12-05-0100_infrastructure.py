"""Infrastructure tables: outbox, processed events, calendar.

Revision ID: licence_0001
Revises:
Create Date: 2026-12-05 01:00:00
"""

from collections.abc import Sequence

from alembic import op

from yiwang_shared.tables import create_infra_tables_v1, drop_infra_tables_v1

revision: str = "licence_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_infra_tables_v1(op)


def downgrade() -> None:
    drop_infra_tables_v1(op)
