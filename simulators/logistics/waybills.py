"""The rules of waybills and their tracking events, on the simulator's SQLite file."""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
import time
from dataclasses import dataclass
from typing import Any

from ..common.errors import SimulatorError
from ..common.notifier import Notifier
from ..common.store import iso, now_iso
from .schemas import WaybillCreate
from .settings import LogisticsSettings

SCHEMA = """
CREATE TABLE IF NOT EXISTS waybills (
    waybill_no TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    parcel_ref TEXT NOT NULL,
    sender TEXT NOT NULL,
    recipient TEXT NOT NULL,
    notify_url TEXT NOT NULL,
    remark TEXT NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT NOT NULL DEFAULT 'delivered',
    created_at TEXT NOT NULL,
    cancelled_at TEXT,
    next_event_at REAL,
    UNIQUE (customer_id, parcel_ref)
);
CREATE TABLE IF NOT EXISTS tracking_events (
    waybill_no TEXT NOT NULL REFERENCES waybills (waybill_no),
    sequence INTEGER NOT NULL,
    code TEXT NOT NULL,
    description TEXT NOT NULL,
    location TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    PRIMARY KEY (waybill_no, sequence)
);
CREATE INDEX IF NOT EXISTS waybills_due ON waybills (next_event_at);
"""

#: Where a journey is after each event, and what comes next; the last step depends on the outcome.
FINISHED = ("delivered", "returned", "cancelled")


def city(address: str) -> str:
    """The city or district an address starts with (北京市朝阳区…→ 北京市朝阳区), for the events' places."""
    m = re.match(r"^(.{2,8}?(?:省|自治区))?(.{1,8}?(?:市|州|盟))?(.{1,8}?(?:区|县|旗))?", address)
    found = "".join(g for g in (m.groups() if m else ()) if g)
    return found or address[:6]


def journey(sender: dict[str, str], recipient: dict[str, str], outcome: str) -> list[tuple[str, str, str]]:
    """The waybill's events in order: (code, description, location)."""
    origin, destination = city(sender["address"]), city(recipient["address"])
    steps = [
        ("picked_up", f"已揽收：【{origin}揽投部】已收寄，揽投员已取件", origin),
        ("in_transit", f"运输中：快件已到达【{origin}邮区中心】", origin),
        ("in_transit", f"运输中：快件已离开【{origin}邮区中心】，发往【{destination}】", origin),
        ("out_for_delivery", f"派送中：【{destination}揽投部】投递员正在派送，请保持电话畅通", destination),
    ]
    if outcome == "returned":
        steps.append(("returned", "退回：收件人拒收，快件退回寄件人", destination))
    else:
        steps.append(("delivered", "已签收：收件人本人签收，感谢使用中国邮政EMS（模拟）", destination))
    return steps


