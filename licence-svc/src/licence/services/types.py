"""The licence-type catalogue (证照类型目录): listed for anyone, kept by administrators."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from .. import errors
from ..models import LicenceType
from ..repositories import types as repo
from ..schemas import LicenceTypeCreate, LicenceTypeUpdate


async def get_type(session: AsyncSession, code: str) -> LicenceType:
    """The type of `code` (404 if none)."""
    licence_type = await repo.find_type(session, code)
    if licence_type is None:
        raise errors.type_not_found(code)
    return licence_type


async def list_types(session: AsyncSession, *, limit: int, offset: int) -> tuple[Sequence[LicenceType], int]:
    """A page of the catalogue, by code."""
    return await repo.list_types(session, limit=limit, offset=offset)


async def create_type(session: AsyncSession, body: LicenceTypeCreate) -> LicenceType:
    """Add a type (409 if its code or name is taken)."""
    if await repo.clash(session, body.code, body.name):
        raise errors.type_exists(body.code, body.name)
    licence_type = LicenceType(**body.model_dump())
    session.add(licence_type)
    await session.flush()
    return licence_type


async def update_type(session: AsyncSession, code: str, body: LicenceTypeUpdate) -> LicenceType:
    """Change the fields given (409 if the new name is another type's)."""
    licence_type = await get_type(session, code)
    changes = body.model_dump(exclude_unset=True)
    if changes.get("name") and await repo.name_taken(session, changes["name"], besides=code):
        raise errors.type_exists(code, changes["name"])
    for name, value in changes.items():
        if name in ("name", "active") and value is None:
            continue  # never unset
        setattr(licence_type, name, value)
    await session.flush()
    return licence_type
