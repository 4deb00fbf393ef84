"""Queries the process's copy of the search index reads: the generation, the change log, the rows.

The triggers of migration catalog_0005 keep `search_state` (one row: epoch, generation) and
`search_changes` (the item ids changed per generation); services/search_index.py explains how a
process keeps its copy equal to them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any, cast

from sqlalchemy import Table, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Item, SearchChange, SearchState, SearchTerm

_items = cast(Table, Item.__table__)
_terms = cast(Table, SearchTerm.__table__)
_state = cast(Table, SearchState.__table__)
_changes = cast(Table, SearchChange.__table__)

#: The item columns search reads, after the id: status and what the filters test.
_COLUMNS = (
    _items.c.id,
    _items.c.status,
    _items.c.item_type,
    _items.c.level,
    _items.c.owner_unit_code,
    _items.c.service_objects_tags,
    _items.c.online_depth,
    _items.c.visits,
    _items.c.themes_tags,
    _items.c.community_kind,
)
_TERM_ROW = (_terms.c.item_id, _terms.c.term, _terms.c.field, _terms.c.weight)


class SearchIndexRepository:
    """The index's state, change log, rows and the searched item columns in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def state(self) -> Any:
        """(generation, epoch[, whether the transaction has written]) as the transaction sees them.

        On PostgreSQL a third column is txid_current_if_assigned(): NULL until the transaction
        writes.
        """
        columns: list[Any] = [_state.c.generation, _state.c.epoch]
        if self.session.get_bind().dialect.name == "postgresql":
            columns.append(func.txid_current_if_assigned())
        return (await self.session.execute(select(*columns))).one()

    async def changes_after(self, after: int, upto: int) -> list[Any]:
        """(item id, oldest generation still logged) per item logged in (after, upto]."""
        c = _changes.c
        changed = select(c.item_id).where(c.generation > after, c.generation <= upto)
        oldest = select(func.min(c.generation)).scalar_subquery()
        return list((await self.session.execute(select(changed.subquery().c.item_id, oldest))).all())

    async def stream_terms(self) -> AsyncIterator[Sequence[Any]]:
        """Every index row (item id, term, field, weight), by item id, in parts of 20,000."""
        result = await self.session.stream(select(*_TERM_ROW).order_by(_terms.c.item_id))
        async for part in result.partitions(20_000):
            yield part

    async def terms_of(self, item_ids: Sequence[str]) -> list[Any]:
        """The index rows (item id, term, field, weight) of these items."""
        rows = await self.session.execute(select(*_TERM_ROW).where(_terms.c.item_id.in_(item_ids)))
        return list(rows.all())

    async def columns(self, item_ids: Sequence[str] | None = None) -> list[Any]:
        """(id, status, item_type, level, owner_unit_code, service_objects_tags, online_depth,
        visits, themes_tags, community_kind) of these items, or of every item."""
        query = select(*_COLUMNS)
        if item_ids is not None:
            query = query.where(_items.c.id.in_(item_ids))
        return list((await self.session.execute(query)).all())

    async def prune_log(self, keep: int) -> None:
        """Delete change-log entries more than `keep` generations old."""
        now = select(_state.c.generation).where(_state.c.id == 1).scalar_subquery()
        await self.session.execute(delete(_changes).where(_changes.c.generation < now - keep))
