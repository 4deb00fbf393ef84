"""Workflows at the window (issue 14): who filed a case for whom (`representation`), the
correction deadline of the last one-time notice (`correction_deadline`, so a case waiting for
corrections expires), the decision document's number (`decision_no`) and the flag of a deadline
counted over a year without an official holiday arrangement (`provisional_deadline`).

Existing cases: staff-filed ones become `assisted`, an enterprise's agent's `delegated`; a case
already waiting for corrections takes the deadline its notice named.

Revision ID: intake_0006
Revises: intake_0005
Create Date: 2026-12-02 10:00:00
"""

import json
from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = "intake_0006"
down_revision: str | None = "intake_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.add_column(
            sa.Column("representation", sa.String(length=12), server_default="self", nullable=False)
        )
        batch.add_column(sa.Column("correction_deadline", sa.Date(), nullable=True))
        batch.add_column(sa.Column("decision_no", sa.String(length=40), nullable=True))
        batch.add_column(
            sa.Column("provisional_deadline", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.create_unique_constraint("uq_applications_decision_no", ["decision_no"])
    op.execute("UPDATE applications SET representation = 'assisted' WHERE assisted_by IS NOT NULL")
    op.execute(
        "UPDATE applications SET representation = 'delegated' "
        "WHERE assisted_by IS NULL AND enterprise_id IS NOT NULL"
    )
    # The JSON column comes back parsed or as text depending on the backend: read both.
    rows = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT a.id, n.content FROM applications a JOIN notices n ON n.application_id = a.id "
                "WHERE a.status = 'correction_requested' AND n.kind = 'correction' ORDER BY n.issued_at"
            )
        )
        .all()
    )
    latest: dict[str, date] = {}
    for app_id, content in rows:
        data = content if isinstance(content, dict) else json.loads(content)
        if data.get("correct_by"):
            latest[app_id] = date.fromisoformat(str(data["correct_by"])[:10])
    update = sa.text("UPDATE applications SET correction_deadline = :day WHERE id = :id").bindparams(
        sa.bindparam("day", type_=sa.Date())
    )
    for app_id, day in latest.items():
        op.get_bind().execute(update, {"day": day, "id": app_id})


def downgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.drop_constraint("uq_applications_decision_no", type_="unique")
        batch.drop_column("provisional_deadline")
        batch.drop_column("decision_no")
        batch.drop_column("correction_deadline")
        batch.drop_column("representation")
