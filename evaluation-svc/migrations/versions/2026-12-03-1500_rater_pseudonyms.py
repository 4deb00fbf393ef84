"""Issue 15, point 1: the rated unit sees a rater only by a pseudonym drawn at random per rating
(`ratings.pseudonym`; existing ratings get one here), never by anything derived from the account.

Revision ID: evaluation_0006
Revises: evaluation_0005
Create Date: 2026-12-03 15:00:00
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "evaluation_0006"
down_revision: str | None = "evaluation_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("ratings", sa.Column("pseudonym", sa.String(16), nullable=True))
    ratings = sa.table("ratings", sa.column("id", sa.String), sa.column("pseudonym", sa.String))
    conn = op.get_bind()
    for (rating_id,) in conn.execute(sa.select(ratings.c.id)).all():
        conn.execute(
            ratings.update().where(ratings.c.id == rating_id).values(pseudonym=secrets.token_hex(4).upper())
        )
    with op.batch_alter_table("ratings") as batch:
        batch.alter_column("pseudonym", existing_type=sa.String(16), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("ratings") as batch:
        batch.drop_column("pseudonym")
