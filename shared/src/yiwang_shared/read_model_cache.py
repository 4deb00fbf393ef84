"""Read models a service keeps from other services' events (the organisation tree, staff, the
working-day calendar), held in memory per database and checked with one statement per unit of work.

A write step reads the same few read models every time (the unit that decides an item, the
clerk's window, the working days of a limit). Loading them costs a statement or more each and
their rows change rarely (an event from identity-svc). So each is kept in memory per database,
with its table's version: a counter in `read_model_versions` that the table's own triggers move on
whenever a statement writes it (`tables.create_read_model_versions_v1`, in each service's
migrations), so nobody writing the table can forget it. The first read in a unit of work (a
request's session, or one `Database.transaction()`) fetches the versions of every read model of
the service in **one** statement — a row per table, whatever the tables hold — and reloads only a
model whose version moved. An edit upstream is therefore seen by the next unit of work that starts
after the consumer committed it, in every process of the service.

Rules for a loader: it returns plain values (dataclasses, tuples, dicts), never ORM instances
(the value outlives the session and is shared by every request), and nothing may mutate it. Never
read a cached model in a session that writes its table (the consumers write in sessions of their
own): the versions are read once per session.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from .tables import read_model_versions

__all__ = ["CachedReadModel", "ReadModelCache", "UnversionedTable"]

T = TypeVar("T")

#: Databases remembered per process (tests make one per test): past it the cache starts afresh.
_MAX_DATABASES = 64


@dataclass(frozen=True, eq=False)
class CachedReadModel(Generic[T]):
    """One read model: its table (with a row in `read_model_versions`) and its loader."""

    name: str
    table: sa.Table
    load: Callable[[AsyncSession], Awaitable[T]]


class UnversionedTable(RuntimeError):
    """A read model's table has no row in `read_model_versions`: its migration is missing."""


class ReadModelCache:
    """A service's cached read models; `get` answers from memory once the unit of work's single
    versions statement shows the model's table unchanged since it was loaded."""

    def __init__(self, *models: CachedReadModel[Any]) -> None:
        names = [m.name for m in models]
        if len(set(names)) != len(names):
            # not user-facing: a service declares its read models at import
            raise ValueError(f"read model names must differ: {names}")
        self.models = models
        self._session_key = f"yiwang.read_models.{id(self)}"
        self._kept: dict[str, dict[str, tuple[int, Any]]] = {}
        self._tables = sorted({m.table.name for m in models})
        self._versions_query = sa.select(
            read_model_versions.c.table_name, read_model_versions.c.version
        ).where(read_model_versions.c.table_name.in_(self._tables))

    async def get(self, session: AsyncSession, model: CachedReadModel[T]) -> T:
        """The model as the database had it when this unit of work first asked for a read model."""
        if model not in self.models:
            raise KeyError(f"{model.name} is not one of this cache's read models")
        # Without autoflush: a read model asked for in the middle of a step must not write the
        # step's pending changes early (the row would be written twice).
        with session.no_autoflush:
            return await self._get(session, model)

    async def _get(self, session: AsyncSession, model: CachedReadModel[T]) -> T:
        fingerprints = await self._fingerprints(session)
        database = str(getattr(session.bind, "url", ""))
        kept = self._kept.get(database)
        if kept is None:
            if len(self._kept) >= _MAX_DATABASES:
                self._kept.clear()
            kept = self._kept[database] = {}
        fingerprint = fingerprints[model.name]
        entry = kept.get(model.name)
        if entry is not None and entry[0] == fingerprint:
            value: T = entry[1]
            return value
        value = await model.load(session)
        kept[model.name] = (fingerprint, value)
        return value

    async def _fingerprints(self, session: AsyncSession) -> dict[str, int]:
        """Every model's table version, read once per session (one statement) and kept on it."""
        kept = session.info.get(self._session_key)
        if isinstance(kept, dict):
            return kept
        versions = {table: version for table, version in await session.execute(self._versions_query)}
        missing = [t for t in self._tables if t not in versions]
        if missing:
            # not user-facing: a deployment whose migrations are incomplete, refused loudly
            raise UnversionedTable(
                f"no read_model_versions row for {', '.join(missing)}: the service's migration that "
                "calls create_read_model_versions_v1 for them is missing"
            )
        fingerprints = {m.name: int(versions[m.table.name]) for m in self.models}
        session.info[self._session_key] = fingerprints
        return fingerprints

    def forget(self, session: AsyncSession) -> None:
        """Take the fingerprints again at the next `get` in this session (after it wrote a table)."""
        session.info.pop(self._session_key, None)
