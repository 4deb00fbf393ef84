"""Issue 15, point 2: ratings staff cannot forge or suppress.

- `ratings.by_code`, `superseded_at`: the served person's own rating supersedes a code rating of
  the same event, which stays (never deleted) but no longer counts; the one-rating-per-event rule
  becomes a unique index over the ratings in force.
- `rating_devices`: the rating pads (评价器) the evaluation office registers per window; a pad fetches
  the one-time code of its window's latest visit with its secret (only the hash is kept).
- `rating_flags`, `ratings.flag_id`, `ratings.held`: bursts of code ratings on one clerk's visits,
  held out of the rankings until the office clears them.

Revision ID: evaluation_0007
Revises: evaluation_0006
Create Date: 2026-12-03 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "evaluation_0007"
down_revision: str | None = "evaluation_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rating_devices",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("window_code", sa.String(64), nullable=False),
        sa.Column("label", sa.String(100), nullable=True),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("registered_by", sa.String(64), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_rating_devices"),
    )
    op.create_index("ix_rating_devices_window_code", "rating_devices", ["window_code"])
    op.create_table(
        "rating_flags",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("staff_id", sa.String(64), nullable=False),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(64), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_rating_flags"),
    )
    op.create_index("ix_rating_flags_staff_id", "rating_flags", ["staff_id"])
    with op.batch_alter_table("ratings") as batch:
        batch.add_column(sa.Column("by_code", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("flag_id", sa.String(36), nullable=True))
        batch.add_column(sa.Column("held", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.drop_constraint("uq_ratings_service_event_id", type_="unique")
        batch.create_foreign_key("fk_ratings_flag_id_rating_flags", "rating_flags", ["flag_id"], ["id"])
    with op.batch_alter_table("ratings") as batch:
        batch.alter_column("by_code", server_default=None)
        batch.alter_column("held", server_default=None)
    op.create_index("ix_ratings_service_event_id", "ratings", ["service_event_id"])
    op.create_index("ix_ratings_flag_id", "ratings", ["flag_id"])
    op.create_index("ix_ratings_staff_submitted", "ratings", ["staff_id", "submitted_at"])
    op.create_index(
        "uq_ratings_current_event",
        "ratings",
        ["service_event_id"],
        unique=True,
        sqlite_where=sa.text("superseded_at IS NULL"),
        postgresql_where=sa.text("superseded_at IS NULL"),
    )


def downgrade() -> None:
    # A superseded rating has a second rating of its event: the old unique rule cannot come back
    # while one exists, so those are dropped first (their replacements stay).
    ratings = sa.table("ratings", sa.column("id", sa.String), sa.column("superseded_at", sa.DateTime))
    cases = sa.table("bad_review_cases", sa.column("id", sa.String), sa.column("rating_id", sa.String))
    steps = sa.table("case_steps", sa.column("case_id", sa.String))
    gone = sa.select(ratings.c.id).where(ratings.c.superseded_at.is_not(None))
    gone_cases = sa.select(cases.c.id).where(cases.c.rating_id.in_(gone))
    op.execute(steps.delete().where(steps.c.case_id.in_(gone_cases)))
    op.execute(cases.delete().where(cases.c.rating_id.in_(gone)))
    op.execute(ratings.delete().where(ratings.c.superseded_at.is_not(None)))
    op.drop_index("uq_ratings_current_event", table_name="ratings")
    op.drop_index("ix_ratings_staff_submitted", table_name="ratings")
    op.drop_index("ix_ratings_flag_id", table_name="ratings")
    op.drop_index("ix_ratings_service_event_id", table_name="ratings")
    with op.batch_alter_table("ratings") as batch:
        batch.drop_constraint("fk_ratings_flag_id_rating_flags", type_="foreignkey")
        batch.create_unique_constraint("uq_ratings_service_event_id", ["service_event_id"])
        batch.drop_column("held")
        batch.drop_column("flag_id")
        batch.drop_column("superseded_at")
        batch.drop_column("by_code")
    op.drop_index("ix_rating_flags_staff_id", table_name="rating_flags")
    op.drop_table("rating_flags")
    op.drop_index("ix_rating_devices_window_code", table_name="rating_devices")
    op.drop_table("rating_devices")
