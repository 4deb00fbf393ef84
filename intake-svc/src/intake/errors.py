"""intake-svc's domain errors, each with a stable code.

intake.application_not_found   404  no such application, or not one the caller may see
intake.item_not_found          422  no published catalogue item with that code (in the read model)
intake.item_retired            422  the item was retired: no new applications
intake.invalid_transition      409  the action is not allowed in the application's current state
intake.idempotency_mismatch    422  the same Idempotency-Key with a different body
intake.idempotency_in_progress 409  a concurrent request with the same Idempotency-Key
intake.materials_invalid       422  a material named that the item does not list, or a bad file
intake.notice_window_passed    409  the one-time notice is too late: the application counts as accepted
intake.nothing_to_correct      409  a one-time notice with no problem in it
intake.not_entrusted           403  the caller's unit may not accept this item (no agreement)
intake.not_handling_unit       403  only the deciding unit may do this
intake.role_required           403  the caller's roles do not allow this action
intake.grant_missing           403  the agent holds no valid grant for the enterprise and item
intake.identity_unavailable    503  identity-svc did not answer the grant check
intake.extension_too_long      422  more than the allowed extension
intake.deficiency_not_allowed  422  容缺受理 asked for an item that does not allow it
intake.file_too_large          413  an upload over the size limit
intake.file_type               415  an upload of a type not accepted
intake.entrustment_invalid     422  an agreement with bad dates or items
"""

from __future__ import annotations

from yiwang_shared.errors import Conflict, Forbidden, NotFound, ProblemError, UnprocessableEntity

from .states import allowed_actions


def application_not_found(application_id: str) -> NotFound:
    """No such application (or not the caller's to see)."""
    return NotFound(f"No application {application_id}.", code="intake.application_not_found")


def item_not_found(code: str) -> UnprocessableEntity:
    """No published item with that code."""
    return UnprocessableEntity(
        f"No published catalogue item with code {code!r}; pick one from the catalogue "
        "(GET /api/catalog/v1/catalogue).",
        code="intake.item_not_found",
        field="item_code",
    )


def item_retired(code: str) -> UnprocessableEntity:
    """The item was retired."""
    return UnprocessableEntity(
        f"Catalogue item {code} has been retired; no new applications are taken.",
        code="intake.item_retired",
        field="item_code",
    )


def invalid_transition(status: str, action: str) -> Conflict:
    """`action` is not allowed in `status`; names what is."""
    allowed = allowed_actions(status)
    return Conflict(
        f"The application is {status}; it cannot be {action}. Allowed now: "
        + (", ".join(allowed) if allowed else "nothing (the case is closed)")
        + ".",
        code="intake.invalid_transition",
        current_status=status,
        allowed_actions=allowed,
    )


def role_required(action: str, roles: list[str]) -> Forbidden:
    """The caller's roles do not allow `action`."""
    return Forbidden(
        f"To {action} you need one of the roles: {', '.join(roles)}.",
        code="intake.role_required",
        required_roles=roles,
    )


def not_handling_unit(action: str, unit_code: str) -> Forbidden:
    """Only the deciding unit may do this."""
    return Forbidden(
        f"Only staff of the deciding unit {unit_code} may {action}.",
        code="intake.not_handling_unit",
    )


def not_entrusted(unit_code: str, item_code: str, owner: str) -> Forbidden:
    """Acceptance outside the one window and outside any entrustment agreement."""
    return Forbidden(
        f"Unit {unit_code} may not accept item {item_code} of {owner}: it is neither the deciding "
        "unit, nor a comprehensive window of the district centre, nor entrusted under a valid "
        "agreement (委托受理协议) covering this item today.",
        code="intake.not_entrusted",
    )


class FileTooLarge(ProblemError):
    """An upload over the size limit."""

    status = 413
    code = "intake.file_too_large"


class FileType(ProblemError):
    """An upload of a type not accepted."""

    status = 415
    code = "intake.file_type"
