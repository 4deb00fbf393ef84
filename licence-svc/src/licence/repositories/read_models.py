"""Queries on the read models: catalog's items, identity's persons and units, confirmed holder
bindings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared import org_read_model

from ..models import CatalogItem, HolderBinding, OrgUnit, Person


async def find_item(session: AsyncSession, item_code: str) -> CatalogItem | None:
    """The published item of that code, or None."""
    return await session.get(CatalogItem, item_code)


async def find_person(session: AsyncSession, account_id: str) -> Person | None:
    """The person of that account, or None."""
    return await session.get(Person, account_id)


async def upsert_org_unit(session: AsyncSession, data: dict[str, Any]) -> None:
    """Keep a unit's code and name from identity.org_unit.changed.v1 (an older change is ignored)."""
    await org_read_model.upsert_org_unit(session, OrgUnit, data)


async def unit_names(session: AsyncSession, codes: Iterable[str | None]) -> dict[str, str]:
    """Unit code → name, for the codes known."""
    wanted = {c for c in codes if c}
    if not wanted:
        return {}
    rows = await session.execute(select(OrgUnit.code, OrgUnit.name).where(OrgUnit.code.in_(wanted)))
    return {str(code): str(name) for code, name in rows}


async def find_binding(session: AsyncSession, account_id: str) -> HolderBinding | None:
    """The account's confirmed resident ID, or None."""
    return await session.get(HolderBinding, account_id)


async def add_binding(session: AsyncSession, account_id: str, identifier: str, name: str) -> None:
    """Record the account's resident ID unless recorded already (two first calls at once: one row)."""
    dialect = session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(HolderBinding)
    values = {"account_id": account_id, "identifier": identifier, "name": name}
    await session.execute(insert.values(values).on_conflict_do_nothing(index_elements=["account_id"]))
