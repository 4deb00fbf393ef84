"""免申即享 (proactive service): the offers made to residents who became eligible for an item by
reaching its age (identity.person.age_reached.v1), until they confirm, decline or let them lapse.

Revision ID: intake_0022
Revises: intake_0021
Create Date: 2026-12-05 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "intake_0022"
down_revision: str | None = "intake_0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _at(name: str, nullable: bool = True) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "proactive_offers",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("number", sa.String(20), nullable=False, unique=True),
        sa.Column("item_code", sa.String(64), nullable=False),
        sa.Column("item_name", sa.String(200), nullable=False),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("person_name", sa.String(100), nullable=False),
        sa.Column("age", sa.Integer(), nullable=False),
        sa.Column("reached_on", sa.Date(), nullable=False),
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        _at("offered_at", nullable=False),
        _at("expires_at", nullable=False),
        _at("decided_at"),
        sa.Column("application_id", sa.String(36), sa.ForeignKey("applications.id"), nullable=True),
        sa.Column("delivery", sa.JSON(), nullable=True),
        sa.Column("contact_ticket", sa.Text(), nullable=True),
        _at("notified_at"),
        sa.Column("source_event_id", sa.String(36), nullable=False),
        sa.UniqueConstraint(
            "account_id", "item_code", "age", name="uq_proactive_offers_account_id_item_code_age"
        ),
    )
    op.create_index("ix_proactive_offers_account_offered", "proactive_offers", ["account_id", "offered_at"])
    op.create_index(
        "ix_proactive_offers_unit_seen", "proactive_offers", ["unit_code", "status", "offered_at"]
    )
    op.create_index("ix_proactive_offers_status_expires", "proactive_offers", ["status", "expires_at"])
    op.create_index("ix_proactive_offers_notified_at", "proactive_offers", ["notified_at"])


def downgrade() -> None:
    op.drop_table("proactive_offers")
