"""Search: a generation counter and change log, kept by triggers, for the in-process index.

catalog.search_index holds the search index in each service process. Every search reads
`search_state` (one row: generation, epoch) in its transaction and, when the generation moved,
re-reads only the items logged in `search_changes` since the generation it holds. Triggers, not
application code, write the log: every insert, update or delete of `search_terms` rows and every
change of an item's searchable columns (status and the filter columns), whoever makes it
(publish, retire, a cascade, a repair by hand), bumps the generation and logs the item id.

The generation row is updated in the writer's transaction, so on PostgreSQL concurrent writers
of items / search terms queue on that row lock and generations become visible in commit order
(a reader never sees generation g + 1 without g). SQLite serialises writers anyway. The epoch
changes whenever the database is rebuilt, so a process never applies a log to the wrong base.

On PostgreSQL a transaction bumps the generation once (the row's xmin is then its own id) and
logs each item once: updating one row thousands of times in one transaction (an import of
hundreds of items) would walk an ever longer chain of row versions, quadratic in the rows
written. On SQLite every row change bumps it (an update in place costs the same every time).

Revision ID: catalog_0005
Revises: catalog_0004
Create Date: 2026-11-22 04:00:00
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "catalog_0005"
down_revision: str | None = "catalog_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The items columns that search reads (status and the filters); other updates are not logged.
_ITEM_COLUMNS = (
    "status, item_type, level, owner_unit_code, service_objects_tags, online_depth, visits, "
    "themes_tags, community_kind"
)
#: (trigger suffix, table, event, the changed item's id)
_TRIGGERS = (
    ("terms_ins", "search_terms", "INSERT", "NEW.item_id"),
    ("terms_upd", "search_terms", "UPDATE", "NEW.item_id"),
    ("terms_upd_old", "search_terms", "UPDATE", "OLD.item_id"),
    ("terms_del", "search_terms", "DELETE", "OLD.item_id"),
    ("items_ins", "items", "INSERT", "NEW.id"),
    ("items_upd", "items", f"UPDATE OF {_ITEM_COLUMNS}", "NEW.id"),
    ("items_del", "items", "DELETE", "OLD.id"),
)


def upgrade() -> None:
    op.create_table(
        "search_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.Column("epoch", sa.String(36), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_search_state"),
    )
    op.create_table(
        "search_changes",
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.Column("item_id", sa.String(36), nullable=False),
        sa.PrimaryKeyConstraint("generation", "item_id", name="pk_search_changes"),
    )
    op.execute(
        sa.text("INSERT INTO search_state (id, generation, epoch) VALUES (1, 0, :epoch)").bindparams(
            epoch=str(uuid.uuid4())
        )
    )
    bump = "UPDATE search_state SET generation = generation + 1 WHERE id = 1"
    if op.get_bind().dialect.name == "postgresql":
        for suffix, table, event, item in _TRIGGERS:
            op.execute(
                f"""
                CREATE FUNCTION search_log_{suffix}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    {bump} AND xmin::text <> (txid_current() % 4294967296)::text;
                    INSERT INTO search_changes (generation, item_id)
                        SELECT generation, {item} FROM search_state WHERE id = 1
                        ON CONFLICT DO NOTHING;
                    RETURN NULL;
                END $$
                """
            )
            op.execute(
                f"CREATE TRIGGER search_log_{suffix} AFTER {event} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION search_log_{suffix}()"
            )
    else:
        for suffix, table, event, item in _TRIGGERS:
            op.execute(
                f"""
                CREATE TRIGGER search_log_{suffix} AFTER {event} ON {table} FOR EACH ROW BEGIN
                    {bump};
                    INSERT INTO search_changes (generation, item_id)
                        SELECT generation, {item} FROM search_state WHERE id = 1;
                END
                """
            )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for suffix, table, _, _ in _TRIGGERS:
        op.execute(f"DROP TRIGGER search_log_{suffix}" + (f" ON {table}" if postgres else ""))
        if postgres:
            op.execute(f"DROP FUNCTION search_log_{suffix}()")
    op.drop_table("search_changes")
    op.drop_table("search_state")
