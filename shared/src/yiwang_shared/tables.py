"""Infrastructure tables every service database holds, beside its own.

They live on their own MetaData (`infra_metadata`) so the outbox relay, the consumer runner and the
calendar can use them against any service's database. Each service's migrations create them with
`create_infra_tables_v1(op)` and pass `[Base.metadata, infra_metadata]` to Alembic.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

infra_metadata = sa.MetaData()

outbox = sa.Table(
    "outbox",
    infra_metadata,
    sa.Column(
        "id",
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
        primary_key=True,
        autoincrement=True,
    ),
    sa.Column("event_id", sa.String(36), nullable=False, unique=True),
    sa.Column("subject", sa.String(200), nullable=False),
    sa.Column("payload", sa.LargeBinary(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
    sa.Column("last_error", sa.Text(), nullable=True),
    sa.Index("ix_outbox_unpublished", "published_at", "id"),
)
"""Transactional outbox (事件发件箱): a row commits with the state change it announces."""

processed_events = sa.Table(
    "processed_events",
    infra_metadata,
    sa.Column("consumer", sa.String(200), primary_key=True),
    sa.Column("event_id", sa.String(36), primary_key=True),
    sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False),
)
"""Event ids a durable consumer has handled, so a redelivery has one effect."""

calendar_days = sa.Table(
    "calendar_days",
    infra_metadata,
    sa.Column("day", sa.Date(), primary_key=True),
    sa.Column("is_working_day", sa.Boolean(), nullable=False),
    sa.Column("name", sa.String(100), nullable=True),
    sa.Column("source", sa.String(20), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
"""Exceptions to the Monday–Friday rule: statutory holidays (法定节假日) and make-up days (调休)."""

#: The services that keep read models (`ReadModelCache`) hold this table too; on a MetaData of its
#: own, since the others do not. Their migrations' env and schema checks pass it beside
#: `infra_metadata`.
read_model_metadata = sa.MetaData()

read_model_versions = sa.Table(
    "read_model_versions",
    read_model_metadata,
    sa.Column("table_name", sa.String(100), primary_key=True),
    sa.Column("version", sa.BigInteger(), nullable=False, server_default="0"),
)
"""A counter per read-model table, moved on by that table's triggers whenever a statement writes
it: what `ReadModelCache` fingerprints a table by (one row per table, whatever the table holds)."""

#: The PostgreSQL trigger function (one per database) the version triggers call.
_BUMP_FUNCTION = "yiwang_bump_read_model_version"


def _version_triggers(dialect: str, table: str) -> list[str]:
    """The DDL that moves `table`'s version on every insert, update and delete."""
    bump = f"UPDATE read_model_versions SET version = version + 1 WHERE table_name = '{table}'"
    if dialect == "postgresql":
        # One per statement, not per row: a bulk load moves the version once.
        return [
            f"CREATE TRIGGER trg_{table}_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {_BUMP_FUNCTION}('{table}')"
        ]
    return [
        f"CREATE TRIGGER trg_{table}_version_{verb.lower()} AFTER {verb} ON {table} BEGIN {bump}; END"
        for verb in ("INSERT", "UPDATE", "DELETE")
    ]


def create_read_model_versions_v1(op: Any, tables: list[str]) -> None:
    """Create `read_model_versions` with a row and version triggers for each of `tables` (the
    service's read-model tables). Never change: add a v2 instead."""
    op.create_table(
        "read_model_versions",
        sa.Column("table_name", sa.String(100), primary_key=True),
        sa.Column("version", sa.BigInteger(), nullable=False, server_default="0"),
    )
    op.bulk_insert(read_model_versions, [{"table_name": t, "version": 0} for t in tables])
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(
            f"CREATE OR REPLACE FUNCTION {_BUMP_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN UPDATE read_model_versions SET version = version + 1 WHERE table_name = TG_ARGV[0]; "
            "RETURN NULL; END $$"
        )
    for table in tables:
        for ddl in _version_triggers(dialect, table):
            op.execute(ddl)


def drop_read_model_versions_v1(op: Any, tables: list[str]) -> None:
    """Undo `create_read_model_versions_v1`."""
    dialect = op.get_bind().dialect.name
    for table in tables:
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_version ON {table}")
        else:
            for verb in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_version_{verb}")
    if dialect == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS {_BUMP_FUNCTION}()")
    op.drop_table("read_model_versions")


def create_infra_tables_v1(op: Any) -> None:
    """Create the infrastructure tables (version 1). Never change: add a v2 instead."""
    op.create_table(
        "outbox",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text(), nullable=True),
    )
    op.create_index("ix_outbox_unpublished", "outbox", ["published_at", "id"])
    op.create_table(
        "processed_events",
        sa.Column("consumer", sa.String(200), primary_key=True),
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "calendar_days",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("is_working_day", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(100), nullable=True),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def drop_infra_tables_v1(op: Any) -> None:
    """Drop what create_infra_tables_v1 made."""
    op.drop_table("calendar_days")
    op.drop_table("processed_events")
    op.drop_index("ix_outbox_unpublished", table_name="outbox")
    op.drop_table("outbox")
