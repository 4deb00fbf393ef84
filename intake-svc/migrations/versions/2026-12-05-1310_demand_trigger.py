"""Applications are counted in `demand_days` by a trigger on `applications` (AFTER INSERT), in the
transaction that inserts them and without a statement of the request's own (issue 19's budget of
8 per write step). The hall: `online` for an application made online; else the receiving unit's
parent when that unit is a window (110105-ZWFW-W01 → 110105-ZWFW), else the receiving unit (the
deciding unit when none). The day: `received_at` in Asia/Shanghai.

Revision ID: intake_0026
Revises: intake_0025
Create Date: 2026-12-05 13:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "intake_0026"
down_revision: str | None = "intake_0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UNIT = "COALESCE(NEW.intake_unit_code, NEW.owner_unit_code)"
_HALL = (
    "CASE WHEN NEW.channel = 'online' THEN 'online' ELSE COALESCE("
    "(SELECT p.code FROM org_units u JOIN org_units p ON p.id = u.parent_id "
    f"WHERE u.code = {_UNIT} AND u.kind = 'window'), {_UNIT}) END"
)
_SQLITE = (
    "CREATE TRIGGER trg_applications_demand AFTER INSERT ON applications BEGIN "
    "INSERT INTO demand_days (day, unit_code, item_code, applications, visits) "
    f"VALUES (date(NEW.received_at, '+8 hours'), {_HALL}, NEW.item_code, 1, 0) "
    "ON CONFLICT (day, unit_code, item_code) DO UPDATE SET applications = applications + 1; END"
)
_POSTGRES_FUNCTION = (
    "CREATE OR REPLACE FUNCTION intake_count_application() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN INSERT INTO demand_days (day, unit_code, item_code, applications, visits) "
    f"VALUES ((NEW.received_at AT TIME ZONE 'Asia/Shanghai')::date, {_HALL}, NEW.item_code, 1, 0) "
    "ON CONFLICT (day, unit_code, item_code) DO UPDATE SET applications = demand_days.applications + 1; "
    "RETURN NULL; END $$"
)
_POSTGRES_TRIGGER = (
    "CREATE TRIGGER trg_applications_demand AFTER INSERT ON applications "
    "FOR EACH ROW EXECUTE FUNCTION intake_count_application()"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_POSTGRES_FUNCTION)
        op.execute(_POSTGRES_TRIGGER)
    else:
        op.execute(_SQLITE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS trg_applications_demand ON applications")
        op.execute("DROP FUNCTION IF EXISTS intake_count_application()")
    else:
        op.execute("DROP TRIGGER IF EXISTS trg_applications_demand")
