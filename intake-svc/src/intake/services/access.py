"""Who may see and do what on an application.

- An applicant sees their own applications (as applicant or submitter), and their enterprise's
  when the token acts for it (法人授权) with a scope covering the item — in both cases only while
  the grant stands: a revoked grant (identity.grant.revoked.v1) ends it before the token expires.
- Staff see the cases of their unit (as receiving window, accepting unit, deciding unit or the
  centre a community station handed them to) and of the units under it; supervisors and
  administrators see every case (电子监察).
- Anything else answers 404, exactly as if the application did not exist.

Who acts is a `Principal`, or None where the system acts (the scans, expiry, supervision): the
trace and the records name them by `actor_id`, the events by `staff_id`.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal

from .. import errors
from ..models.applications import Application
from ..repositories.applications import ApplicationRepository, Viewer
from ..repositories.grants import RevokedGrantRepository
from .orgs import staff_unit_code, staff_units

OVERSIGHT_ROLES = frozenset({"supervisor", "admin"})
INTAKE_ROLES = ("window_clerk", "admin")
DECIDING_ROLES = ("approver", "handler", "admin")
HELPER_ROLES = ("window_clerk", "handler", "admin")

#: Who the trace and the records name when nobody acts: the scans, expiry, supervision.
SYSTEM_ACTOR = "system"


def actor_id(actor: Principal | None) -> str:
    """Who acts, for the trace and the records: the person's subject, else the system."""
    return actor.subject if actor is not None else SYSTEM_ACTOR


def staff_id(actor: Principal | None) -> str | None:
    """The acting staff member, if staff acts (None for applicants and the system)."""
    return actor.subject if actor is not None and actor.is_staff else None


def unit_covers(unit_code: str, case_unit: str | None) -> bool:
    """True when `case_unit` is `unit_code` or a unit under it."""
    return case_unit is not None and (case_unit == unit_code or case_unit.startswith(unit_code + "-"))


async def viewer_of(session: AsyncSession, principal: Principal) -> Viewer:
    """Whose applications `principal` may see (the rules above, for the queries)."""
    if principal.is_staff:
        if principal.roles & OVERSIGHT_ROLES:
            return Viewer(everything=True)
        return Viewer(staff_id=principal.subject, staff_units=await staff_units(session, principal))
    # An enterprise's case is the agent's only while the grant it was filed under stands: a revoked
    # grant ends the access at once, whatever token the agent still holds.
    own = Viewer(person_id=principal.subject)
    act = principal.acting_for
    if act is None or not act.entity_id:
        return own
    if await RevokedGrantRepository(session).find(act.grant_id) is not None:
        return own
    items = None if "*" in act.scope else tuple(act.scope)
    return Viewer(person_id=principal.subject, enterprise_id=act.entity_id, enterprise_items=items)


async def get_visible(
    session: AsyncSession, principal: Principal, application_id: str, *, for_update: bool = False
) -> Application:
    """The application if `principal` may see it (locked for update when asked), else 404."""
    viewer = await viewer_of(session, principal)
    application = await ApplicationRepository(session).find_visible(
        application_id, viewer, for_update=for_update
    )
    if application is None:
        raise errors.application_not_found(application_id)
    return application


def require_role(principal: Principal, deed: errors.Deed, roles: tuple[str, ...]) -> None:
    """403 unless the principal holds one of `roles`."""
    if not principal.is_staff or not (principal.roles & set(roles)):
        raise errors.role_required(deed, list(roles))


async def require_deciding_unit(
    session: AsyncSession, principal: Principal, application: Application, deed: errors.Deed
) -> None:
    """403 unless the principal is deciding-unit staff (approver/handler) or an admin."""
    require_role(principal, deed, DECIDING_ROLES)
    if principal.is_admin:
        return
    code = await staff_unit_code(session, principal)
    if code is None or not unit_covers(code, application.owner_unit_code):
        raise errors.not_handling_unit(deed, application.owner_unit_code)


def is_applicant_side(principal: Principal, application: Application) -> bool:
    """True for the applicant, the submitter, or an agent of the applicant enterprise."""
    if principal.subject in (application.applicant_id, application.submitted_by):
        return True
    act = principal.acting_for
    return bool(act and application.enterprise_id and act.entity_id == application.enterprise_id)
