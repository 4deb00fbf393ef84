"""Demand history and forecasts (需求预判, issue 21 §5): `demand_days`, the applications received and
numbers taken per local day, hall and item (kept in the transaction that creates them), and
`demand_forecasts`, the daily pass's fitted forecasts per hall and item.

Revision ID: intake_0025
Revises: intake_0024
Create Date: 2026-12-05 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "intake_0025"
down_revision: str | None = "intake_0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "demand_days",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("unit_code", sa.String(64), primary_key=True),
        sa.Column("item_code", sa.String(64), primary_key=True),
        sa.Column("applications", sa.Integer(), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
    )
    op.create_index("ix_demand_days_unit_item_day", "demand_days", ["unit_code", "item_code", "day"])
    op.create_table(
        "demand_forecasts",
        sa.Column("unit_code", sa.String(64), primary_key=True),
        sa.Column("item_code", sa.String(64), primary_key=True),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("demand_forecasts")
    op.drop_index("ix_demand_days_unit_item_day", table_name="demand_days")
    op.drop_table("demand_days")
