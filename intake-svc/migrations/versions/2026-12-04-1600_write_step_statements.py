"""Fewer statements per write step (issue 19): `catalogue_items.updated_at`, so the items in force
can be a cached read model fingerprinted like the others; and, on SQLite, a trigger that keeps the
notice counters (`number_sequences`) in step with the notices numbered in their own INSERT.

On SQLite a notice's number is taken in the INSERT that records it (the counter's value plus one:
SQLite has one writer at a time, so no other transaction can take the same number), and this
trigger then moves the counter to that number — one statement where the counter's UPDATE and the
notice's INSERT were two. PostgreSQL keeps updating the counter row first (concurrent
transactions queue on it) and has no trigger. A later migration that rebuilds `notices` in batch
mode on SQLite drops the trigger with the old table and must create it again.

Revision ID: intake_0011
Revises: intake_0010
Create Date: 2026-12-04 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "intake_0011"
down_revision: str | None = "intake_0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Notice numbers read 朝政受字〔2026〕第000012号: kind and year name the counter
#: (notice-<kind>-<year>), the digits after 第 are its value.
SQLITE_NOTICE_COUNTER = """
CREATE TRIGGER notices_number_counter AFTER INSERT ON notices
BEGIN
    INSERT INTO number_sequences (name, value)
    VALUES (
        'notice-' || NEW.kind || '-' || substr(
            NEW.number,
            instr(NEW.number, '〔') + 1,
            instr(NEW.number, '〕') - instr(NEW.number, '〔') - 1
        ),
        CAST(substr(NEW.number, instr(NEW.number, '第') + 1) AS INTEGER)
    )
    ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value);
END
"""


def upgrade() -> None:
    with op.batch_alter_table("catalogue_items") as batch:
        batch.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE catalogue_items SET updated_at = COALESCE(retired_at, published_at)")
    with op.batch_alter_table("catalogue_items") as batch:
        batch.alter_column("updated_at", existing_type=sa.DateTime(timezone=True), nullable=False)
    if op.get_bind().dialect.name == "sqlite":
        op.execute(SQLITE_NOTICE_COUNTER)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS notices_number_counter")
    with op.batch_alter_table("catalogue_items") as batch:
        batch.drop_column("updated_at")
