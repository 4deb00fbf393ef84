"""evaluation's copies of other services' data: identity's units and staff, catalog's items.

Reports and indicators name items from the `catalog_items` read model; an item the catalogue has
not (yet) published there keeps the name its intake events carried (a row with version 0, replaced
by any publication). Units and windows are named from identity's `org_units`, staff members from
`staff_members` (a 服务之星 is shown by name, never by account id).
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.calendar import WorkingCalendar
from yiwang_shared.orm import as_utc, utcnow
from yiwang_shared.read_model_cache import CachedReadModel, ReadModelCache

from ..clients import catalog, identity
from ..models import CatalogItem
from ..repositories.read_models import (
    CALENDAR,
    ORG_TREE,
    CatalogItemRepository,
    OrgTree,
    OrgUnitRepository,
    StaffRepository,
)

#: version_no of a row named by an intake event only; any catalogue version (≥ 1) replaces it.
INTAKE_VERSION = 0

#: What every write step reads and almost nothing writes, held in memory (issue 19): identity's
#: organisation tree and the working-day calendar. The first read in a unit of work checks both
#: with one statement (`yiwang_shared.read_model_cache`) and reloads only a table that changed, so
#: an edit is seen by the next request or transaction after the consumer committed it. Never read
#: them in a session that writes their table (the consumers write in sessions of their own).
CACHE = ReadModelCache(ORG_TREE, CALENDAR)

T = TypeVar("T")


async def upsert_item(session: AsyncSession, data: dict[str, Any]) -> None:
    """Keep the newest published version's name and department; an older one never wins."""
    item = catalog.parse_published(data)
    unit = item.owner_unit or item.elements.implementing_unit
    assert unit is not None
    repo = CatalogItemRepository(session)
    row = await repo.find(item.item_code)
    if row is None:
        repo.add(
            CatalogItem(
                code=item.item_code,
                name=item.elements.name,
                department_code=unit.code,
                department_name=unit.name,
                version_no=item.version_no,
                published_at=as_utc(item.published_at),
            )
        )
        return
    if item.version_no < row.version_no:
        return
    row.name = item.elements.name
    row.department_code = unit.code
    row.department_name = unit.name
    row.version_no = item.version_no
    row.published_at = as_utc(item.published_at)


async def name_from_intake(session: AsyncSession, code: str, name: str | None, unit_code: str) -> str | None:
    """The item's name for a service: the catalogue's, else intake's (kept as the fallback, version 0)."""
    repo = CatalogItemRepository(session)
    row = await repo.find(code)
    if row is None:
        if name:
            repo.add(
                CatalogItem(
                    code=code,
                    name=name,
                    department_code=unit_code,
                    department_name=None,
                    version_no=INTAKE_VERSION,
                    published_at=utcnow(),
                )
            )
        return name
    if row.version_no == INTAKE_VERSION and name and row.name != name:
        row.name = name
    return row.name


async def item_name(session: AsyncSession, code: str) -> str | None:
    """One item's name (the catalogue's, else the one intake gave), if known."""
    row = await CatalogItemRepository(session).find(code)
    return row.name if row is not None else None


async def items_of_department(session: AsyncSession, unit_code: str) -> list[str]:
    """Item codes a department answers for."""
    return await CatalogItemRepository(session).codes_of_department(unit_code)


async def upsert_org_unit(session: AsyncSession, data: dict[str, Any]) -> None:
    """Create or update a unit; an older change never overwrites a newer one."""
    await OrgUnitRepository(session).upsert(identity.parse_org_unit_changed(data))


async def upsert_staff(session: AsyncSession, data: dict[str, Any]) -> None:
    """Create or update a staff member; an older change never overwrites a newer one."""
    await StaffRepository(session).upsert(identity.check_staff_changed(data))


async def _cached(session: AsyncSession, model: CachedReadModel[T]) -> T:
    # The step's own changes are in other tables: they stay pending for its one flush instead of
    # being flushed by the fingerprint statement.
    with session.no_autoflush:
        return await CACHE.get(session, model)


async def org_tree(session: AsyncSession) -> OrgTree:
    """Every known organisation unit, by id and by code (held in memory)."""
    return await _cached(session, ORG_TREE)


async def working_calendar(session: AsyncSession) -> WorkingCalendar:
    """The working-day calendar (held in memory)."""
    return await _cached(session, CALENDAR)


async def unit_code_of(session: AsyncSession, org_unit: str | None) -> str | None:
    """The code of the unit a token names (by id); a value that is already a code passes through."""
    if not org_unit:
        return None
    unit = (await org_tree(session)).by_id.get(org_unit)
    return unit.code if unit is not None else org_unit


async def codes_below(session: AsyncSession, code: str) -> tuple[str, ...]:
    """`code` and the code of every known unit below it (`<code>-…`: its windows), the units a
    member of `code` sees."""
    below = (c for c in (await org_tree(session)).by_code if c.startswith(code + "-"))
    return (code, *sorted(below))


async def parent_code_of(session: AsyncSession, code: str) -> str | None:
    """The code of the unit above `code` (a window's department or centre), if known."""
    tree = await org_tree(session)
    unit = tree.by_code.get(code)
    if unit is None or unit.parent_id is None:
        return None
    parent = tree.by_id.get(unit.parent_id)
    return parent.code if parent is not None else None


async def staff_names(session: AsyncSession, ids: set[str]) -> dict[str, str]:
    """{staff id: name} of the staff members among `ids` that are known."""
    return await StaffRepository(session).names(ids)


async def names(session: AsyncSession, codes: list[str], dimension: str) -> dict[str, str]:
    """The names of some keys: units and windows from identity's read model, items from catalog's."""
    if not codes:
        return {}
    if dimension == "item":
        return await CatalogItemRepository(session).names(codes)
    if dimension in ("unit", "window"):
        return await OrgUnitRepository(session).names(codes)
    if dimension == "staff":
        return await StaffRepository(session).names(codes)
    return {}
