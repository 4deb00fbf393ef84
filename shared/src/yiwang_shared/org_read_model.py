"""Keeping a service's copy of identity's organisation tree (from `identity.org_unit.changed.v1`).

Each service owns its own read-model table (its own ORM class, in its own migrations); this is the
one way of applying the event to it, so every copy behaves the same: an older event never
overwrites a newer state, and a code that moved to a new unit id upstream follows it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .orm import as_utc, utcnow

__all__ = ["upsert_org_unit"]

U = TypeVar("U")

#: Payload fields copied when the read model has a column of that name (`org_unit_id` is the key).
_FIELDS = ("code", "name", "kind", "parent_id", "uscc")


async def upsert_org_unit(session: AsyncSession, model: type[U], data: dict[str, Any]) -> U:
    """Create or update the `model` row of a unit from an org_unit.changed payload.

    `model` needs `id`, `code`, `name` and `updated_at` columns; `kind`, `level`, `parent_id` and
    `uscc` are copied when it has them. An event older (by `changed_at`) than the row is ignored.
    """
    changed_at = data.get("changed_at")
    at = as_utc(datetime.fromisoformat(changed_at)) if isinstance(changed_at, str) else utcnow()
    m: Any = model
    unit = await session.get(m, data["org_unit_id"])
    if unit is None:
        clash = (await session.execute(select(m).where(m.code == data["code"]))).scalar_one_or_none()
        if clash is not None:  # the code moved to a new id upstream: the newest owner wins
            await session.delete(clash)
            await session.flush()
        unit = m(id=data["org_unit_id"], updated_at=at)
        session.add(unit)
    elif unit.updated_at > at:
        return unit  # type: ignore[no-any-return]
    for name in _FIELDS:
        if hasattr(m, name):
            setattr(unit, name, data.get(name))
    if hasattr(m, "level"):
        unit.level = int(data["level"])
    unit.updated_at = at
    await session.flush()
    return unit  # type: ignore[no-any-return]
