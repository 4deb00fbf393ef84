"""Enterprises are claims until a window clerk verifies them (one verified enterprise per USCC,
several pending claims may name it); wrong passwords are counted per login name and client in
login_failures instead of locking the account.

Enterprises registered before are unverified claims: they become `pending` and must be verified
at a window before they act again. The accounts' lock columns go (nothing locks an account now).

Revision ID: identity_0004
Revises: identity_0003
Create Date: 2026-12-03 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "identity_0004"
down_revision: str | None = "identity_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VERIFIED = sa.text("status = 'verified'")


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("enterprises") as batch:
        batch.drop_constraint("uq_enterprises_uscc", type_="unique")
        batch.add_column(sa.Column("status", sa.String(10), nullable=False, server_default="pending"))
        batch.add_column(sa.Column("reviewed_by_id", sa.String(36), nullable=True))
        batch.add_column(_ts("reviewed_at", nullable=True))
        batch.add_column(sa.Column("review_note", sa.String(500), nullable=True))
        batch.create_foreign_key(
            "fk_enterprises_reviewed_by_id_staff", "staff", ["reviewed_by_id"], ["account_id"]
        )
    with op.batch_alter_table("enterprises") as batch:
        batch.alter_column("status", existing_type=sa.String(10), server_default=None)
    op.create_index("ix_enterprises_uscc", "enterprises", ["uscc"])
    op.create_index(
        "uq_enterprises_uscc_verified",
        "enterprises",
        ["uscc"],
        unique=True,
        sqlite_where=VERIFIED,
        postgresql_where=VERIFIED,
    )

    op.create_table(
        "login_failures",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        _ts("last_failed_at", nullable=True),
        sa.PrimaryKeyConstraint("key", name="pk_login_failures"),
    )
    op.create_index("ix_login_failures_last_failed_at", "login_failures", ["last_failed_at"])

    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("locked_until")
        batch.drop_column("last_failed_at")
        batch.drop_column("failed_logins")


def downgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(_ts("last_failed_at", nullable=True))
        batch.add_column(_ts("locked_until", nullable=True))
    with op.batch_alter_table("accounts") as batch:
        batch.alter_column("failed_logins", existing_type=sa.Integer(), server_default=None)

    op.drop_index("ix_login_failures_last_failed_at", table_name="login_failures")
    op.drop_table("login_failures")

    # Only one enterprise per USCC may stay: the verified one, else one of the claims.
    op.execute(
        "DELETE FROM enterprises WHERE status <> 'verified' AND ("
        " uscc IN (SELECT uscc FROM enterprises WHERE status = 'verified')"
        " OR id NOT IN (SELECT MIN(id) FROM enterprises GROUP BY uscc))"
    )
    op.drop_index("uq_enterprises_uscc_verified", table_name="enterprises")
    op.drop_index("ix_enterprises_uscc", table_name="enterprises")
    with op.batch_alter_table("enterprises") as batch:
        batch.drop_constraint("fk_enterprises_reviewed_by_id_staff", type_="foreignkey")
        batch.drop_column("review_note")
        batch.drop_column("reviewed_at")
        batch.drop_column("reviewed_by_id")
        batch.drop_column("status")
        batch.create_unique_constraint("uq_enterprises_uscc", ["uscc"])
