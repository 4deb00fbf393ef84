"""The rules of payment orders and refunds, on the simulator's SQLite file."""

from __future__ import annotations

import secrets
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ..common.errors import SimulatorError
from ..common.notifier import Notifier
from ..common.store import now_iso, parse_iso
from .schemas import OrderCreate, RefundCreate
from .settings import PaymentSettings

#: A statement's day is the business day in China.
CHINA = ZoneInfo("Asia/Shanghai")

SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (
    order_id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL,
    merchant_order_no TEXT NOT NULL,
    payment_code TEXT NOT NULL UNIQUE,
    amount_fen INTEGER NOT NULL,
    refunded_fen INTEGER NOT NULL DEFAULT 0,
    subject TEXT NOT NULL,
    payer_name TEXT NOT NULL,
    notify_url TEXT NOT NULL,
    status TEXT NOT NULL,
    channel TEXT,
    created_at TEXT NOT NULL,
    expire_at TEXT NOT NULL,
    paid_at TEXT,
    paid_day TEXT,
    closed_at TEXT,
    version INTEGER NOT NULL,
    duplicate_notify INTEGER NOT NULL DEFAULT 0,
    reorder_notify INTEGER NOT NULL DEFAULT 0,
    UNIQUE (merchant_id, merchant_order_no)
);
CREATE TABLE IF NOT EXISTS refunds (
    refund_id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL,
    order_id TEXT NOT NULL REFERENCES orders (order_id),
    refund_no TEXT NOT NULL,
    amount_fen INTEGER NOT NULL,
    reason TEXT NOT NULL,
    notify_url TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    succeeded_at TEXT,
    succeeded_day TEXT,
    UNIQUE (merchant_id, refund_no)
);
CREATE INDEX IF NOT EXISTS orders_paid_day ON orders (merchant_id, paid_day);
CREATE INDEX IF NOT EXISTS refunds_day ON refunds (merchant_id, succeeded_day);
"""


#: What the API shows of an order and of a refund (the rest is the simulator's own).
ORDER_FIELDS = (
    "order_id",
    "merchant_order_no",
    "payment_code",
    "amount_fen",
    "refunded_fen",
    "subject",
    "payer_name",
    "status",
    "channel",
    "created_at",
    "expire_at",
    "paid_at",
    "closed_at",
    "version",
)
REFUND_FIELDS = (
    "refund_id",
    "refund_no",
    "order_id",
    "amount_fen",
    "reason",
    "status",
    "created_at",
    "succeeded_at",
)


def china_day(iso_time: str) -> str:
    """The date in China of an ISO time."""
    return parse_iso(iso_time).astimezone(CHINA).date().isoformat()


def payment_code(region_code: str) -> str:
    """A 20-digit 缴款码: region (6), year (2), serial (11) and a Luhn check digit."""
    body = region_code[:6].rjust(6, "0") + f"{datetime.now(CHINA).year % 100:02d}"
    body += "".join(secrets.choice("0123456789") for _ in range(11))
    return body + luhn_digit(body)


def luhn_digit(digits: str) -> str:
    """The Luhn check digit for a string of digits."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


