"""The three rates' counts per unit and day, kept by triggers (issue 19: rates and rankings of a
month cost the same at a million tickets as at ten thousand).

`response_day_counts` holds, per unit and deadline day (Asia/Shanghai), the response obligations
and how many were answered by their deadline; `callback_day_counts`, per unit and day of the call,
the call-backs, resolved, satisfied and basically satisfied. Triggers on `response_dues` and
`callbacks` keep them in the writer's transaction for every insert, update of a counted column
and delete, whoever writes — a re-dispatch moves an unanswered obligation out of a day already
over, so the counts of a past day are not final and could not be filled once after it. No
application statement is added to any step. Backfilled here from the existing rows in one
grouped INSERT per table.

The day: Beijing's calendar day of the timestamp (UTC+8; SQLite has no zone database, and China
has kept UTC+8 all year since 1992 — the rates read months before that from the raw rows).

Revision ID: hotline_0005
Revises: hotline_0004
Create Date: 2026-12-04 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "hotline_0005"
down_revision: str | None = "hotline_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _day(column: str, postgres: bool) -> str:
    """Beijing's day of a timestamp column, as SQL."""
    if postgres:
        return f"({column} AT TIME ZONE 'Asia/Shanghai')::date"
    # Whole seconds first: SQLite's date functions round to the millisecond, which would carry
    # 15:59:59.9996 UTC into the next day.
    return f"date(substr({column}, 1, 19), '+8 hours')"


def _on_time(row: str) -> str:
    """1 when the obligation `row` was answered by its deadline, else 0 (the rates' definition)."""
    return f"CASE WHEN {row}.responded_at IS NOT NULL AND {row}.responded_at <= {row}.due_at THEN 1 ELSE 0 END"


def _callback_counts(row: str, postgres: bool) -> str:
    """resolved, satisfied, basically of the call-back `row`, as 1 or 0 each."""
    true = "TRUE" if postgres else "1"
    return (
        f"CASE WHEN {row}.resolved IS {true} THEN 1 ELSE 0 END, "
        f"CASE WHEN {row}.satisfaction = 'satisfied' THEN 1 ELSE 0 END, "
        f"CASE WHEN {row}.satisfaction = 'basically' THEN 1 ELSE 0 END"
    )


def _statements(postgres: bool) -> dict[str, tuple[str, str]]:
    """Per counted table: (SQL adding the row NEW, SQL taking away the row OLD)."""
    t = "response_day_counts." if postgres else ""
    c = "callback_day_counts." if postgres else ""
    return {
        "response_dues": (
            f"INSERT INTO response_day_counts (unit_code, day, obligations, on_time) "
            f"VALUES (NEW.unit_code, {_day('NEW.due_at', postgres)}, 1, {_on_time('NEW')}) "
            f"ON CONFLICT (day, unit_code) DO UPDATE SET obligations = {t}obligations + 1, "
            f"on_time = {t}on_time + excluded.on_time",
            f"UPDATE response_day_counts SET obligations = obligations - 1, "
            f"on_time = on_time - {_on_time('OLD')} "
            f"WHERE unit_code = OLD.unit_code AND day = {_day('OLD.due_at', postgres)}",
        ),
        "callbacks": (
            f"INSERT INTO callback_day_counts (unit_code, day, callbacks, resolved, satisfied, basically) "
            f"VALUES (NEW.unit_code, {_day('NEW.called_at', postgres)}, 1, {_callback_counts('NEW', postgres)}) "
            f"ON CONFLICT (day, unit_code) DO UPDATE SET callbacks = {c}callbacks + 1, "
            f"resolved = {c}resolved + excluded.resolved, satisfied = {c}satisfied + excluded.satisfied, "
            f"basically = {c}basically + excluded.basically",
            "UPDATE callback_day_counts SET callbacks = callbacks - 1, "
            "resolved = resolved - {0}, satisfied = satisfied - {1}, basically = basically - {2} "
            "WHERE unit_code = OLD.unit_code AND day = {3}".format(
                *_callback_counts("OLD", postgres).split(", "), _day("OLD.called_at", postgres)
            ),
        ),
    }


#: The columns whose change moves a row between counts.
_COUNTED = {"response_dues": "unit_code, due_at, responded_at", "callbacks": "unit_code, called_at, resolved, satisfaction"}
#: Trigger (and PostgreSQL function) name per counted table.
_NAME = {"response_dues": "response_day_counts_keep", "callbacks": "callback_day_counts_keep"}


def _backfill(postgres: bool) -> list[str]:
    """The counts of every existing row, one grouped INSERT per table."""
    due_day, call_day = _day("due_at", postgres), _day("called_at", postgres)
    true = "TRUE" if postgres else "1"
    return [
        "INSERT INTO response_day_counts (unit_code, day, obligations, on_time) "
        f"SELECT unit_code, {due_day}, count(*), "
        "sum(CASE WHEN responded_at IS NOT NULL AND responded_at <= due_at THEN 1 ELSE 0 END) "
        f"FROM response_dues GROUP BY unit_code, {due_day}",
        "INSERT INTO callback_day_counts (unit_code, day, callbacks, resolved, satisfied, basically) "
        f"SELECT unit_code, {call_day}, count(*), sum(CASE WHEN resolved IS {true} THEN 1 ELSE 0 END), "
        "sum(CASE WHEN satisfaction = 'satisfied' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN satisfaction = 'basically' THEN 1 ELSE 0 END) "
        f"FROM callbacks GROUP BY unit_code, {call_day}",
    ]


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "response_day_counts",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.Column("obligations", sa.Integer(), nullable=False),
        sa.Column("on_time", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "unit_code", name="pk_response_day_counts"),
    )
    op.create_table(
        "callback_day_counts",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.Column("callbacks", sa.Integer(), nullable=False),
        sa.Column("resolved", sa.Integer(), nullable=False),
        sa.Column("satisfied", sa.Integer(), nullable=False),
        sa.Column("basically", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "unit_code", name="pk_callback_day_counts"),
    )
    for sql in _backfill(postgres):
        op.execute(sql)
    for table, (add, take) in _statements(postgres).items():
        name, counted = _NAME[table], _COUNTED[table]
        if postgres:
            op.execute(
                f"""
                CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP IN ('UPDATE', 'DELETE') THEN
                        {take};
                    END IF;
                    IF TG_OP IN ('INSERT', 'UPDATE') THEN
                        {add};
                    END IF;
                    RETURN NULL;
                END $$
                """
            )
            op.execute(
                f"CREATE TRIGGER {name} AFTER INSERT OR DELETE OR UPDATE OF {counted} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {name}()"
            )
        else:
            op.execute(f"CREATE TRIGGER {name}_ins AFTER INSERT ON {table} FOR EACH ROW BEGIN {add}; END")
            op.execute(
                f"CREATE TRIGGER {name}_upd AFTER UPDATE OF {counted} ON {table} FOR EACH ROW "
                f"BEGIN {take}; {add}; END"
            )
            op.execute(f"CREATE TRIGGER {name}_del AFTER DELETE ON {table} FOR EACH ROW BEGIN {take}; END")


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, name in _NAME.items():
        if postgres:
            op.execute(f"DROP TRIGGER {name} ON {table}")
            op.execute(f"DROP FUNCTION {name}()")
        else:
            for suffix in ("ins", "upd", "del"):
                op.execute(f"DROP TRIGGER {name}_{suffix}")
    op.drop_table("callback_day_counts")
    op.drop_table("response_day_counts")
