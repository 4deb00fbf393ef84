"""The versions of intake's five read-model tables (org units, calendar, staff, service places,
catalogue items), kept by their triggers: the read-model cache reads five rows per unit of work
instead of counting and scanning the tables (issue 19; `yiwang_shared.tables`).

Revision ID: intake_0014
Revises: intake_0013
Create Date: 2026-12-04 21:00:00
"""

from collections.abc import Sequence

from alembic import op

from yiwang_shared.tables import create_read_model_versions_v1, drop_read_model_versions_v1

revision: str = "intake_0014"
down_revision: str | None = "intake_0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The tables of the service's read models (services/read_models.py).
TABLES = ["org_units", "calendar_days", "staff_members", "service_places", "catalogue_items"]


def upgrade() -> None:
    create_read_model_versions_v1(op, TABLES)


def downgrade() -> None:
    drop_read_model_versions_v1(op, TABLES)
