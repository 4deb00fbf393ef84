"""evaluation's copies of other services' data: identity's units and staff, catalog's items.

Reports and indicators name items from the `catalog_items` read model; an item the catalogue has
not (yet) published there keeps the name its intake events carried (a row with version 0, replaced
by any publication). Units and windows are named from identity's `org_units`, staff members from
`staff_members` (a 服务之星 is shown by name, never by account id).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.orm import as_utc, utcnow

from ..clients import catalog, identity
from ..models import CatalogItem
from ..repositories.read_models import CatalogItemRepository, OrgUnitRepository, StaffRepository

#: version_no of a row named by an intake event only; any catalogue version (≥ 1) replaces it.
INTAKE_VERSION = 0


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


async def unit_code_of(session: AsyncSession, org_unit: str | None) -> str | None:
    """The code of the unit a token names (by id); a value that is already a code passes through."""
    if not org_unit:
        return None
    unit = await OrgUnitRepository(session).find(org_unit)
    return unit.code if unit is not None else org_unit


async def parent_code_of(session: AsyncSession, code: str) -> str | None:
    """The code of the unit above `code` (a window's department or centre), if known."""
    repo = OrgUnitRepository(session)
    unit = await repo.find_by_code(code)
    if unit is None or unit.parent_id is None:
        return None
    parent = await repo.find(unit.parent_id)
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
