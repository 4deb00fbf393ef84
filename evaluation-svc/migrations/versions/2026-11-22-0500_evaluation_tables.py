"""evaluation tables: service events, rating codes, ratings, bad-review cases and steps, the fact
journal, indicator counters, ranking rules, rejected events, the organisation read model.

Revision ID: evaluation_0002
Revises: evaluation_0001
Create Date: 2026-11-22 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "evaluation_0002"
down_revision: str | None = "evaluation_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIGINT = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "service_events",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("source_id", sa.String(64), nullable=False),
        sa.Column("reference_no", sa.String(64), nullable=True),
        sa.Column("item_code", sa.String(50), nullable=True),
        sa.Column("item_name", sa.String(200), nullable=True),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.Column("window_code", sa.String(64), nullable=True),
        sa.Column("staff_id", sa.String(64), nullable=True),
        sa.Column("served_subject", sa.String(64), nullable=True),
        _ts("served_at"),
        _ts("rateable_until"),
        sa.Column("month", sa.String(7), nullable=False),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_service_events"),
        sa.UniqueConstraint("kind", "source_id", name="uq_service_events_kind_source_id"),
    )
    op.create_index("ix_service_events_unit_code", "service_events", ["unit_code"])
    op.create_index("ix_service_events_served_subject", "service_events", ["served_subject"])
    op.create_table(
        "rating_codes",
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("service_event_id", sa.String(36), nullable=False),
        sa.Column("issued_by", sa.String(64), nullable=True),
        _ts("issued_at"),
        _ts("used_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["service_event_id"], ["service_events.id"], name="fk_rating_codes_service_event_id_service_events"
        ),
        sa.PrimaryKeyConstraint("code_hash", name="pk_rating_codes"),
    )
    op.create_index("ix_rating_codes_service_event_id", "rating_codes", ["service_event_id"])
    op.create_table(
        "ratings",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("service_event_id", sa.String(36), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("aspects", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("item_code", sa.String(50), nullable=True),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.Column("window_code", sa.String(64), nullable=True),
        sa.Column("staff_id", sa.String(64), nullable=True),
        sa.Column("rater_subject", sa.String(64), nullable=True),
        sa.Column("real_name", sa.Boolean(), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("excluded", sa.Boolean(), nullable=False),
        _ts("submitted_at"),
        sa.ForeignKeyConstraint(
            ["service_event_id"], ["service_events.id"], name="fk_ratings_service_event_id_service_events"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_ratings"),
        sa.UniqueConstraint("service_event_id", name="uq_ratings_service_event_id"),
    )
    op.create_index("ix_ratings_unit_code", "ratings", ["unit_code"])
    op.create_index("ix_ratings_rater_subject", "ratings", ["rater_subject"])
    op.create_table(
        "bad_review_cases",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("rating_id", sa.String(36), nullable=False),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("real_name", sa.Boolean(), nullable=False),
        _ts("deadline_at"),
        _ts("called_back_at", nullable=True),
        sa.Column("resolution", sa.String(12), nullable=True),
        sa.Column("rectify_due_on", sa.Date(), nullable=True),
        _ts("rectified_at", nullable=True),
        sa.Column("appeal_reason", sa.Text(), nullable=True),
        sa.Column("appeal_decision", sa.String(10), nullable=True),
        sa.Column("feedback", sa.Text(), nullable=True),
        _ts("feedback_at", nullable=True),
        sa.Column("response_level", sa.Integer(), nullable=True),
        sa.Column("overdue", sa.Boolean(), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        _ts("transferred_at", nullable=True),
        _ts("opened_at"),
        _ts("closed_at", nullable=True),
        sa.ForeignKeyConstraint(["rating_id"], ["ratings.id"], name="fk_bad_review_cases_rating_id_ratings"),
        sa.PrimaryKeyConstraint("id", name="pk_bad_review_cases"),
        sa.UniqueConstraint("rating_id", name="uq_bad_review_cases_rating_id"),
    )
    op.create_index("ix_bad_review_cases_unit_code", "bad_review_cases", ["unit_code"])
    op.create_index(
        "ix_bad_review_cases_open_deadline", "bad_review_cases", ["closed", "overdue", "deadline_at"]
    )
    op.create_table(
        "case_steps",
        sa.Column("id", BIGINT, autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("actor", sa.String(64), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        _ts("at"),
        sa.ForeignKeyConstraint(["case_id"], ["bad_review_cases.id"], name="fk_case_steps_case_id_bad_review_cases"),
        sa.PrimaryKeyConstraint("id", name="pk_case_steps"),
    )
    op.create_index("ix_case_steps_case_id", "case_steps", ["case_id"])
    op.create_table(
        "facts",
        sa.Column("seq", BIGINT, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        _ts("recorded_at"),
        sa.PrimaryKeyConstraint("seq", name="pk_facts"),
    )
    op.create_table(
        "indicator_counters",
        sa.Column("dimension", sa.String(10), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("dimension", "key", "month", "name", name="pk_indicator_counters"),
    )
    op.create_index("ix_indicator_counters_month", "indicator_counters", ["month", "dimension", "name"])
    op.create_table(
        "ranking_rules",
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("dimension", sa.String(10), nullable=False),
        sa.Column("indicator", sa.String(40), nullable=False),
        sa.Column("min_ratings", sa.Integer(), nullable=False),
        sa.Column("min_value", sa.Float(), nullable=True),
        sa.Column("max_bad_reviews", sa.Integer(), nullable=True),
        sa.Column("top_n", sa.Integer(), nullable=False),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("name", name="pk_ranking_rules"),
    )
    op.create_table(
        "rejected_events",
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        _ts("rejected_at"),
        sa.PrimaryKeyConstraint("event_id", name="pk_rejected_events"),
    )


    op.create_table(
        "org_units",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("parent_id", sa.String(36), nullable=True),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_org_units"),
        sa.UniqueConstraint("code", name="uq_org_units_code"),
    )


def downgrade() -> None:
    for table in (
        "org_units",
        "rejected_events",
        "ranking_rules",
        "indicator_counters",
        "facts",
        "case_steps",
        "bad_review_cases",
        "ratings",
        "rating_codes",
        "service_events",
    ):
        op.drop_table(table)
