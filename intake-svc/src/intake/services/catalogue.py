"""The catalogue read model: items and every published version's elements, kept from
catalog.item.published.v1 / catalog.item.retired.v1 so no submission calls catalog-svc.

Handlers are upserts that never let an older version overwrite a newer one, so a redelivered or
out-of-order event has one effect.

Reading it costs no statement in a write step once warm: which version of an item is in force is
a cached read model (`services/read_models.py`, fingerprinted by `catalogue_items.updated_at`),
and a version, once published, never changes (a redelivered publication leaves it as it is), so
its elements are kept per database in a bounded cache of their own.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.orm import as_utc, utcnow

from ..models.applications import CatalogueItem, CatalogueVersion
from ..repositories.catalogue import CatalogueRepository
from .read_models import items_in_force


@dataclass(frozen=True)
class CatalogueEntry:
    """A published catalogue item version as intake knows it."""

    code: str
    name: str
    owner_unit_code: str
    owner_unit_name: str
    version_no: int
    elements: dict[str, Any]

    @property
    def appointment_supported(self) -> bool | None:
        """Does the item take online appointments (预约)? None when the element is absent."""
        value = self.elements.get("appointment_supported")
        return None if value is None else bool(value)

    @property
    def handling_type(self) -> str:
        """办件类型: 1 即办件, 2 承诺件, 9 other (承诺件 when absent)."""
        return str(self.elements.get("handling_type") or "2")

    @property
    def materials(self) -> list[dict[str, Any]]:
        """The application materials (申请材料) of this version."""
        return list(self.elements.get("materials") or [])

    def limit(self, which: str) -> tuple[int | None, str]:
        """(value, unit) of `legal_limit` or `promised_limit`; (None, working_day) when absent."""
        raw = self.elements.get(which) or {}
        value = raw.get("value")
        return (int(value) if value is not None else None, str(raw.get("unit") or "working_day"))


def _entry(version: CatalogueVersion) -> CatalogueEntry:
    return CatalogueEntry(
        code=version.item_code,
        name=version.name,
        owner_unit_code=version.owner_unit_code,
        owner_unit_name=version.owner_unit_name,
        version_no=version.version_no,
        elements=dict(version.elements),
    )


#: Published versions kept in memory (per database, item code and version number), newest use last.
_VERSIONS: OrderedDict[tuple[str, str, int], CatalogueEntry] = OrderedDict()
_MAX_VERSIONS = 2048


async def find_published_item(session: AsyncSession, code: str) -> CatalogueEntry | None:
    """The version in force of item `code`, or None if unknown or retired."""
    item = (await items_in_force(session)).get(code)
    if item is None or item.status != "published":
        return None
    return await find_version(session, code, item.current_version_no)


async def find_item_status(session: AsyncSession, code: str) -> str | None:
    """'published', 'retired' or None (unknown) for item `code`."""
    item = (await items_in_force(session)).get(code)
    return item.status if item is not None else None


async def find_version(session: AsyncSession, code: str, version_no: int) -> CatalogueEntry | None:
    """A specific published version (retired ones too: cases keep their version); its elements
    are shared by every caller and never changed."""
    catalogue = CatalogueRepository(session)
    key = (catalogue.database_key, code, version_no)
    kept = _VERSIONS.get(key)
    if kept is not None:
        _VERSIONS.move_to_end(key)
        return kept
    version = await catalogue.find_version(code, version_no)
    if version is None:
        return None
    entry = _VERSIONS[key] = _entry(version)
    if len(_VERSIONS) > _MAX_VERSIONS:
        _VERSIONS.popitem(last=False)
    return entry


async def list_published_page(
    session: AsyncSession, *, limit: int, offset: int
) -> tuple[list[CatalogueItem], int]:
    """One page of the items in force, by code, and how many there are in all."""
    return await CatalogueRepository(session).published_page(limit=limit, offset=offset)


async def record_published(session: AsyncSession, data: dict[str, Any]) -> None:
    """Apply a catalog.item.published.v1 payload: keep the version, make it current if newest."""
    code = str(data["item_code"])
    version_no = int(data["version_no"])
    published_at = as_utc(datetime.fromisoformat(str(data["published_at"])))
    elements = dict(data["elements"])
    owner = data.get("owner_unit") or {}
    owner_code = str(owner.get("code") or elements["implementing_unit"]["code"])
    owner_name = str(owner.get("name") or elements["implementing_unit"]["name"])
    catalogue = CatalogueRepository(session)
    if await catalogue.find_version(code, version_no) is None:
        catalogue.add(
            CatalogueVersion(
                item_code=code,
                version_no=version_no,
                name=str(elements["name"]),
                owner_unit_code=owner_code,
                owner_unit_name=owner_name,
                elements=elements,
                published_at=published_at,
            )
        )
    item = await catalogue.find_item(code)
    if item is None:
        catalogue.add(
            CatalogueItem(
                code=code,
                item_id=str(data["item_id"]),
                basic_code=str(data["basic_code"]),
                name=str(elements["name"]),
                owner_unit_code=owner_code,
                owner_unit_name=owner_name,
                current_version_no=version_no,
                status="published",
                published_at=published_at,
                retired_at=None,
                updated_at=utcnow(),
            )
        )
    elif version_no > item.current_version_no:
        # A newer version is in force; an older or repeated one changes nothing.
        item.current_version_no = version_no
        item.name = str(elements["name"])
        item.owner_unit_code = owner_code
        item.owner_unit_name = owner_name
        item.published_at = published_at
        item.status = "published"
        item.retired_at = None
        item.updated_at = utcnow()
    await session.flush()


async def record_retired(session: AsyncSession, data: dict[str, Any]) -> None:
    """Apply a catalog.item.retired.v1 payload: no new applications for the item."""
    item = await CatalogueRepository(session).find_item(str(data["item_code"]))
    if item is None:
        return  # never published here: nothing to retire
    retired_version = data.get("version_no")
    if retired_version is not None and int(retired_version) < item.current_version_no:
        return  # an older retirement arriving after a newer publication
    item.status = "retired"
    item.retired_at = as_utc(datetime.fromisoformat(str(data["retired_at"])))
    item.updated_at = utcnow()
    await session.flush()
