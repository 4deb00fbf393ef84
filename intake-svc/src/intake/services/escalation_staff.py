"""intake's copy of identity's staff (from identity.staff.changed.v1): whom reminders and
escalations name."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.staff_read_model import is_active

from ..models.escalation import StaffMember
from ..repositories.escalations import StaffRepository

__all__ = ["active_in_unit", "find_staff", "is_active", "upsert_staff"]


async def upsert_staff(session: AsyncSession, data: dict[str, Any]) -> StaffMember:
    """Apply a staff.changed payload to the read model (an older event never wins)."""
    return await StaffRepository(session).upsert(data)


async def find_staff(session: AsyncSession, staff_id: str) -> StaffMember | None:
    """A staff member by account id, active or not (None when identity never told us)."""
    return await StaffRepository(session).find(staff_id)


async def active_in_unit(session: AsyncSession, unit_code: str, roles: Iterable[str]) -> list[StaffMember]:
    """Active staff of exactly `unit_code` holding one of `roles`, by name."""
    return await StaffRepository(session).active_in_unit(unit_code, roles)
