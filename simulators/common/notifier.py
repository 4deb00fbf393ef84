"""Callbacks (notify) to the merchant: kept in SQLite, signed at each attempt, retried with backoff
until a 2xx; on request delivered twice, or held back until a later one of the same subject has
been delivered (an older state arriving after a newer one)."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from yarl import URL

from . import signing
from .store import transaction

log = logging.getLogger("simulators.notifier")

#: How long after the first delivery a duplicate follows.
DUPLICATE_DELAY_SECONDS = 0.3


@dataclass
class Notifier:
    """Delivers the notifications table's due rows; `run` is the loop, `enqueue` adds one."""

    conn: sqlite3.Connection
    merchants: dict[str, str]
    retry_base_seconds: float
    retry_max_seconds: float
    max_attempts: int
    poll_seconds: float = 0.2
    timeout_seconds: float = 5.0

    def enqueue(
        self,
        *,
        merchant_id: str,
        subject_key: str,
        url: str,
        body: dict[str, Any],
        duplicate: bool = False,
        hold_seconds: float | None = None,
    ) -> str:
        """Queue a callback; returns its notify_id (already in `body` if the caller set one)."""
        notify_id = str(body.setdefault("notify_id", uuid.uuid4().hex))
        now = time.time()
        status = "held" if hold_seconds is not None else "pending"
        self.conn.execute(
            "INSERT INTO notifications (notify_id, merchant_id, subject_key, url, body, status, copies_left,"
            " next_attempt_at, hold_until, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                notify_id,
                merchant_id,
                subject_key,
                url,
                json.dumps(body, ensure_ascii=False, separators=(",", ":")),
                status,
                2 if duplicate else 1,
                now,
                None if hold_seconds is None else now + hold_seconds,
                now,
            ),
        )
        return notify_id

    def deliveries(self, subject_key: str) -> list[sqlite3.Row]:
        """Every notification of one order or waybill, oldest first (for the simulator's status)."""
        return list(
            self.conn.execute("SELECT * FROM notifications WHERE subject_key = ? ORDER BY id", (subject_key,))
        )

    async def run(self) -> None:
        """Deliver due callbacks until cancelled."""
        async with aiohttp.ClientSession(trust_env=False, cookie_jar=aiohttp.DummyCookieJar()) as session:
            while True:
                try:
                    due = self._due()
                    if due:
                        groups = _by_subject(due)
                        await asyncio.gather(*(self._deliver_in_order(session, rows) for rows in groups))
                        continue
                except asyncio.CancelledError:
                    raise
                except Exception:  # a bug here must not stop every later callback
                    log.exception("notifier loop")
                await asyncio.sleep(self.poll_seconds)

    def _due(self) -> list[sqlite3.Row]:
        with transaction(self.conn):
            return self._release_and_select()

    def _release_and_select(self) -> list[sqlite3.Row]:
        now = time.time()
        # A held notification goes when its hold ends even if nothing later was delivered.
        self.conn.execute(
            "UPDATE notifications SET status = 'pending', next_attempt_at = ? "
            "WHERE status = 'held' AND hold_until <= ?",
            (now, now),
        )
        return list(
            self.conn.execute(
                "SELECT * FROM notifications WHERE status = 'pending' AND next_attempt_at <= ? "
                "ORDER BY next_attempt_at, id LIMIT 20",
                (now,),
            )
        )

    async def _deliver_in_order(self, session: aiohttp.ClientSession, rows: list[sqlite3.Row]) -> None:
        # One subject's callbacks go one after another, so they arrive in the order they happened
        # (unless one was held back on purpose); different subjects go side by side.
        for row in rows:
            await self._deliver(session, row)

    async def _deliver(self, session: aiohttp.ClientSession, row: sqlite3.Row) -> None:
        body = str(row["body"]).encode()
        parts = urlsplit(row["url"])
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        secret = self.merchants.get(row["merchant_id"], "")
        headers = {
            "Authorization": signing.authorization(row["merchant_id"], secret, "POST", target, body),
            "Content-Type": "application/json; charset=utf-8",
        }
        status: int | None = None
        error = ""
        try:
            # Sent exactly as given (not re-quoted), so the path is the one signed.
            async with session.post(
                URL(row["url"], encoded=True),
                data=body,
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=self.timeout_seconds),
            ) as resp:
                status = resp.status
                await resp.read()
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            error = str(exc) or type(exc).__name__
        with transaction(self.conn):
            self._record(row, status, error)

    def _record(self, row: sqlite3.Row, status: int | None, error: str) -> None:
        now = time.time()
        attempts = int(row["attempts"]) + 1
        if status is not None and 200 <= status < 300:
            copies_left = int(row["copies_left"]) - 1
            if copies_left > 0:
                # The duplicate: the same notification again, signed afresh, a moment later.
                self.conn.execute(
                    "UPDATE notifications SET copies_left = ?, attempts = ?, last_status = ?, "
                    "next_attempt_at = ? WHERE id = ?",
                    (copies_left, attempts, status, now + DUPLICATE_DELAY_SECONDS, row["id"]),
                )
                return
            self.conn.execute(
                "UPDATE notifications SET status = 'delivered', copies_left = 0, attempts = ?, "
                "last_status = ?, delivered_at = ? WHERE id = ?",
                (attempts, status, now, row["id"]),
            )
            # Anything held back for this subject now arrives after the newer state.
            self.conn.execute(
                "UPDATE notifications SET status = 'pending', next_attempt_at = ? "
                "WHERE status = 'held' AND subject_key = ? AND id < ?",
                (now, row["subject_key"], row["id"]),
            )
            return
        next_status = "failed" if attempts >= self.max_attempts else "pending"
        delay = min(self.retry_max_seconds, self.retry_base_seconds * 2 ** (attempts - 1))
        self.conn.execute(
            "UPDATE notifications SET status = ?, attempts = ?, last_status = ?, last_error = ?, "
            "next_attempt_at = ? WHERE id = ?",
            (next_status, attempts, status, error[:500] or None, now + delay, row["id"]),
        )


def _by_subject(rows: list[sqlite3.Row]) -> list[list[sqlite3.Row]]:
    """Due rows grouped by subject (order or waybill), each group in the order they were selected."""
    groups: dict[str, list[sqlite3.Row]] = {}
    for row in rows:
        groups.setdefault(str(row["subject_key"]), []).append(row)
    return list(groups.values())
