"""Issue 19: 响应率 read from a rollup kept as data, not from a month's response obligations.

- `hotline_response_months`: per month of the deadline (Asia/Shanghai) and unit, the response
  obligations and those answered by their deadline. The consumer moves it with every change of an
  obligation; a unit's, the public and the report's figures read a row per unit and count only the
  obligations still awaiting their deadline (the current month's), so they cost the same however
  many tickets the month held.
- Backfilled here from `hotline_responses` in one statement per database. SQLite has no time
  zones: Beijing is UTC+8 for every deadline a ticket of this system can have (China dropped
  daylight saving in 1991).

Revision ID: evaluation_0009
Revises: evaluation_0008
Create Date: 2026-12-04 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "evaluation_0009"
down_revision: str | None = "evaluation_0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The month of a deadline in Beijing, per database.
MONTH_OF_DUE = {
    "postgresql": "to_char(due_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')",
    "sqlite": "strftime('%Y-%m', due_at, '+8 hours')",
}

BACKFILL = """
INSERT INTO hotline_response_months (month, unit_code, obligations, on_time)
SELECT {month}, unit_code, count(*),
       sum(CASE WHEN responded_at IS NOT NULL AND responded_at <= due_at THEN 1 ELSE 0 END)
FROM hotline_responses
GROUP BY {month}, unit_code
"""


def upgrade() -> None:
    op.create_table(
        "hotline_response_months",
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.Column("obligations", sa.BigInteger(), nullable=False),
        sa.Column("on_time", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("month", "unit_code", name="pk_hotline_response_months"),
    )
    month = MONTH_OF_DUE[op.get_bind().dialect.name]
    op.execute(BACKFILL.format(month=month))


def downgrade() -> None:
    op.drop_table("hotline_response_months")
