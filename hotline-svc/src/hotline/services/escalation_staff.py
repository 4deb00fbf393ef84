"""hotline's copy of identity's staff (from identity.staff.changed.v1): who holds which role where."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.staff_read_model import is_active

from ..models import StaffMember
from ..repositories.staff import directory

__all__ = ["active_in_unit", "find_staff", "is_active", "upsert_staff"]


async def upsert_staff(session: AsyncSession, data: dict[str, Any]) -> StaffMember:
    """Apply an identity.staff.changed.v1 payload; an older event never overwrites a newer state."""
    return await directory.upsert(session, data)  # type: ignore[no-any-return]


async def find_staff(session: AsyncSession, staff_id: str) -> StaffMember | None:
    """A staff member by account id, active or not (None when identity never told us)."""
    return await directory.find(session, staff_id)


async def active_in_unit(session: AsyncSession, unit_code: str, roles: Iterable[str]) -> list[StaffMember]:
    """Active staff of exactly `unit_code` holding one of `roles`, by name."""
    return await directory.active_in_unit(session, unit_code, roles)
