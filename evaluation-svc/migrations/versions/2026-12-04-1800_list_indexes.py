"""Issue 19: lists and rankings that cost the same at ten thousand rows and at a million.

- `ix_service_events_source_id`: the service events of one application, ticket or visit (the
  unique key leads with the kind, so a look-up by source alone read the whole table).
- `ix_ratings_held_month`: the ratings a burst flag holds in a month, which the rankings subtract
  (they are few; without it the rankings read every rating).
- `ix_bad_review_cases_opened`, `…_status_opened`, `…_overdue_opened`: the bad-review list's order
  (newest first, id breaking ties), alone, within a status, overdue or not, so a page stops at
  its limit.
- `ix_hotline_responses_due` gains `responded_at`: 响应率 counts a month's response obligations at
  read time, now from the index alone (an index-only scan), without visiting the table's rows.

Revision ID: evaluation_0008
Revises: evaluation_0007
Create Date: 2026-12-04 18:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "evaluation_0008"
down_revision: str | None = "evaluation_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_service_events_source_id", "service_events", ["source_id"])
    op.create_index("ix_ratings_held_month", "ratings", ["held", "month"])
    op.create_index("ix_bad_review_cases_opened", "bad_review_cases", ["opened_at", "id"])
    op.create_index("ix_bad_review_cases_status_opened", "bad_review_cases", ["status", "opened_at", "id"])
    op.create_index("ix_bad_review_cases_overdue_opened", "bad_review_cases", ["overdue", "opened_at", "id"])
    op.drop_index("ix_hotline_responses_due", table_name="hotline_responses")
    op.create_index("ix_hotline_responses_due", "hotline_responses", ["due_at", "unit_code", "responded_at"])


def downgrade() -> None:
    op.drop_index("ix_hotline_responses_due", table_name="hotline_responses")
    op.create_index("ix_hotline_responses_due", "hotline_responses", ["due_at", "unit_code"])
    op.drop_index("ix_bad_review_cases_overdue_opened", table_name="bad_review_cases")
    op.drop_index("ix_bad_review_cases_status_opened", table_name="bad_review_cases")
    op.drop_index("ix_bad_review_cases_opened", table_name="bad_review_cases")
    op.drop_index("ix_ratings_held_month", table_name="ratings")
    op.drop_index("ix_service_events_source_id", table_name="service_events")
