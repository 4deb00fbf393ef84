"""The simulator's SQLite file: one connection, used from the event loop's thread only.

Every read-modify-write runs without an await inside it, so the loop never interleaves two; the
file keeps orders, waybills and undelivered callbacks across a restart.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

#: Tables both simulators have: the nonces seen (replay protection) and the callbacks to deliver.
COMMON_SCHEMA = """
CREATE TABLE IF NOT EXISTS nonces (
    merchant_id TEXT NOT NULL,
    nonce TEXT NOT NULL,
    expires_at REAL NOT NULL,
    PRIMARY KEY (merchant_id, nonce)
);
CREATE TABLE IF NOT EXISTS notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    notify_id TEXT NOT NULL,
    merchant_id TEXT NOT NULL,
    subject_key TEXT NOT NULL,
    url TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    copies_left INTEGER NOT NULL DEFAULT 1,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL,
    hold_until REAL,
    last_status INTEGER,
    last_error TEXT,
    created_at REAL NOT NULL,
    delivered_at REAL
);
CREATE INDEX IF NOT EXISTS notifications_due ON notifications (status, next_attempt_at);
"""


def open_store(path: Path, schema: str) -> sqlite3.Connection:
    """Open (and create) the file with the common tables and the simulator's own."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=5000")
    conn.executescript(COMMON_SCHEMA + schema)
    return conn


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction, rolled back on any exception: an order's change and the notification
    it queues are kept together or not at all. Inside another transaction it joins that one."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def now_iso() -> str:
    """Now in UTC, ISO 8601 with the offset."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def iso(ts: float) -> str:
    """A Unix time as ISO 8601 UTC."""
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="microseconds")


def parse_iso(value: str) -> datetime:
    """ISO 8601 back to an aware datetime (naive ones taken as UTC)."""
    dt = datetime.fromisoformat(value)
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def remember_nonce(conn: sqlite3.Connection, merchant_id: str, nonce: str, expires_at: float) -> bool:
    """Record a nonce; False if it was seen before and has not expired (old ones swept here)."""
    now = time.time()
    conn.execute("DELETE FROM nonces WHERE expires_at < ?", (now,))
    cur = conn.execute(
        "INSERT OR IGNORE INTO nonces (merchant_id, nonce, expires_at) VALUES (?, ?, ?)",
        (merchant_id, nonce, expires_at),
    )
    return cur.rowcount == 1
