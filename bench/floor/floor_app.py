"""The floor (issue 19): the cheapest write request our stack can serve — FastAPI under uvicorn, a
pydantic body and response, an SQLAlchemy async engine on the same kind of database as the
services, one INSERT and one SELECT in one transaction, a JSON answer. Every step of every flow is
judged as a multiple of what this costs.

Run as a process of its own, like a service (bench/floor/run.py starts it):

    .venv/bin/python bench/floor/floor_app.py --database-url sqlite+aiosqlite:///var/floor.db --port 8090

SQLite gets the services' connection settings (WAL, synchronous=NORMAL, a busy timeout), so both
pay for the same durability. With `YIWANG_COUNT_SQL=1` it answers with `X-SQL-Statements` like the
services (yiwang_shared's counter), so the two carry the same counting overhead.
"""

from __future__ import annotations

import argparse
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any

import sqlalchemy as sa
import uvicorn
from fastapi import Depends, FastAPI, Request
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from yiwang_shared.app import SqlCountMiddleware
from yiwang_shared.db import count_statements, counting_sql, is_sqlite

metadata = sa.MetaData()
floor_rows = sa.Table(
    "floor_rows",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("text", sa.String(200), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)


class FloorIn(BaseModel):
    """The request body."""

    text: str = Field(max_length=200)


class FloorOut(BaseModel):
    """The answer: the row as read back."""

    id: str
    text: str
    created_at: datetime


async def _session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's transaction, committed before the answer is sent (as yiwang_shared.db's)."""
    async with request.app.state.sessions.begin() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(_session, scope="function")]


def create_app(database_url: str) -> FastAPI:
    """The floor application on `database_url`."""
    kwargs: dict[str, Any] = {}
    if is_sqlite(database_url):
        kwargs["connect_args"] = {"timeout": 30}
    else:
        kwargs.update(pool_size=10, max_overflow=10, pool_pre_ping=True)  # as yiwang_shared.db
    engine = create_async_engine(database_url, **kwargs)
    if is_sqlite(database_url):

        @sa.event.listens_for(engine.sync_engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

    if counting_sql():
        count_statements(engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        yield
        await engine.dispose()

    app = FastAPI(lifespan=lifespan)
    app.state.sessions = async_sessionmaker(engine, expire_on_commit=False)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/floor", status_code=201, response_model=FloorOut)
    async def floor(body: FloorIn, s: SessionDep) -> dict[str, Any]:
        row_id = str(uuid.uuid4())
        await s.execute(floor_rows.insert().values(id=row_id, text=body.text, created_at=datetime.now(UTC)))
        row = (await s.execute(sa.select(floor_rows).where(floor_rows.c.id == row_id))).one()
        return dict(row._mapping)

    if counting_sql():
        app.add_middleware(SqlCountMiddleware)
    return app


def main() -> None:
    """Serve the floor under uvicorn with the services' settings (yiwang_shared.app.serve)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(
        create_app(args.database_url),
        host=args.host,
        port=args.port,
        log_config=None,
        access_log=False,
        proxy_headers=True,
        forwarded_allow_ips="*",
        timeout_graceful_shutdown=10,
    )


if __name__ == "__main__":
    main()
