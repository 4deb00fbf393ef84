"""Hot topics (热点问题, issue 21 §5): the topics tickets are clustered into (`topics`), each
ticket's topic with its street, community, Beijing day and week copied for counting
(`ticket_topics`), the clustering's corpus statistics in one locked row (`topic_model_state`), and
the rising-topic alerts (`topic_alerts`, once per topic, street and week).

Revision ID: hotline_0008
Revises: hotline_0007
Create Date: 2026-12-05 09:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "hotline_0008"
down_revision: str | None = "hotline_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "topics",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("centroid", sa.JSON(), nullable=False),
        sa.Column("ticket_count", sa.Integer(), nullable=False),
        sa.Column("example_title", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topics")),
    )
    op.create_table(
        "ticket_topics",
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("topic_id", sa.String(length=36), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.Column("street_code", sa.String(length=64), nullable=True),
        sa.Column("community_code", sa.String(length=64), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_ticket_topics_ticket_id_tickets")),
        sa.ForeignKeyConstraint(["topic_id"], ["topics.id"], name=op.f("fk_ticket_topics_topic_id_topics")),
        sa.PrimaryKeyConstraint("ticket_id", name=op.f("pk_ticket_topics")),
    )
    op.create_index("ix_ticket_topics_day", "ticket_topics", ["day", "topic_id"])
    op.create_index("ix_ticket_topics_topic_created", "ticket_topics", ["topic_id", "created_at"])
    op.create_index("ix_ticket_topics_created", "ticket_topics", ["created_at"])
    state = op.create_table(
        "topic_model_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.Column("document_frequencies", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topic_model_state")),
    )
    op.bulk_insert(
        state, [{"id": 1, "documents": 0, "document_frequencies": {}, "updated_at": datetime.now(UTC)}]
    )
    op.create_table(
        "topic_alerts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("topic_id", sa.String(length=36), nullable=False),
        sa.Column("topic_label", sa.String(length=100), nullable=False),
        sa.Column("district_code", sa.String(length=64), nullable=False),
        sa.Column("street_code", sa.String(length=64), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("window_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("baseline_weeks", sa.Integer(), nullable=False),
        sa.Column("baseline_mean", sa.Float(), nullable=False),
        sa.Column("baseline_sd", sa.Float(), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("ticket_ids", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("acknowledged_by", sa.String(length=64), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["topic_id"], ["topics.id"], name=op.f("fk_topic_alerts_topic_id_topics")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topic_alerts")),
        sa.UniqueConstraint(
            "topic_id", "street_code", "week", name=op.f("uq_topic_alerts_topic_id_street_code_week")
        ),
    )
    op.create_index("ix_topic_alerts_status_raised", "topic_alerts", ["status", "raised_at"])


def downgrade() -> None:
    op.drop_index("ix_topic_alerts_status_raised", table_name="topic_alerts")
    op.drop_table("topic_alerts")
    op.drop_table("topic_model_state")
    op.drop_index("ix_ticket_topics_created", table_name="ticket_topics")
    op.drop_index("ix_ticket_topics_topic_created", table_name="ticket_topics")
    op.drop_index("ix_ticket_topics_day", table_name="ticket_topics")
    op.drop_table("ticket_topics")
    op.drop_table("topics")
