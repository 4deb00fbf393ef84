"""Who may see and do what on an application.

- An applicant sees their own applications (as applicant or submitter), and their enterprise's
  when the token acts for it (法人授权) with a scope covering the item — in both cases only while
  the grant stands: a revoked grant (identity.grant.revoked.v1) ends it before the token expires.
- Staff see the cases of their unit (as receiving window, accepting unit, deciding unit or the
  centre a community station handed them to) and of the units under it; supervisors and
  administrators see every case (电子监察).
- Anything else answers 404, exactly as if the application did not exist.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal

from .. import errors
from ..models.applications import Application, RevokedGrant
from ..orgs import staff_unit_code

OVERSIGHT_ROLES = frozenset({"supervisor", "admin"})
INTAKE_ROLES = ("window_clerk", "admin")
DECIDING_ROLES = ("approver", "handler", "admin")
HELPER_ROLES = ("window_clerk", "handler", "admin")


def _unit_matches(column: Any, code: str) -> ColumnElement[bool]:
    # Units under another carry its code plus "-<suffix>" (windows of a centre, …).
    return or_(column == code, column.like(code.replace("%", r"\%") + "-%"))


def unit_covers(unit_code: str, case_unit: str | None) -> bool:
    """True when `case_unit` is `unit_code` or a unit under it."""
    return case_unit is not None and (case_unit == unit_code or case_unit.startswith(unit_code + "-"))


async def visibility(session: AsyncSession, principal: Principal) -> ColumnElement[bool]:
    """A WHERE clause selecting the applications `principal` may see."""
    if principal.is_staff:
        if principal.roles & OVERSIGHT_ROLES:
            return true()
        code = await staff_unit_code(session, principal)
        if code is None:
            return false()
        return or_(
            _unit_matches(Application.intake_unit_code, code),
            _unit_matches(Application.accepting_unit_code, code),
            _unit_matches(Application.owner_unit_code, code),
            # A street centre sees what its community stations handed it.
            _unit_matches(Application.forwarded_to_unit_code, code),
            Application.assisted_by == principal.subject,
        )
    # An enterprise's case is the agent's only while the grant it was filed under stands: a revoked
    # grant ends the access at once, whatever token the agent still holds (issue 15, point 5).
    revoked = select(RevokedGrant.grant_id)
    own = and_(
        or_(Application.applicant_id == principal.subject, Application.submitted_by == principal.subject),
        or_(Application.grant_id.is_(None), Application.grant_id.not_in(revoked)),
    )
    act = principal.acting_for
    if act is None or not act.entity_id:
        return own
    if await session.get(RevokedGrant, act.grant_id) is not None:
        return own
    enterprise = Application.enterprise_id == act.entity_id
    if "*" not in act.scope:
        enterprise = enterprise & Application.item_code.in_(list(act.scope))
    return or_(own, enterprise)


async def get_visible(
    session: AsyncSession, principal: Principal, application_id: str, *, for_update: bool = False
) -> Application:
    """The application if `principal` may see it (locked for update when asked), else 404."""
    query = select(Application).where(Application.id == application_id, await visibility(session, principal))
    if for_update:
        query = query.with_for_update()
    app = (await session.execute(query)).scalar_one_or_none()
    if app is None:
        raise errors.application_not_found(application_id)
    return app


def require_role(principal: Principal, deed: errors.Deed, roles: tuple[str, ...]) -> None:
    """403 unless the principal holds one of `roles`."""
    if not principal.is_staff or not (principal.roles & set(roles)):
        raise errors.role_required(deed, list(roles))


async def require_deciding_unit(
    session: AsyncSession, principal: Principal, app: Application, deed: errors.Deed
) -> None:
    """403 unless the principal is deciding-unit staff (approver/handler) or an admin."""
    require_role(principal, deed, DECIDING_ROLES)
    if principal.is_admin:
        return
    code = await staff_unit_code(session, principal)
    if code is None or not unit_covers(code, app.owner_unit_code):
        raise errors.not_handling_unit(deed, app.owner_unit_code)


def is_applicant_side(principal: Principal, app: Application) -> bool:
    """True for the applicant, the submitter, or an agent of the applicant enterprise."""
    if principal.subject in (app.applicant_id, app.submitted_by):
        return True
    act = principal.acting_for
    return bool(act and app.enterprise_id and act.entity_id == app.enterprise_id)
