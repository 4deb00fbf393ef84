"""hotline's read models (org units, categories, time-limit and dispatch rules, the calendar) get a
version row each, moved on by triggers, which the cache checks per unit of work; categories were
fingerprinted by max(code), so a renamed category went unseen (issue 19).

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