@dataclass
class Waybills:
    """Creates, advances and cancels waybills; queues a callback for each tracking event."""

    conn: sqlite3.Connection
    settings: LogisticsSettings
    notifier: Notifier

    def get(self, customer_id: str, waybill_no: str) -> dict[str, Any]:
        """The customer's waybill with its events (404 if none)."""
        row = self.conn.execute(
            "SELECT * FROM waybills WHERE waybill_no = ? AND customer_id = ?", (waybill_no, customer_id)
        ).fetchone()
        if row is None:
            raise SimulatorError(404, "WAYBILL_NOT_FOUND", f"运单 {waybill_no} 不存在")
        return self.public(row)

    def find_by_parcel_ref(self, customer_id: str, parcel_ref: str) -> dict[str, Any] | None:
        """The waybill made for the customer's parcel reference, or None."""
        row = self.conn.execute(
            "SELECT * FROM waybills WHERE customer_id = ? AND parcel_ref = ?", (customer_id, parcel_ref)
        ).fetchone()
        return None if row is None else self.public(row)

    def create(self, customer_id: str, body: WaybillCreate) -> tuple[dict[str, Any], bool]:
        """A new waybill, or the one already made for this parcel reference (409 if its recipient
        differs); True when created. Its first event comes one step from now."""
        existing = self.find_by_parcel_ref(customer_id, body.parcel_ref)
        if existing is not None:
            if existing["recipient"] != body.recipient.model_dump():
                raise SimulatorError(409, "PARCEL_REF_CONFLICT", f"包裹编号 {body.parcel_ref} 已用于另一运单")
            return existing, False
        for _ in range(10):
            waybill_no = "1" + "".join(secrets.choice("0123456789") for _ in range(12))
            if (
                self.conn.execute("SELECT 1 FROM waybills WHERE waybill_no = ?", (waybill_no,)).fetchone()
                is None
            ):
                break
        self.conn.execute(
            "INSERT INTO waybills (waybill_no, customer_id, parcel_ref, sender, recipient, notify_url,"
            " remark, status, created_at, next_event_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'created', ?, ?)",
            (
                waybill_no,
                customer_id,
                body.parcel_ref,
                json.dumps(body.sender.model_dump(), ensure_ascii=False),
                json.dumps(body.recipient.model_dump(), ensure_ascii=False),
                body.notify_url,
                body.remark,
                now_iso(),
                time.time() + self.settings.step_seconds,
            ),
        )
        return self.get(customer_id, waybill_no), True

    def cancel(self, customer_id: str, waybill_no: str) -> dict[str, Any]:
        """Cancel before pickup (cancelling a cancelled one again is no error)."""
        waybill = self.get(customer_id, waybill_no)
        if waybill["status"] == "cancelled":
            return waybill
        if waybill["status"] != "created":
            raise SimulatorError(409, "WAYBILL_PICKED_UP", "快件已揽收，不能取消")
        self.conn.execute(
            "UPDATE waybills SET status = 'cancelled', cancelled_at = ?, next_event_at = NULL"
            " WHERE waybill_no = ?",
            (now_iso(), waybill_no),
        )
        return self.get(customer_id, waybill_no)

    def advance(self, waybill_no: str, outcome: str | None = None) -> dict[str, Any]:
        """Add the waybill's next event now and queue its callback (409 once finished)."""
        row = self.conn.execute("SELECT * FROM waybills WHERE waybill_no = ?", (waybill_no,)).fetchone()
        if row is None:
            raise SimulatorError(404, "WAYBILL_NOT_FOUND", f"运单 {waybill_no} 不存在")
        if row["status"] in FINISHED:
            raise SimulatorError(409, "WAYBILL_FINISHED", f"运单状态为 {row['status']}，没有后续轨迹")
        if outcome is not None:
            self.conn.execute("UPDATE waybills SET outcome = ? WHERE waybill_no = ?", (outcome, waybill_no))
            row = self.conn.execute("SELECT * FROM waybills WHERE waybill_no = ?", (waybill_no,)).fetchone()
        self._next_event(row)
        return self.public(
            self.conn.execute("SELECT * FROM waybills WHERE waybill_no = ?", (waybill_no,)).fetchone()
        )

    def advance_due(self) -> int:
        """Add the next event of every waybill whose time has come; how many."""
        due = self.conn.execute(
            "SELECT * FROM waybills WHERE next_event_at IS NOT NULL AND next_event_at <= ? LIMIT 100",
            (time.time(),),
        ).fetchall()
        for row in due:
            self._next_event(row)
        return len(due)

    def public(self, row: sqlite3.Row) -> dict[str, Any]:
        """The waybill as the API answers it, with its events."""
        events = [
            {k: e[k] for k in ("sequence", "code", "description", "location", "occurred_at")}
            for e in self.conn.execute(
                "SELECT * FROM tracking_events WHERE waybill_no = ? ORDER BY sequence", (row["waybill_no"],)
            )
        ]
        return {
            "waybill_no": row["waybill_no"],
            "parcel_ref": row["parcel_ref"],
            "status": row["status"],
            "sender": json.loads(row["sender"]),
            "recipient": json.loads(row["recipient"]),
            "created_at": row["created_at"],
            "cancelled_at": row["cancelled_at"],
            "events": events,
        }

    def _next_event(self, row: sqlite3.Row) -> None:
        steps = journey(json.loads(row["sender"]), json.loads(row["recipient"]), row["outcome"])
        done = self.conn.execute(
            "SELECT COUNT(*) FROM tracking_events WHERE waybill_no = ?", (row["waybill_no"],)
        ).fetchone()[0]
        code, description, location = steps[done]
        now = time.time()
        event = {
            "sequence": done + 1,
            "code": code,
            "description": description,
            "location": location,
            "occurred_at": iso(now),
        }
        self.conn.execute(
            "INSERT INTO tracking_events (waybill_no, sequence, code, description, location, occurred_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (row["waybill_no"], event["sequence"], code, description, location, event["occurred_at"]),
        )
        last = done + 1 == len(steps)
        self.conn.execute(
            "UPDATE waybills SET status = ?, next_event_at = ? WHERE waybill_no = ?",
            (code, None if last else now + self.settings.step_seconds, row["waybill_no"]),
        )
        self.notifier.enqueue(
            merchant_id=row["customer_id"],
            subject_key=row["waybill_no"],
            url=row["notify_url"],
            body={
                "event_type": "waybill.tracking",
                "waybill_no": row["waybill_no"],
                "parcel_ref": row["parcel_ref"],
                "status": code,
                "event": event,
            },
        )
