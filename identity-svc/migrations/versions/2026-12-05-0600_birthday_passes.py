"""The birthday pass (免申即享, issue 20 §5): the days it went through (so the daily job catches up
the days missed while the service was down, and passes no day twice) and the contact tickets its
identity.person.age_reached.v1 events carry instead of a mobile number.

Revision ID: identity_0005
Revises: identity_0004
Create Date: 2026-12-05 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "identity_0005"
down_revision: str | None = "identity_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "birthday_passes",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("first_by", sa.String(10), nullable=False),
        sa.Column("persons", sa.Integer(), nullable=False),
        sa.Column("runs", sa.Integer(), nullable=False),
        _ts("first_passed_at"),
        _ts("last_passed_at"),
        sa.PrimaryKeyConstraint("day", name="pk_birthday_passes"),
    )
    op.create_table(
        "contact_tickets",
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("person_id", sa.String(36), nullable=False),
        sa.Column("purpose", sa.String(40), nullable=False),
        _ts("created_at"),
        _ts("expires_at"),
        _ts("redeemed_at", nullable=True),
        sa.Column("redemptions", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.account_id"], name="fk_contact_tickets_person_id_persons"
        ),
        sa.PrimaryKeyConstraint("digest", name="pk_contact_tickets"),
    )
    op.create_index("ix_contact_tickets_person_id", "contact_tickets", ["person_id"])
    op.create_index("ix_contact_tickets_expires_at", "contact_tickets", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_contact_tickets_expires_at", table_name="contact_tickets")
    op.drop_index("ix_contact_tickets_person_id", table_name="contact_tickets")
    op.drop_table("contact_tickets")
    op.drop_table("birthday_passes")
