"""catalog-svc's domain errors, each with a stable code.

catalog.not_editor          403  the caller holds neither catalog_editor nor admin
catalog.not_owner           403  an editor of another unit
catalog.item_not_found      404  no such item (or a draft the caller may not see)
catalog.version_not_found   404
catalog.basic_item_not_found 404 / unknown basic code given on create → 422
catalog.unknown_unit        422  implementing unit not in the organisation read model
catalog.invalid_uscc        422  an embedded USCC fails the GB 32100 check
catalog.quality_errors      422  publish refused while the checker finds errors
catalog.version_immutable   409  edit of a version that is not a draft
catalog.invalid_transition  409  lifecycle step not allowed from the current status
catalog.open_draft_exists   409  a new version while a draft / in-review version exists
catalog.unit_change         409  an edit that moves the entry to another unit
catalog.standard_mismatch   409  "同一事项同标准" violated; names the differing elements
"""

from __future__ import annotations

from typing import Any

from yiwang_shared.errors import Conflict, Forbidden, NotFound, UnprocessableEntity


def not_editor() -> Forbidden:
    """The caller may not write the catalogue."""
    return Forbidden(
        "Only catalogue editors (catalog_editor) of the implementing unit, or administrators, "
        "may change catalogue entries.",
        code="catalog.not_editor",
    )


def not_owner(unit_code: str) -> Forbidden:
    """An editor of another unit."""
    return Forbidden(
        f"This entry belongs to unit {unit_code}; only that unit's catalogue editors (or an "
        "administrator) may change it.",
        code="catalog.not_owner",
    )


def item_not_found(code: str) -> NotFound:
    """No such item."""
    return NotFound(f"No catalogue item with code {code}.", code="catalog.item_not_found")


def version_not_found(code: str, version_no: int) -> NotFound:
    """No such version."""
    return NotFound(f"Item {code} has no version {version_no}.", code="catalog.version_not_found")


def unknown_unit(unit_code: str) -> UnprocessableEntity:
    """Implementing unit not in the organisation read model."""
    return UnprocessableEntity(
        f"Implementing unit {unit_code!r} is not a known organisation unit; use a unit code from "
        "identity-svc's organisation tree (GET /api/identity/v1/org-units).",
        code="catalog.unknown_unit",
        field="elements.implementing_unit.code",
    )


def invalid_transition(code: str, version_no: int, status: str, action: str) -> Conflict:
    """A lifecycle step not allowed from `status`."""
    return Conflict(
        f"Version {version_no} of {code} is {status}; it cannot be {action}.",
        code="catalog.invalid_transition",
        status_now=status,
    )


def standard_mismatch(basic_code: str, level: int, differences: list[dict[str, Any]]) -> Conflict:
    """ "同一事项同标准" violated."""
    names = ", ".join(d["element"] for d in differences)
    return Conflict(
        f"Items under basic code {basic_code} at level {level} must share name, type, legal basis "
        f"and material names (同一事项同标准); these differ: {names}.",
        code="catalog.standard_mismatch",
        differences=differences,
    )
