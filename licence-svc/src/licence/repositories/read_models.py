"""Queries on the read models: catalog's items, identity's persons, confirmed holder bindings."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import CatalogItem, HolderBinding, Person


async def find_item(session: AsyncSession, item_code: str) -> CatalogItem | None:
    """The published item of that code, or None."""
    return await session.get(CatalogItem, item_code)


async def find_person(session: AsyncSession, account_id: str) -> Person | None:
    """The person of that account, or None."""
    return await session.get(Person, account_id)


async def find_binding(session: AsyncSession, account_id: str) -> HolderBinding | None:
    """The account's confirmed resident ID, or None."""
    return await session.get(HolderBinding, account_id)


async def add_binding(session: AsyncSession, account_id: str, identifier: str, name: str) -> None:
    """Record the account's resident ID unless recorded already (two first calls at once: one row)."""
    dialect = session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(HolderBinding)
    values = {"account_id": account_id, "identifier": identifier, "name": name}
    await session.execute(insert.values(values).on_conflict_do_nothing(index_elements=["account_id"]))
