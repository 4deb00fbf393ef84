"""Counting the SQL statements a request sends, for the services' statement-budget tests (issue 19).

The request under test runs in the test's own task (httpx's ASGITransport), while the relay, the
dispatchers and the scans run in tasks of their own: a context variable set around the request
keeps only its statements (a task started inside it inherits the list on purpose)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

#: The statements of the request being counted (None outside one), each shortened for messages.
STATEMENTS: ContextVar[list[str] | None] = ContextVar("yiwang_budget_statements", default=None)


def record_statement(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
    """`before_cursor_execute` listener: add the statement to the current list, if any."""
    seen = STATEMENTS.get()
    if seen is not None:
        seen.append(" ".join(statement.split())[:160])


@contextmanager
def counting_on(engine: AsyncEngine) -> Iterator[None]:
    """Listen on `engine` while the block runs; `statements_sent` then collects per request."""
    sync_engine = engine.sync_engine
    event.listen(sync_engine, "before_cursor_execute", record_statement)
    try:
        yield
    finally:
        event.remove(sync_engine, "before_cursor_execute", record_statement)


@contextmanager
def statements_sent() -> Iterator[list[str]]:
    """The statements sent from this task (and tasks it starts) while the block runs."""
    seen: list[str] = []
    token = STATEMENTS.set(seen)
    try:
        yield seen
    finally:
        STATEMENTS.reset(token)
