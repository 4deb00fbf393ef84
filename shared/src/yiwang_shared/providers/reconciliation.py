"""Reconciling a day (对账): the provider's statement against what we booked, line by line.

Each line is keyed by what it is (a payment of an order, or one refund of it) and compared by
amount; what is on one side only, or differs, is a discrepancy a person looks at. What a
discrepancy means for a case is the service's business.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from .payment import PaymentStatement

__all__ = ["Booked", "Discrepancy", "Reconciliation", "reconcile"]


@dataclass(frozen=True)
class Booked:
    """A payment or refund as we booked it."""

    kind: Literal["payment", "refund"]
    merchant_order_no: str
    amount_fen: int
    refund_no: str | None = None


@dataclass(frozen=True)
class Discrepancy:
    """One line that does not match: only at the provider, only ours, or another amount."""

    kind: Literal["payment", "refund"]
    merchant_order_no: str
    refund_no: str | None
    problem: Literal["only_at_provider", "only_ours", "amount_differs"]
    ours_fen: int | None
    theirs_fen: int | None


@dataclass(frozen=True)
class Reconciliation:
    """The day's result: how many lines matched, and every discrepancy."""

    date: date
    matched: int
    discrepancies: list[Discrepancy] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        """Every line on both sides, with the same amounts."""
        return not self.discrepancies


#: (kind, merchant order number, refund number): what a line is.
_Key = tuple[Literal["payment", "refund"], str, str | None]


def reconcile(statement: PaymentStatement, booked: Iterable[Booked]) -> Reconciliation:
    """Compare the statement's lines with ours (keyed by kind, order number and refund number)."""
    theirs: dict[_Key, int] = {}
    for line in statement.lines:
        key: _Key = (line.kind, line.merchant_order_no, line.refund_no)
        theirs[key] = theirs.get(key, 0) + line.amount_fen
    ours: dict[_Key, int] = {}
    for b in booked:
        key = (b.kind, b.merchant_order_no, b.refund_no)
        ours[key] = ours.get(key, 0) + b.amount_fen
    found: list[Discrepancy] = []
    matched = 0
    for key in sorted(theirs.keys() | ours.keys(), key=lambda k: (k[1], k[0], k[2] or "")):
        kind, order_no, refund_no = key
        mine, provider = ours.get(key), theirs.get(key)
        if mine == provider:
            matched += 1
            continue
        problem: Literal["only_at_provider", "only_ours", "amount_differs"] = (
            "only_at_provider" if mine is None else "only_ours" if provider is None else "amount_differs"
        )
        found.append(Discrepancy(kind, order_no, refund_no, problem, mine, provider))
    return Reconciliation(date=statement.date, matched=matched, discrepancies=found)
