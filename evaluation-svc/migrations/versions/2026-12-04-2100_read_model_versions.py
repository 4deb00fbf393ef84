"""Version rows for evaluation's two read models, the org tree and the calendar (issue 19).

Revision ID: evaluation_0010
Revises: evaluation_0009
Create Date: 2026-12-04 21:00:00
"""

from collections.abc import Sequence

from alembic import op

from yiwang_shared.tables import create_read_model_versions_v1, drop_read_model_versions_v1

revision: str = "evaluation_0010"
down_revision: str | None = "evaluation_0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The tables of the service's read models (services/read_models.py).
TABLES = ["org_units", "calendar_days"]


def upgrade() -> None:
    create_read_model_versions_v1(op, TABLES)


def downgrade() -> None:
    drop_read_model_versions_v1(op, TABLES)
