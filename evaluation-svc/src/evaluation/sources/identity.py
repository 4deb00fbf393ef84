"""identity-svc's `identity.org_unit.changed.v1` → the `org_units` read model, and
`identity.staff.changed.v1` → `staff_members` (names for the 服务之星 ranking).

Tokens carry the staff member's unit id (`org_unit`) and code (`org_unit_code`); evaluation keys
everything by unit code (as intake and hotline publish them); the read model also answers which
unit is above which.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared import org_read_model, staff_read_model

from ..models import OrgUnit, StaffMember
from . import PayloadRejected

ORG_UNIT_CHANGED = "identity.org_unit.changed.v1"
STAFF_CHANGED = "identity.staff.changed.v1"


class OrgUnitChanged(BaseModel):
    """The fields evaluation uses."""

    model_config = ConfigDict(extra="ignore")

    org_unit_id: str
    code: str
    name: str
    parent_id: str | None = None
    changed_at: datetime


async def upsert_org_unit(session: AsyncSession, data: dict[str, Any]) -> None:
    """Create or update a unit; an older change never overwrites a newer one."""
    try:
        change = OrgUnitChanged.model_validate(data)
    except ValidationError as exc:
        raise PayloadRejected(f"OrgUnitChanged: {exc.errors()}") from exc
    await org_read_model.upsert_org_unit(session, OrgUnit, change.model_dump(mode="json"))


async def unit_code_of(session: AsyncSession, org_unit: str | None) -> str | None:
    """The code of the unit a token names (by id); a value that is already a code passes through."""
    if not org_unit:
        return None
    unit = await session.get(OrgUnit, org_unit)
    return unit.code if unit is not None else org_unit


async def parent_code_of(session: AsyncSession, code: str) -> str | None:
    """The code of the unit above `code` (a window's department or centre), if known."""
    unit = (await session.execute(select(OrgUnit).where(OrgUnit.code == code))).scalar_one_or_none()
    if unit is None or unit.parent_id is None:
        return None
    parent = await session.get(OrgUnit, unit.parent_id)
    return parent.code if parent is not None else None


async def upsert_staff(session: AsyncSession, data: dict[str, Any]) -> None:
    """Create or update a staff member; an older change never overwrites a newer one."""
    if not data.get("staff_id") or not data.get("name"):
        raise PayloadRejected("identity.staff.changed.v1 without staff_id or name")
    await staff_read_model.upsert_staff(session, StaffMember, data)
