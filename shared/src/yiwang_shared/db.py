"""Database plumbing: async SQLAlchemy 2 on SQLite (embedded default) and PostgreSQL (asyncpg).

SQLite is set up for concurrent writers: WAL, a busy timeout, and write transactions that take
the write lock up front (`BEGIN IMMEDIATE`) so a second writer waits for the first instead of
failing with "database is locked" when it later tries to upgrade a read lock. Within one process
write transactions also queue on an asyncio lock before they begin: SQLite's busy handler polls
with growing sleeps, so writers of one process waiting on each other there gave a tail of seconds
under load; a FIFO queue hands the lock over at once. Other processes still meet the busy timeout.

The request's session dependency (`SessionDep`) is the single commit point: routes and services
never commit; the dependency commits once the route returns, before the response is sent, and
rolls back on any error.

`YIWANG_COUNT_SQL=1` (for bench/floor, off by default) counts the SQL statements sent: the service
app answers every request with `X-SQL-Statements` (that request's) and `X-SQL-Statements-Total`
(every statement of the process so far, background work such as the outbox relay included).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session

from .errors import UnprocessableEntity
from .sqlite_driver import one_hop_aiosqlite

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

#: Key in `Session.info` that outbox writers set so the relay is woken on commit.
OUTBOX_DIRTY = "yiwang_outbox_dirty"
#: Key in `Session.info` where outbox writers list the rows they wrote, in order, for the relay to
#: be handed after the commit; None once a savepoint rolled back (which of them were kept is unknown).
OUTBOX_ROWS = "yiwang_outbox_rows"


def list_for_handoff(session: AsyncSession | Session, key: str, items: list[Any]) -> None:
    """List `items` under `info[key]` for the hand-off hooks of that key after the commit
    (`Database.add_handoff_hook`); after a savepoint rolled back the list stays None (unknown)."""
    if key not in session.info:
        session.info[key] = items
    elif (listed := session.info[key]) is not None:
        listed.extend(items)


def is_sqlite(url: str) -> bool:
    """True for an SQLite URL."""
    return url.startswith("sqlite")


class _TrackingSession(Session):
    """Sync session class whose commits are observed by the owning Database."""


def _holds_nul(value: Any) -> bool:
    """True if a bound parameter (or any value inside it) is text holding U+0000."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_holds_nul(v) for v in value)
    return False


def _refuse_nul_text(
    _conn: Any, _cursor: Any, _statement: str, parameters: Any, _context: Any, _executemany: bool
) -> None:
    """Refuse text holding U+0000 before it reaches the database, on every backend alike.

    PostgreSQL cannot store NUL in text (the driver error would be a 500) while SQLite would keep
    it; a 422 here makes both answer the same and names what to fix. Parameters come as a row, a
    list of rows or (insertmanyvalues) one flat list, so every level is looked at."""
    if _holds_nul(parameters):
        raise UnprocessableEntity(
            "文本中不能含有空字符（U+0000），请删除后重新提交。",
            en="Text may not contain the NUL character (U+0000); remove it and send the request again.",
            code="nul_character",
        )


#: Set to "1" to count SQL statements (per request and per process); off by default.
COUNT_SQL_ENV = "YIWANG_COUNT_SQL"
#: The statement counter of the request being served ([count]), None outside a request.
_request_statements: ContextVar[list[int] | None] = ContextVar("yiwang_request_statements", default=None)
#: Every statement of the process sent by an engine `count_statements` was called on.
_process_statements = [0]


def counting_sql() -> bool:
    """True when `YIWANG_COUNT_SQL=1`: engines count their statements and apps report them."""
    return os.environ.get(COUNT_SQL_ENV) == "1"


def _count_statement(*_args: Any) -> None:
    _process_statements[0] += 1
    counter = _request_statements.get()
    if counter is not None:
        counter[0] += 1


def count_statements(engine: AsyncEngine) -> None:
    """Count every statement `engine` sends (an executemany is one): for the process, and for the
    request being served when inside `request_statements()`."""
    event.listen(engine.sync_engine, "before_cursor_execute", _count_statement)


