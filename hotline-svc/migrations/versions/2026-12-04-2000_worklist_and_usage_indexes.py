"""A person's open worklist and the knowledge base's usage as one index range each (issue 19).

`escalations/mine` (open) listed the escalations naming a person on open tickets by starting from
every open ticket (a district with a million tickets has thousands open, and the supervisor is
named on most of their escalations): 0.6–1.1 s. Each recipient row now carries its escalation's
`raised_at` and whether the ticket is open (`ticket_open`), and the index (staff_id, ticket_open,
raised_at) holds a person's open worklist newest first: the page reads its 50 entries, the capped
count the person's index entries only. `ticket_open` is kept by a trigger on `tickets.status`
(any change into or out of the open statuses, whoever makes it: a step, the overdue scan, a
repair by hand); the statuses are lifecycles.OPEN_STATUSES (tests/test_escalation_worklist.py
checks every status). Both columns are backfilled from the escalations and their tickets.

`kb/usage` over a date range counted every use of the knowledge base: (used_at, entry_id) lets it
read the range's uses from the index alone.

Revision ID: hotline_0006
Revises: hotline_0005
Create Date: 2026-12-04 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "hotline_0006"
down_revision: str | None = "hotline_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: lifecycles.OPEN_STATUSES, as SQL.
OPEN = "('dispatched', 'in_progress', 'registered', 'returned')"
#: Set the ticket NEW's escalations' recipients open or not.
KEEP = (
    f"UPDATE ticket_escalation_recipients SET ticket_open = (NEW.status IN {OPEN}) "
    "WHERE escalation_id IN (SELECT id FROM ticket_escalations WHERE ticket_id = NEW.id)"
)
RECIPIENTS = "ticket_escalation_recipients"


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.add_column(RECIPIENTS, sa.Column("raised_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(RECIPIENTS, sa.Column("ticket_open", sa.Boolean(), nullable=True))
    if postgres:
        op.execute(
            f"UPDATE {RECIPIENTS} r SET raised_at = e.raised_at, ticket_open = (t.status IN {OPEN}) "
            "FROM ticket_escalations e JOIN tickets t ON t.id = e.ticket_id WHERE e.id = r.escalation_id"
        )
    else:
        op.execute(
            f"UPDATE {RECIPIENTS} SET "
            "raised_at = (SELECT e.raised_at FROM ticket_escalations e WHERE e.id = escalation_id), "
            f"ticket_open = (SELECT t.status IN {OPEN} FROM ticket_escalations e "
            "JOIN tickets t ON t.id = e.ticket_id WHERE e.id = escalation_id)"
        )
    with op.batch_alter_table(RECIPIENTS) as batch:
        batch.alter_column("raised_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch.alter_column("ticket_open", existing_type=sa.Boolean(), nullable=False)
    op.create_index(
        "ix_ticket_escalation_recipients_open", RECIPIENTS, ["staff_id", "ticket_open", "raised_at"]
    )
    if postgres:
        op.execute(
            f"CREATE FUNCTION tickets_open_worklist() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {KEEP}; RETURN NULL; END $$"
        )
        op.execute(
            "CREATE TRIGGER tickets_open_worklist AFTER UPDATE OF status ON tickets FOR EACH ROW "
            f"WHEN ((OLD.status IN {OPEN}) IS DISTINCT FROM (NEW.status IN {OPEN})) "
            "EXECUTE FUNCTION tickets_open_worklist()"
        )
    else:
        op.execute(
            "CREATE TRIGGER tickets_open_worklist AFTER UPDATE OF status ON tickets FOR EACH ROW "
            f"WHEN (OLD.status IN {OPEN}) IS NOT (NEW.status IN {OPEN}) BEGIN {KEEP}; END"
        )
    op.create_index("ix_kb_usages_used_at", "kb_usages", ["used_at", "entry_id"])


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.drop_index("ix_kb_usages_used_at", table_name="kb_usages")
    op.execute("DROP TRIGGER tickets_open_worklist" + (" ON tickets" if postgres else ""))
    if postgres:
        op.execute("DROP FUNCTION tickets_open_worklist()")
    op.drop_index("ix_ticket_escalation_recipients_open", table_name=RECIPIENTS)
    with op.batch_alter_table(RECIPIENTS) as batch:
        batch.drop_column("ticket_open")
        batch.drop_column("raised_at")
