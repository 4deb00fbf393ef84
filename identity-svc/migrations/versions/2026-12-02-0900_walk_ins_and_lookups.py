"""Walk-in persons registered at a window (no password until claimed), and the record of staff
looking persons up.

Revision ID: identity_0003
Revises: identity_0002
Create Date: 2026-12-02 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "identity_0003"
down_revision: str | None = "identity_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.alter_column("password_hash", existing_type=sa.String(255), nullable=True)
    with op.batch_alter_table("persons") as batch:
        # Every account so far was opened by the person online.
        batch.add_column(
            sa.Column("registration_channel", sa.String(10), nullable=False, server_default="online")
        )
        batch.add_column(sa.Column("registered_by_id", sa.String(36), nullable=True))
        batch.add_column(_ts("claimed_at", nullable=True))
        batch.create_foreign_key(
            "fk_persons_registered_by_id_staff", "staff", ["registered_by_id"], ["account_id"]
        )

    op.create_table(
        "person_lookups",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("staff_id", sa.String(36), nullable=False),
        sa.Column("org_unit_id", sa.String(36), nullable=False),
        sa.Column("purpose", sa.String(10), nullable=False),
        sa.Column("key_type", sa.String(12), nullable=False),
        sa.Column("key_masked", sa.String(40), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("person_id", sa.String(36), nullable=True),
        sa.Column("found", sa.Boolean(), nullable=False),
        _ts("looked_up_at"),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_units.id"], name="fk_person_lookups_org_unit_id_org_units"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.account_id"], name="fk_person_lookups_person_id_persons"
        ),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.account_id"], name="fk_person_lookups_staff_id_staff"),
        sa.PrimaryKeyConstraint("id", name="pk_person_lookups"),
    )
    op.create_index("ix_person_lookups_looked_up_at", "person_lookups", ["looked_up_at"])
    op.create_index("ix_person_lookups_person_id", "person_lookups", ["person_id"])
    op.create_index("ix_person_lookups_staff_id_looked_up_at", "person_lookups", ["staff_id", "looked_up_at"])


def downgrade() -> None:
    op.drop_index("ix_person_lookups_staff_id_looked_up_at", table_name="person_lookups")
    op.drop_index("ix_person_lookups_person_id", table_name="person_lookups")
    op.drop_index("ix_person_lookups_looked_up_at", table_name="person_lookups")
    op.drop_table("person_lookups")
    with op.batch_alter_table("persons") as batch:
        batch.drop_constraint("fk_persons_registered_by_id_staff", type_="foreignkey")
        batch.drop_column("claimed_at")
        batch.drop_column("registered_by_id")
        batch.drop_column("registration_channel")
    # Walk-ins that never set a password keep their accounts with a hash no password matches.
    op.execute("UPDATE accounts SET password_hash = '!' WHERE password_hash IS NULL")
    with op.batch_alter_table("accounts") as batch:
        batch.alter_column("password_hash", existing_type=sa.String(255), nullable=False)
