"""The fee ledger: refunds in a table of their own (they were kept in the fee's `items` list,
told apart by their refund number; moved here) and each day's reconciliation against the payment
provider's statement, as the daily pass or a supervisor last ran it.

Revision ID: intake_0021
Revises: intake_0020
Create Date: 2026-12-05 09:00:00
"""

import json
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "intake_0021"
down_revision: str | None = "intake_0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_fees = sa.table("fees", sa.column("id", sa.String), sa.column("items", sa.JSON))
_refunds = sa.table(
    "fee_refunds",
    sa.column("refund_no", sa.String),
    sa.column("fee_id", sa.String),
    sa.column("amount_fen", sa.Integer),
    sa.column("succeeded_at", sa.DateTime(timezone=True)),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    op.create_table(
        "fee_refunds",
        sa.Column("refund_no", sa.String(64), primary_key=True),
        sa.Column("fee_id", sa.String(36), sa.ForeignKey("fees.id"), nullable=False, index=True),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("succeeded_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "reconciliations",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("matched", sa.Integer(), nullable=False),
        sa.Column("payments_fen", sa.Integer(), nullable=False),
        sa.Column("refunds_fen", sa.Integer(), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("ran_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ran_by", sa.String(64), nullable=False),
    )
    _move_refunds_out_of_items()


def _move_refunds_out_of_items() -> None:
    conn = op.get_bind()
    for fee_id, raw in conn.execute(sa.select(_fees.c.id, _fees.c["items"])).all():
        items = json.loads(raw) if isinstance(raw, str) else list(raw or [])
        refunds = [i for i in items if "refund_no" in i]
        if not refunds:
            continue
        for r in refunds:
            at = datetime.fromisoformat(str(r["at"]))
            conn.execute(
                _refunds.insert().values(
                    refund_no=r["refund_no"],
                    fee_id=fee_id,
                    amount_fen=int(r["amount_fen"]),
                    succeeded_at=at,
                    created_at=at,
                )
            )
        kept = [i for i in items if "refund_no" not in i]
        conn.execute(_fees.update().where(_fees.c.id == fee_id).values(items=kept))


def downgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(_refunds.c.fee_id, _refunds.c.refund_no, _refunds.c.amount_fen, _refunds.c.succeeded_at)
    ).all()
    by_fee: dict[str, list[dict[str, object]]] = {}
    for fee_id, refund_no, amount, at in rows:
        by_fee.setdefault(fee_id, []).append({"refund_no": refund_no, "amount_fen": amount, "at": str(at)})
    for fee_id, refunds in by_fee.items():
        raw = conn.execute(sa.select(_fees.c["items"]).where(_fees.c.id == fee_id)).scalar_one()
        items = json.loads(raw) if isinstance(raw, str) else list(raw or [])
        conn.execute(_fees.update().where(_fees.c.id == fee_id).values(items=[*items, *refunds]))
    op.drop_table("reconciliations")
    op.drop_table("fee_refunds")
