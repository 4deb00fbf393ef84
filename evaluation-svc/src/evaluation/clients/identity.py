"""identity-svc's `identity.org_unit.changed.v1`, which feeds the `org_units` read model, and
`identity.staff.changed.v1`, which feeds `staff_members` (names for the 服务之星 ranking).

Tokens carry the staff member's unit id (`org_unit`) and code (`org_unit_code`); evaluation keys
everything by unit code (as intake and hotline publish them); the read model also answers which
unit is above which (`services.read_models`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

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


def parse_org_unit_changed(data: dict[str, Any]) -> dict[str, Any]:
    """Validate an `identity.org_unit.changed.v1` payload; the fields evaluation keeps (JSON form)."""
    try:
        change = OrgUnitChanged.model_validate(data)
    except ValidationError as exc:
        raise PayloadRejected(f"OrgUnitChanged: {exc.errors()}") from exc
    return change.model_dump(mode="json")


def check_staff_changed(data: dict[str, Any]) -> dict[str, Any]:
    """Refuse an `identity.staff.changed.v1` payload without the staff member's id or name."""
    if not data.get("staff_id") or not data.get("name"):
        raise PayloadRejected("identity.staff.changed.v1 without staff_id or name")
    return data
