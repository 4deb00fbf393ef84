"""intake's read models held in memory (`yiwang_shared.read_model_cache`): the organisation tree,
the working-day calendar, staff names, the service places' phones and which catalogue version is
in force. A unit of work checks all of them with ONE fingerprint statement, the first time it asks
for any, and reloads only a model whose table changed since; so a write step walks the org tree,
counts working days and names its handler without a query of its own.

The tables are written by the consumers (identity's and catalog's events) and by the places'
administration, each in a unit of work that does not read the cache.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.calendar import WorkingCalendar
from yiwang_shared.read_model_cache import ReadModelCache

from ..repositories.read_models import (
    CALENDAR,
    ITEMS_IN_FORCE,
    ORG_TREE,
    PLACE_PHONES,
    STAFF_NAMES,
    ItemInForce,
    OrgTree,
    UnitRecord,
)

__all__ = [
    "READ_MODELS",
    "ItemInForce",
    "OrgTree",
    "UnitRecord",
    "items_in_force",
    "org_tree",
    "place_phones",
    "staff_names",
    "working_calendar",
]

READ_MODELS = ReadModelCache(ORG_TREE, CALENDAR, STAFF_NAMES, PLACE_PHONES, ITEMS_IN_FORCE)


async def org_tree(session: AsyncSession) -> OrgTree:
    """Every organisation unit, by id and by code."""
    return await READ_MODELS.get(session, ORG_TREE)


async def working_calendar(session: AsyncSession) -> WorkingCalendar:
    """The working-day calendar the unit of work counts on."""
    return await READ_MODELS.get(session, CALENDAR)


async def staff_names(session: AsyncSession) -> Mapping[str, str]:
    """{staff account id: name} from the staff read model."""
    return await READ_MODELS.get(session, STAFF_NAMES)


async def place_phones(session: AsyncSession) -> Mapping[str, str | None]:
    """{unit code: the phone of its first active service place}."""
    return await READ_MODELS.get(session, PLACE_PHONES)


async def items_in_force(session: AsyncSession) -> Mapping[str, ItemInForce]:
    """{item code: its status and version in force}."""
    return await READ_MODELS.get(session, ITEMS_IN_FORCE)
