"""Issue 14: visits counted where they happen, one 响应率, guide views that cannot be gamed.

- `service_events.visits`: the 跑动次数 counted for an application (at completion, then its total
  once delivered), so a window pickup after completion adds its visit to the same counters.
- `hotline_responses`: read model of hotline's response obligations (ticket, round → unit,
  deadline, response): 响应率 is judged at read time by the rule hotline-svc uses, so both give one
  figure. The `response_due` and `responded_on_time` counters it replaces are deleted (they counted
  a response as due at dispatch); `python -m evaluation.services.rebuild --repair` refills the read model
  from the HOTLINE stream on a database that had them.
- `guide_view_marks`: one counted view per client (account, or a keyed hash of the address) and
  item per day.

Revision ID: evaluation_0004
Revises: evaluation_0003
Create Date: 2026-11-24 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "evaluation_0004"
down_revision: str | None = "evaluation_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Counters the dispatch-time rule kept; 响应率 is now read from `hotline_responses`.
RETIRED_COUNTERS = ("response_due", "responded_on_time")


def upgrade() -> None:
    op.add_column("service_events", sa.Column("visits", sa.Integer(), nullable=True))
    op.create_table(
        "hotline_responses",
        sa.Column("ticket_id", sa.String(64), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("ticket_id", "round", name="pk_hotline_responses"),
    )
    op.create_index("ix_hotline_responses_due", "hotline_responses", ["due_at", "unit_code"])
    op.create_table(
        "guide_view_marks",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("item_code", sa.String(50), nullable=False),
        sa.PrimaryKeyConstraint("day", "client", "item_code", name="pk_guide_view_marks"),
    )
    counters = sa.table("indicator_counters", sa.column("name", sa.String))
    op.execute(counters.delete().where(counters.c.name.in_(RETIRED_COUNTERS)))


def downgrade() -> None:
    # The deleted counters are not recreated: the rule that kept them is the one issue 14 removed.
    op.drop_table("guide_view_marks")
    op.drop_index("ix_hotline_responses_due", table_name="hotline_responses")
    op.drop_table("hotline_responses")
    with op.batch_alter_table("service_events") as batch:
        batch.drop_column("visits")
