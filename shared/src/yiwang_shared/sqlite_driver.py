"""SQLite through aiosqlite with one thread hand-off per statement (issue 19).

aiosqlite runs the sqlite3 connection in a thread of its own and every call on it is a hand-off:
the event loop queues the call, the thread runs it and wakes the loop again. SQLAlchemy's aiosqlite
adapter makes four of them for one SELECT (open a cursor, execute, fetch every row, close the
cursor) and three for an INSERT or UPDATE — each a thread wake-up, a wake-up of the event loop
through its self-pipe and a switch of greenlet, about as much CPU as SQLite's own work on a
small statement. This adapter does the four in one call in the thread and keeps what the cursor
told (its description, row count and last row id) for SQLAlchemy to read afterwards.

Only the plain cursor changes: server-side cursors (`stream()`), the connection's `commit`,
`rollback` and `isolation_level` are SQLAlchemy's own. Pass the module to the engine:
`create_async_engine(url, module=one_hop_aiosqlite())`.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Sequence
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT

__all__ = ["one_hop_aiosqlite"]

#: What one statement left on its cursor: description, rows (None for no result), row count and
#: last row id.
_Outcome = tuple[Any, list[Any] | None, int, int | None]


def _run(conn: sqlite3.Connection, operation: str, parameters: Any, many: bool) -> _Outcome:
    """In aiosqlite's thread: the statement from cursor to closed cursor, in one call."""
    cursor = conn.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else None
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class _OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    """A cursor whose statement costs one hand-off to aiosqlite's thread; no driver cursor is
    held between statements."""

    __slots__ = ("_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: Any) -> None:  # no driver cursor: nothing to open
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        return self._lastrowid  # type: ignore[return-value]

    @property
    def arraysize(self) -> int:
        return 1

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        pass  # every row is fetched with the statement

    async def _async_soft_close(self) -> None:
        pass  # nothing left open in the thread

    def close(self) -> None:
        self._rows.clear()

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        await self._run(operation, parameters, many=False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Sequence[Any]) -> Any:
        await self._run(operation, seq_of_parameters, many=True)

    async def _run(self, operation: Any, parameters: Any, *, many: bool) -> None:
        async with self._adapt_connection._execute_mutex:
            connection = self._connection
            outcome: _Outcome = await connection._execute(_run, connection._conn, operation, parameters, many)
        self._description, rows, self._rowcount, self._lastrowid = outcome
        self._rows = collections.deque(rows) if rows is not None else collections.deque()


class _OneHopConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()
    _cursor_cls = _OneHopCursor


class _OneHopDbapi(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        adapted = super().connect(*arg, **kw)
        adapted.__class__ = _OneHopConnection  # same slots, another cursor class
        return adapted


def one_hop_aiosqlite() -> Any:
    """The DBAPI module for `create_async_engine(..., module=...)` on an SQLite URL."""
    return _OneHopDbapi(aiosqlite, sqlite3)
