"""Request dependencies and response helpers shared by the routers."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import Depends
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import CurrentPrincipal, Principal
from yiwang_shared.db import SessionDep
from yiwang_shared.pagination import PageParams

from ..sources.identity import unit_code_of


async def unit_principal(principal: CurrentPrincipal, session: SessionDep) -> Principal:
    """The caller with `org_unit` translated from identity's unit id to the unit code."""
    if not principal.is_staff or not principal.org_unit:
        return principal
    code = principal.org_unit_code or await unit_code_of(session, principal.org_unit)
    return dataclasses.replace(principal, org_unit=code)


#: The authenticated caller, staff unit as a code (what evaluation keys units by).
UnitPrincipal = Annotated[Principal, Depends(unit_principal)]


async def fetch_page(session: AsyncSession, stmt: Select[Any], page: PageParams) -> tuple[list[Any], int]:
    """One page of an ordered select's entities and how many match in all."""
    count = select(func.count()).select_from(stmt.order_by(None).subquery())
    total = int((await session.execute(count)).scalar_one())
    rows = (await session.execute(stmt.limit(page.limit).offset(page.offset))).scalars().all()
    return list(rows), total


async def fetch_rows(session: AsyncSession, stmt: Select[Any], page: PageParams) -> tuple[list[Any], int]:
    """One page of an ordered select's rows (tuples of its columns) and how many match in all."""
    count = select(func.count()).select_from(stmt.order_by(None).subquery())
    total = int((await session.execute(count)).scalar_one())
    rows = (await session.execute(stmt.limit(page.limit).offset(page.offset))).all()
    return list(rows), total