def statements_total() -> int:
    """Statements sent so far by every counted engine of this process."""
    return _process_statements[0]


@contextmanager
def request_statements() -> Iterator[list[int]]:
    """Count the statements sent from this context (the request's task and what it awaits) into
    the yielded [count]; work in other tasks (the relay, consumers) is not counted in it."""
    counter = [0]
    token = _request_statements.set(counter)
    try:
        yield counter
    finally:
        _request_statements.reset(token)


#: A pooled PostgreSQL connection idle longer than this is pinged before it is used again.
PING_AFTER_IDLE_SECONDS = 10.0
_CHECKED_IN_AT = "yiwang_checked_in_at"


def _check_before_use(engine: AsyncEngine) -> None:
    """Replace a dead pooled connection before a transaction meets it, with no round trip for one
    in steady use.

    SQLAlchemy's `pool_pre_ping` pings on every checkout; on asyncpg a ping is BEGIN, `;` and
    ROLLBACK, three round trips and 0.07 ms of CPU per transaction (issue 19, measured). Here a
    connection the server closed (a restart, a terminated backend: the driver has seen its socket
    close) is noticed without asking the server, and only one idle for longer than
    `PING_AFTER_IDLE_SECONDS`, which may have died without its socket saying so, is pinged. A
    failed check raises DisconnectionError: the pool drops that connection and takes another."""
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "checkin")
    def _on_checkin(_dbapi_conn: Any, record: Any) -> None:
        record.info[_CHECKED_IN_AT] = time.monotonic()

    @event.listens_for(sync_engine, "checkout")
    def _on_checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        driver_conn = getattr(dbapi_conn, "_connection", None)  # asyncpg's own connection
        if driver_conn is not None and driver_conn.is_closed():
            raise DisconnectionError("the server closed this pooled connection")
        checked_in_at = record.info.get(_CHECKED_IN_AT)
        if checked_in_at is not None and time.monotonic() - checked_in_at > PING_AFTER_IDLE_SECONDS:
            try:
                sync_engine.dialect.do_ping(dbapi_conn)
            except Exception as exc:
                raise DisconnectionError(f"ping failed: {exc}") from exc


