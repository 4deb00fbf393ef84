"""hotline's copy of identity's staff (from identity.staff.changed.v1), read through the shared directory."""

from __future__ import annotations

from yiwang_shared.staff_read_model import StaffDirectory

from ..models import StaffMember

#: The staff read model's queries, bound to hotline's table.
directory = StaffDirectory(StaffMember)
