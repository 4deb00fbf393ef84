"""Keeping a service's copy of identity's staff (from `identity.staff.changed.v1`).

A service that must name a person — the handler a case is reminded to, the supervisor it is
escalated to — keeps its own read-model table of staff (its own ORM class, in its own
migrations); this is the one way of applying the event to it, so every copy behaves the same: an
older event never overwrites a newer state, and a disabled account stays known (history names it)
but is never named again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .orm import as_utc, utcnow

__all__ = ["StaffDirectory", "holds_any_role", "is_active", "upsert_staff"]

S = TypeVar("S")


async def upsert_staff(session: AsyncSession, model: type[S], data: dict[str, Any]) -> S:
    """Create or update the `model` row of a staff member from a staff.changed payload.

    `model` needs `id`, `username`, `name`, `org_unit_id`, `org_unit_code`, `roles`, `status` and
    `updated_at` columns. An event older (by `changed_at`) than the row is ignored.
    """
    changed_at = data.get("changed_at")
    at = as_utc(datetime.fromisoformat(changed_at)) if isinstance(changed_at, str) else utcnow()
    m: Any = model
    staff = await session.get(m, data["staff_id"])
    if staff is None:
        staff = m(id=data["staff_id"], updated_at=at)
        session.add(staff)
    elif staff.updated_at > at:
        return staff  # type: ignore[no-any-return]
    staff.username = data.get("username") or staff.username or data["staff_id"]
    staff.name = data.get("name") or staff.name or ""
    staff.org_unit_id = data.get("org_unit_id")
    staff.org_unit_code = data.get("org_unit_code")
    staff.roles = sorted({str(r) for r in data.get("roles") or []})
    # A disabled account is kept (escalations already name it) but never named again.
    staff.status = (
        "disabled" if data.get("status") == "disabled" or data.get("change") == "disabled" else "active"
    )
    staff.updated_at = at
    await session.flush()
    return staff  # type: ignore[no-any-return]


def holds_any_role(roles: Iterable[str] | None, wanted: Iterable[str]) -> bool:
    """True when a read-model row's `roles` include one of `wanted`."""
    return bool(set(roles or ()) & set(wanted))


def is_active(staff: Any) -> bool:
    """True for a known, active account (a read-model row, or None)."""
    return staff is not None and staff.status == "active"


class StaffDirectory:
    """A service's staff read model, bound to its own table: who holds which role in which unit."""

    def __init__(self, model: type[Any]) -> None:
        self.model = model

    async def upsert(self, session: AsyncSession, data: dict[str, Any]) -> Any:
        """Apply a staff.changed payload (see `upsert_staff`)."""
        return await upsert_staff(session, self.model, data)

    async def find(self, session: AsyncSession, staff_id: str) -> Any | None:
        """A staff member by account id, active or not (None when identity never told us)."""
        return await session.get(self.model, staff_id)

    async def active_in_unit(self, session: AsyncSession, unit_code: str, roles: Iterable[str]) -> list[Any]:
        """Active staff of exactly `unit_code` holding one of `roles`, by name."""
        m = self.model
        wanted = tuple(roles)
        rows = await session.execute(
            select(m).where(m.org_unit_code == unit_code, m.status == "active").order_by(m.name, m.id)
        )
        return [s for s in rows.scalars() if holds_any_role(s.roles, wanted)]
