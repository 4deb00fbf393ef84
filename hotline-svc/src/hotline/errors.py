"""hotline-svc's domain errors, each with a stable code.

hotline.ticket_not_found       404  no such ticket, or not one the caller may see
hotline.invalid_transition     409  the ticket's status does not allow the action (names it)
hotline.not_your_ticket        403  a unit acting on a ticket it does not lead
hotline.unknown_unit           422  a unit code not in the organisation read model
hotline.unknown_category       422  no such request category
hotline.unknown_area           422  a street/community code not in the organisation tree
hotline.dispute_window_closed  409  退单 after the dispute window
hotline.not_reopenable         409  reopening a ticket the caller was satisfied with
hotline.merge_invalid          409  merging a ticket into itself or into a closed one
hotline.kb_entry_not_found     404
hotline.kb_invalid_transition  409  knowledge-base version step not allowed
hotline.kb_self_review         403  the author may not approve their own version
hotline.kb_not_answerable      409  answering with an entry that is not published
hotline.rule_not_found         404
hotline.rule_exists            409  a dispatch rule for that category × area already exists
"""

from __future__ import annotations

from yiwang_shared.errors import Conflict, Forbidden, NotFound, UnprocessableEntity


def ticket_not_found(ticket_id: str) -> NotFound:
    """No such ticket (or not the caller's to see)."""
    return NotFound(f"No ticket {ticket_id}.", code="hotline.ticket_not_found")


def invalid_transition(number: str, status: str, action: str, allowed: list[str]) -> Conflict:
    """The action is not allowed in the ticket's status."""
    return Conflict(
        f"Ticket {number} is {status}; it cannot be {action}. Allowed now: "
        + (", ".join(allowed) if allowed else "nothing (the ticket is finished)")
        + ".",
        code="hotline.invalid_transition",
        status_now=status,
        allowed_actions=allowed,
    )


def not_your_ticket(number: str, unit: str | None) -> Forbidden:
    """A unit acting on a ticket it does not lead."""
    return Forbidden(
        f"Ticket {number} is led by unit {unit}; only that unit's handlers may do this.",
        code="hotline.not_your_ticket",
    )


def unknown_unit(code: str, field: str) -> UnprocessableEntity:
    """A unit code not in the organisation read model."""
    return UnprocessableEntity(
        f"Unit {code!r} is not a known organisation unit; use a code from identity-svc's "
        "organisation tree (GET /api/identity/v1/org-units).",
        code="hotline.unknown_unit",
        field=field,
    )


def unknown_category(code: str) -> UnprocessableEntity:
    """No such request category."""
    return UnprocessableEntity(
        f"Request category {code!r} does not exist; list them with GET /v1/categories.",
        code="hotline.unknown_category",
        field="category_code",
    )


def unknown_area(code: str, field: str) -> UnprocessableEntity:
    """A street or community code not in the organisation tree."""
    return UnprocessableEntity(
        f"{code!r} is not a street or community of the district's organisation tree.",
        code="hotline.unknown_area",
        field=field,
    )


def dispute_window_closed(number: str, deadline: str) -> Conflict:
    """退单 after the window."""
    return Conflict(
        f"The dispute window for ticket {number} closed at {deadline}; the unit must handle it "
        "(首接负责) or ask the dispatcher.",
        code="hotline.dispute_window_closed",
    )


def kb_entry_not_found(entry_id: str) -> NotFound:
    """No such knowledge-base entry."""
    return NotFound(f"No knowledge-base entry {entry_id}.", code="hotline.kb_entry_not_found")


def kb_invalid_transition(entry_id: str, status: str, action: str) -> Conflict:
    """Knowledge-base version step not allowed."""
    return Conflict(
        f"The latest version of entry {entry_id} is {status}; it cannot be {action}.",
        code="hotline.kb_invalid_transition",
        status_now=status,
    )


def rule_not_found(rule_id: str) -> NotFound:
    """No such dispatch rule."""
    return NotFound(f"No dispatch rule {rule_id}.", code="hotline.rule_not_found")
