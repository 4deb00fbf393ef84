"""intake's copy of identity's staff (from identity.staff.changed.v1), read through the shared directory."""

from __future__ import annotations

from yiwang_shared.staff_read_model import StaffDirectory, is_active

from ..models.escalation import StaffMember

__all__ = ["active_in_unit", "directory", "find_staff", "is_active", "upsert_staff"]

directory = StaffDirectory(StaffMember)
upsert_staff = directory.upsert
find_staff = directory.find
active_in_unit = directory.active_in_unit