class Database:
    """An engine plus read and write session factories, with after-commit hooks."""

    def __init__(self, url: str, *, echo: bool = False, pool_size: int = 10) -> None:
        self.url = url
        self.sqlite = is_sqlite(url)
        self._write_turn = asyncio.Lock() if self.sqlite else None
        self._turn_owner: asyncio.Task[Any] | None = None
        kwargs: dict[str, Any] = {"echo": echo}
        if self.sqlite:
            kwargs["connect_args"] = {"timeout": 30}
            if url.startswith("sqlite+aiosqlite"):
                kwargs["module"] = one_hop_aiosqlite()  # a statement is one hand-off, not four
        else:
            kwargs.update(pool_size=pool_size, max_overflow=pool_size)
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        if not self.sqlite:
            _check_before_use(self.engine)
        event.listen(self.engine.sync_engine, "before_cursor_execute", _refuse_nul_text)
        if counting_sql():
            count_statements(self.engine)
        self._commit_hooks: dict[str, list[Callable[[], None]]] = {}
        self._handoff_hooks: dict[str, list[Callable[[list[Any] | None], None]]] = {}
        #: What every new session starts with in its `info` (a worker that stamps rows at birth
        #: puts its claim here while it runs); copied into each session when it is made.
        self.session_info: dict[str, Any] = {}
        if self.sqlite:
            self._configure_sqlite(self.engine)
        # A write engine shares the pool; on SQLite its transactions begin IMMEDIATE.
        self.write_engine = self.engine.execution_options(yiwang_write=True)
        sync_cls = type("BoundTrackingSession", (_TrackingSession,), {})
        event.listen(sync_cls, "after_commit", self._after_commit)
        event.listen(sync_cls, "after_soft_rollback", self._after_rollback)
        self._writer = async_sessionmaker(
            self.write_engine, expire_on_commit=False, sync_session_class=sync_cls, info=self.session_info
        )
        self._reader = async_sessionmaker(
            self.engine, expire_on_commit=False, sync_session_class=sync_cls, info=self.session_info
        )

    @staticmethod
    def _configure_sqlite(engine: AsyncEngine) -> None:
        sync_engine = engine.sync_engine

        @event.listens_for(sync_engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy (not the driver) decide when transactions begin.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(sync_engine, "begin")
        def _on_begin(conn: Connection) -> None:
            if conn.get_execution_options().get("yiwang_write"):
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                conn.exec_driver_sql("BEGIN")

    def add_commit_hook(self, hook: Callable[[], None], *, flag: str = OUTBOX_DIRTY) -> None:
        """Call `hook` after any commit of a session whose `info[flag]` a writer set (by default:
        it wrote outbox rows); the transaction's commit, not a savepoint's release. A worker waits
        on its own flag, so it is woken only when a commit gave it work, not by every commit that
        wrote an event."""
        self._commit_hooks.setdefault(flag, []).append(hook)

    def add_handoff_hook(self, hook: Callable[[list[Any] | None], None], *, key: str = OUTBOX_ROWS) -> None:
        """Call `hook(items)` after each commit whose writers listed items under `info[key]`
        (`list_for_handoff`; by default the outbox rows), in the order listed (None: a savepoint of
        it rolled back, so which were kept is unknown). A rolled-back transaction hands nothing."""
        self._handoff_hooks.setdefault(key, []).append(hook)

    def _after_commit(self, session: Session) -> None:
        if session.in_nested_transaction():
            return  # a savepoint released: nothing is committed until the transaction is
        for key, handoffs in self._handoff_hooks.items():
            if key in session.info:
                items = session.info.pop(key)
                for handoff in handoffs:
                    handoff(items)
        for flag, hooks in self._commit_hooks.items():
            if session.info.pop(flag, False):
                for hook in hooks:
                    hook()

    def _after_rollback(self, session: Session, rolled_back: Any) -> None:
        for key in self._handoff_hooks:
            if key not in session.info:
                continue
            if rolled_back.nested:
                session.info[key] = None  # items listed before the savepoint are still due
            else:
                del session.info[key]

    @asynccontextmanager
    async def transaction(self, *, write: bool = True) -> AsyncIterator[AsyncSession]:
        """A session in one transaction: committed on normal exit, rolled back on error."""
        if write and self._write_turn is not None and self._turn_owner is not asyncio.current_task():
            # A task already holding the turn (a request whose session has not begun, calling a
            # service that opens its own transaction) goes straight on, as it did without the queue.
            async with self._write_turn:
                self._turn_owner = asyncio.current_task()
                try:
                    async with self._run(self._writer) as session:
                        yield session
                finally:
                    self._turn_owner = None
            return
        async with self._run(self._writer if write else self._reader) as session:
            yield session

    @staticmethod
    @asynccontextmanager
    async def _run(factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
        async with factory() as session:
            try:
                yield session
                await session.commit()
            except BaseException as exc:
                if getattr(exc, "commit_changes", False):
                    # A refusal that must still be recorded (a failed login attempt, say).
                    await session.commit()
                else:
                    await session.rollback()
                raise

    def session(self, *, write: bool = True) -> AsyncSession:
        """A bare session (caller manages the transaction)."""
        return (self._writer if write else self._reader)()

    async def ping(self) -> None:
        """Raise if the database does not answer."""
        async with self.engine.connect() as conn:
            await asyncio.wait_for(conn.execute(text("SELECT 1")), timeout=2)

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's session: a write transaction for unsafe methods, committed before responding."""
    db: Database = request.app.state.db
    async with db.transaction(write=request.method not in SAFE_METHODS) as session:
        yield session


#: Inject the request's session. scope="function" makes the commit happen before the response is
#: sent, so a failed commit is a problem response, never a 2xx for lost work.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