@dataclass
class Orders:
    """Creates, pays, closes, expires and refunds orders; queues their notifications."""

    conn: sqlite3.Connection
    settings: PaymentSettings
    notifier: Notifier

    # ── reading ──────────────────────────────────────────────────────────────────────────────

    def get(self, merchant_id: str, order_id: str) -> dict[str, Any]:
        """The merchant's order, expired first if its time has passed (404 if none)."""
        row = self.conn.execute(
            "SELECT * FROM orders WHERE order_id = ? AND merchant_id = ?", (order_id, merchant_id)
        ).fetchone()
        if row is None:
            raise SimulatorError(404, "ORDER_NOT_FOUND", f"订单 {order_id} 不存在")
        return self._expire_if_due(row)

    def find_by_merchant_no(self, merchant_id: str, merchant_order_no: str) -> dict[str, Any] | None:
        """The order with the merchant's own number, or None."""
        row = self.conn.execute(
            "SELECT * FROM orders WHERE merchant_id = ? AND merchant_order_no = ?",
            (merchant_id, merchant_order_no),
        ).fetchone()
        return None if row is None else self._expire_if_due(row)

    def for_payer(self, *, order_id: str | None = None, code: str | None = None) -> dict[str, Any]:
        """An order as the payer finds it: by its id (the pay URL) or its 缴款码."""
        if order_id is not None:
            row = self.conn.execute("SELECT * FROM orders WHERE order_id = ?", (order_id,)).fetchone()
        else:
            row = self.conn.execute("SELECT * FROM orders WHERE payment_code = ?", (code,)).fetchone()
        if row is None:
            raise SimulatorError(404, "ORDER_NOT_FOUND", "未找到该缴款单，请核对缴款码")
        return self._expire_if_due(row)

    def public(self, order: dict[str, Any]) -> dict[str, Any]:
        """The order as the API answers it."""
        data = {k: order[k] for k in ORDER_FIELDS}
        data["pay_url"] = f"{self.settings.public_url}/pay/{order['order_id']}"
        return data

    # ── the merchant's calls ─────────────────────────────────────────────────────────────────

    def create(self, merchant_id: str, body: OrderCreate) -> tuple[dict[str, Any], bool]:
        """A new order, or the existing one with this merchant order number (409 if it differs);
        True when created."""
        existing = self.find_by_merchant_no(merchant_id, body.merchant_order_no)
        if existing is not None:
            same = (existing["amount_fen"], existing["subject"], existing["payer_name"]) == (
                body.amount_fen,
                body.subject,
                body.payer_name,
            )
            if not same:
                raise SimulatorError(
                    409, "ORDER_NO_CONFLICT", f"商户订单号 {body.merchant_order_no} 已用于另一笔订单"
                )
            return existing, False
        now = datetime.now(UTC)
        expire_at = body.expire_at or now + timedelta(seconds=self.settings.order_ttl_seconds)
        if expire_at.tzinfo is None:
            expire_at = expire_at.replace(tzinfo=UTC)
        if expire_at <= now:
            raise SimulatorError(400, "PARAM_ERROR", "expire_at: 失效时间须晚于当前时间")
        order_id = "PO" + now.astimezone(CHINA).strftime("%Y%m%d%H%M%S") + f"{secrets.randbelow(10**8):08d}"
        for _ in range(5):
            code = payment_code(self.settings.region_code)
            if self.conn.execute("SELECT 1 FROM orders WHERE payment_code = ?", (code,)).fetchone() is None:
                break
        self.conn.execute(
            "INSERT INTO orders (order_id, merchant_id, merchant_order_no, payment_code, amount_fen,"
            " subject, payer_name, notify_url, status, created_at, expire_at, version, duplicate_notify,"
            " reorder_notify) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'unpaid', ?, ?, 1, ?, ?)",
            (
                order_id,
                merchant_id,
                body.merchant_order_no,
                code,
                body.amount_fen,
                body.subject,
                body.payer_name,
                body.notify_url,
                now.isoformat(timespec="microseconds"),
                expire_at.astimezone(UTC).isoformat(timespec="microseconds"),
                int(self.settings.duplicate_notify),
                int(self.settings.reorder_notify),
            ),
        )
        return self.get(merchant_id, order_id), True

    def close(self, merchant_id: str, order_id: str) -> dict[str, Any]:
        """Close an unpaid order (closing a closed one again is no error)."""
        order = self.get(merchant_id, order_id)
        if order["status"] == "closed":
            return order
        if order["status"] != "unpaid":
            raise SimulatorError(409, "ORDER_NOT_CLOSABLE", f"订单状态为 {order['status']}，不能关闭")
        self._set(order_id, status="closed", closed_at=now_iso())
        return self.get(merchant_id, order_id)

    def refund(self, merchant_id: str, order_id: str, body: RefundCreate) -> tuple[dict[str, Any], bool]:
        """Refund part or all of a paid order at once and queue its notification; the same refund
        number again returns the same refund (409 if it differs); True when created."""
        order = self.get(merchant_id, order_id)
        row = self.conn.execute(
            "SELECT * FROM refunds WHERE merchant_id = ? AND refund_no = ?", (merchant_id, body.refund_no)
        ).fetchone()
        if row is not None:
            if (row["order_id"], row["amount_fen"]) != (order_id, body.amount_fen):
                raise SimulatorError(409, "REFUND_NO_CONFLICT", f"退款单号 {body.refund_no} 已用于另一笔退款")
            return self.refund_public(dict(row), order), False
        if order["status"] not in ("paid",):
            raise SimulatorError(409, "ORDER_NOT_PAID", f"订单状态为 {order['status']}，不能退款")
        left = order["amount_fen"] - order["refunded_fen"]
        if body.amount_fen > left:
            raise SimulatorError(409, "REFUND_EXCEEDS", f"退款金额超过可退金额（{left} 分）")
        at = now_iso()
        refund_id = "RF" + secrets.token_hex(10).upper()
        notify_url = body.notify_url or order["notify_url"]
        self.conn.execute(
            "INSERT INTO refunds (refund_id, merchant_id, order_id, refund_no, amount_fen, reason,"
            " notify_url, status, created_at, succeeded_at, succeeded_day)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 'succeeded', ?, ?, ?)",
            (
                refund_id,
                merchant_id,
                order_id,
                body.refund_no,
                body.amount_fen,
                body.reason,
                notify_url,
                at,
                at,
                china_day(at),
            ),
        )
        refunded = order["refunded_fen"] + body.amount_fen
        self._set(
            order_id, refunded_fen=refunded, status="refunded" if refunded == order["amount_fen"] else "paid"
        )
        order = self.get(merchant_id, order_id)
        refund = self.refund_public(self._refund_row(refund_id), order)
        self.notifier.enqueue(
            merchant_id=merchant_id,
            subject_key=order_id,
            url=notify_url,
            body={
                "event_type": "refund.succeeded",
                "created_at": at,
                "order": self.public(order),
                "refund": refund,
            },
            duplicate=bool(order["duplicate_notify"]),
        )
        return refund, True

    def get_refund(self, merchant_id: str, order_id: str, refund_no: str) -> dict[str, Any]:
        """One refund of the merchant's order by its refund number."""
        order = self.get(merchant_id, order_id)
        row = self.conn.execute(
            "SELECT * FROM refunds WHERE merchant_id = ? AND order_id = ? AND refund_no = ?",
            (merchant_id, order_id, refund_no),
        ).fetchone()
        if row is None:
            raise SimulatorError(404, "REFUND_NOT_FOUND", f"退款单 {refund_no} 不存在")
        return self.refund_public(dict(row), order)

    def refund_public(self, row: dict[str, Any], order: dict[str, Any]) -> dict[str, Any]:
        """A refund as the API answers it."""
        return {**{k: row[k] for k in REFUND_FIELDS}, "merchant_order_no": order["merchant_order_no"]}

    def statement(self, merchant_id: str, day: date) -> dict[str, Any]:
        """Every payment and refund of the day (China time), oldest first, with totals."""
        lines: list[dict[str, Any]] = []
        for o in self.conn.execute(
            "SELECT * FROM orders WHERE merchant_id = ? AND paid_day = ?", (merchant_id, day.isoformat())
        ):
            lines.append(
                {
                    "kind": "payment",
                    "order_id": o["order_id"],
                    "merchant_order_no": o["merchant_order_no"],
                    "payment_code": o["payment_code"],
                    "refund_no": None,
                    "amount_fen": o["amount_fen"],
                    "channel": o["channel"],
                    "occurred_at": o["paid_at"],
                }
            )
        for r in self.conn.execute(
            "SELECT r.*, o.merchant_order_no, o.payment_code, o.channel"
            " FROM refunds r JOIN orders o USING (order_id) WHERE r.merchant_id = ? AND r.succeeded_day = ?",
            (merchant_id, day.isoformat()),
        ):
            lines.append(
                {
                    "kind": "refund",
                    "order_id": r["order_id"],
                    "merchant_order_no": r["merchant_order_no"],
                    "payment_code": r["payment_code"],
                    "refund_no": r["refund_no"],
                    "amount_fen": r["amount_fen"],
                    "channel": r["channel"],
                    "occurred_at": r["succeeded_at"],
                }
            )
        lines.sort(key=lambda line: (line["occurred_at"], line["kind"]))
        payments = [x["amount_fen"] for x in lines if x["kind"] == "payment"]
        refunds = [x["amount_fen"] for x in lines if x["kind"] == "refund"]
        return {
            "merchant_id": merchant_id,
            "date": day.isoformat(),
            "lines": lines,
            "payments_count": len(payments),
            "payments_fen": sum(payments),
            "refunds_count": len(refunds),
            "refunds_fen": sum(refunds),
            "net_fen": sum(payments) - sum(refunds),
        }

    # ── the payer and the test control ───────────────────────────────────────────────────────

    def pay(self, order_id: str, channel: str) -> dict[str, Any]:
        """The payer pays: paid, and the notification queued (twice, or held back, if so set)."""
        order = self.for_payer(order_id=order_id)
        if order["status"] != "unpaid":
            words = {"paid": "已缴款", "refunded": "已退款", "closed": "已关闭", "expired": "已过期"}
            raise SimulatorError(
                409,
                f"ORDER_{order['status'].upper()}",
                f"该缴款单{words.get(order['status'], order['status'])}，不能缴款",
            )
        at = now_iso()
        self._set(order_id, status="paid", channel=channel, paid_at=at, paid_day=china_day(at))
        order = self.for_payer(order_id=order_id)
        self.notifier.enqueue(
            merchant_id=order["merchant_id"],
            subject_key=order_id,
            url=order["notify_url"],
            body={
                "event_type": "payment.succeeded",
                "created_at": at,
                "order": self.public(order),
                "refund": None,
            },
            duplicate=bool(order["duplicate_notify"]),
            hold_seconds=self.settings.hold_seconds if order["reorder_notify"] else None,
        )
        return order

    def set_behaviour(self, order_id: str, *, duplicate: bool, reorder: bool) -> dict[str, Any]:
        """Choose how this order's later notifications misbehave."""
        self.for_payer(order_id=order_id)
        self.conn.execute(
            "UPDATE orders SET duplicate_notify = ?, reorder_notify = ? WHERE order_id = ?",
            (int(duplicate), int(reorder), order_id),
        )
        return self.for_payer(order_id=order_id)

    def expire_due(self) -> int:
        """Expire every unpaid order whose time has passed; how many."""
        due = self.conn.execute(
            "SELECT * FROM orders WHERE status = 'unpaid' AND expire_at <= ?", (now_iso(),)
        ).fetchall()
        for row in due:
            self._expire_if_due(row)
        return len(due)

    # ── inside ───────────────────────────────────────────────────────────────────────────────

    def _expire_if_due(self, row: sqlite3.Row) -> dict[str, Any]:
        order = dict(row)
        if order["status"] == "unpaid" and parse_iso(order["expire_at"]).timestamp() <= time.time():
            self._set(order["order_id"], status="expired", closed_at=order["expire_at"])
            order = dict(
                self.conn.execute("SELECT * FROM orders WHERE order_id = ?", (order["order_id"],)).fetchone()
            )
        return order

    def _set(self, order_id: str, **values: Any) -> None:
        # Every change is a new version: a notification's snapshot can be told older or newer.
        assignments = ", ".join(f"{k} = ?" for k in values)
        self.conn.execute(
            f"UPDATE orders SET {assignments}, version = version + 1 WHERE order_id = ?",
            (*values.values(), order_id),
        )

    def _refund_row(self, refund_id: str) -> dict[str, Any]:
        return dict(self.conn.execute("SELECT * FROM refunds WHERE refund_id = ?", (refund_id,)).fetchone())
