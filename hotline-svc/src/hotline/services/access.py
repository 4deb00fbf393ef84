"""Who may see and do what with tickets: roles, units, and masking of callers' phones."""

from __future__ import annotations

from yiwang_shared.auth import Principal

from .. import errors

#: Hotline staff see every ticket and callers' full contact details.
HOTLINE_ROLES = frozenset({"hotline_agent", "dispatcher", "supervisor", "admin"})
#: Who may read indicators of every unit.
INDICATOR_ROLES = frozenset({"supervisor", "dispatcher", "hotline_agent", "evaluator", "admin"})
#: Who may edit the knowledge base (drafts) and who may approve a version.
KB_EDITOR_ROLES = frozenset({"hotline_agent", "supervisor", "catalog_editor", "admin"})
KB_REVIEWER_ROLES = frozenset({"supervisor", "admin"})


def is_hotline_staff(principal: Principal) -> bool:
    """True for the hotline's own staff (agents, dispatchers, supervisors) and administrators."""
    return principal.is_staff and principal.has_any_role(HOTLINE_ROLES)


def is_handler(principal: Principal) -> bool:
    """True for a handling unit's staff member with a unit."""
    return principal.is_staff and "handler" in principal.roles and bool(principal.org_unit)


def require(principal: Principal, roles: frozenset[str] | set[str], zh: str, en: str) -> None:
    """Raise 403 unless the principal is staff holding one of `roles` (administrators always).

    `zh` and `en` name what the caller tried ("派单" / "Dispatching a ticket").
    """
    if principal.is_admin or (principal.is_staff and principal.has_any_role(roles)):
        return
    raise errors.roles_required(sorted(roles), zh, en)


def mask_phone(phone: str | None) -> str | None:
    """138****5678: what a handling unit sees of a caller's phone."""
    if not phone:
        return phone
    s = phone.strip()
    if len(s) <= 7:
        return "*" * len(s)
    return s[:3] + "*" * (len(s) - 7) + s[-4:]
