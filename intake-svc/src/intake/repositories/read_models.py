"""Loading the read models a write step consults on every request (the organisation tree, the
working-day calendar, staff names, the service places' phones, which catalogue version is in
force) as plain frozen values, for the service's `ReadModelCache` (`services/read_models.py`).

Each loader reads its whole table once; the cache keeps the value per database until the table's
fingerprint (row count, latest `updated_at`) changes. The values outlive the session and are
shared by every request: never ORM instances, never mutated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.calendar import WorkingCalendar
from yiwang_shared.read_model_cache import CachedReadModel
from yiwang_shared.tables import calendar_days

from ..models.applications import CatalogueItem, OrgUnit
from ..models.appointments import ServicePlace
from ..models.base import Base
from ..models.escalation import StaffMember


@dataclass(frozen=True, slots=True)
class UnitRecord:
    """An organisation unit as the read model knows it (from identity.org_unit.changed.v1)."""

    id: str
    code: str
    name: str
    kind: str
    level: int
    parent_id: str | None


@dataclass(frozen=True, slots=True)
class OrgTree:
    """Every unit, by id and by code."""

    by_id: Mapping[str, UnitRecord]
    by_code: Mapping[str, UnitRecord]


@dataclass(frozen=True, slots=True)
class ItemInForce:
    """Whether a catalogue item takes applications and which of its versions is in force."""

    status: str
    current_version_no: int


async def load_org_tree(session: AsyncSession) -> OrgTree:
    """Every unit of the organisation read model."""
    rows = await session.execute(
        sa.select(OrgUnit.id, OrgUnit.code, OrgUnit.name, OrgUnit.kind, OrgUnit.level, OrgUnit.parent_id)
    )
    units = [UnitRecord(*row) for row in rows]
    return OrgTree(
        by_id=MappingProxyType({u.id: u for u in units}),
        by_code=MappingProxyType({u.code: u for u in units}),
    )


async def load_staff_names(session: AsyncSession) -> Mapping[str, str]:
    """{staff account id: name} of the staff read model (names left blank are left out)."""
    rows = await session.execute(sa.select(StaffMember.id, StaffMember.name))
    return MappingProxyType({staff_id: name for staff_id, name in rows if name})


async def load_place_phones(session: AsyncSession) -> Mapping[str, str | None]:
    """{unit code: the phone of its first active service place, by place code}."""
    rows = await session.execute(
        sa.select(ServicePlace.org_unit_code, ServicePlace.phone)
        .where(ServicePlace.active.is_(True))
        .order_by(ServicePlace.org_unit_code, ServicePlace.code)
    )
    phones: dict[str, str | None] = {}
    for unit_code, phone in rows:
        phones.setdefault(unit_code, phone)
    return MappingProxyType(phones)


async def load_items_in_force(session: AsyncSession) -> Mapping[str, ItemInForce]:
    """{item code: its status and version in force} of the catalogue read model."""
    rows = await session.execute(
        sa.select(CatalogueItem.code, CatalogueItem.status, CatalogueItem.current_version_no)
    )
    return MappingProxyType({code: ItemInForce(status, version) for code, status, version in rows})


def _table(name: str) -> sa.Table:
    return Base.metadata.tables[name]


ORG_TREE = CachedReadModel("org_units", _table("org_units"), load_org_tree)
CALENDAR = CachedReadModel("calendar", calendar_days, WorkingCalendar.load)
STAFF_NAMES = CachedReadModel("staff_names", _table("staff_members"), load_staff_names)
PLACE_PHONES = CachedReadModel("place_phones", _table("service_places"), load_place_phones)
ITEMS_IN_FORCE = CachedReadModel("items_in_force", _table("catalogue_items"), load_items_in_force)
