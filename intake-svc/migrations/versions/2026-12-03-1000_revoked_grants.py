"""Grants identity-svc revoked (`revoked_grants`, from identity.grant.revoked.v1): an agent's
access to the enterprise's cases ends with the grant, not with the token.

Revision ID: intake_0009
Revises: intake_0008
Create Date: 2026-12-03 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "intake_0009"
down_revision: str | None = "intake_0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "revoked_grants",
        sa.Column("grant_id", sa.String(length=64), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("grantee_id", sa.String(length=64), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("grant_id", name=op.f("pk_revoked_grants")),
    )


def downgrade() -> None:
    op.drop_table("revoked_grants")
