"""Request dependencies shared by the routers: the caller (staff unit as a code) and the role checks.

What depends only on the caller's roles is a dependency here, declared in the route's signature
(`principal: Office`), so it answers 403 before the body is validated; what depends on the data
(is this case in my unit?) is checked in the service.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends

from yiwang_shared.auth import CurrentPrincipal, Principal
from yiwang_shared.db import SessionDep
from yiwang_shared.errors import Forbidden

from .. import errors
from ..services.cases import OVERSEERS
from ..services.read_models import unit_code_of


async def unit_principal(principal: CurrentPrincipal, session: SessionDep) -> Principal:
    """The caller with `org_unit` translated from identity's unit id to the unit code."""
    if not principal.is_staff or not principal.org_unit:
        return principal
    code = principal.org_unit_code or await unit_code_of(session, principal.org_unit)
    return dataclasses.replace(principal, org_unit=code)


#: The authenticated caller, staff unit as a code (what evaluation keys units by).
UnitPrincipal = Annotated[Principal, Depends(unit_principal)]


def require_roles(*roles: str, refusal: Callable[[], Forbidden]) -> Callable[..., Awaitable[Principal]]:
    """A dependency admitting staff members who hold any of `roles` (none given: any staff member);
    anyone else gets `refusal()`, the service's 403.

    Unlike `yiwang_shared.auth.require_roles`, administrators pass only where `roles` names them
    (a window visit is the clerk's own), and the refusal keeps evaluation's codes and texts."""
    wanted = frozenset(roles)

    async def dependency(principal: UnitPrincipal) -> Principal:
        if principal.is_staff and (not wanted or principal.has_any_role(wanted)):
            return principal
        raise refusal()

    return dependency


#: Any staff member (bad-review cases; 403 evaluation.staff_only).
Staff = Annotated[Principal, Depends(require_roles(refusal=errors.staff_only))]
#: The evaluation office: evaluators and administrators (rating pads, burst flags; 403 evaluation.not_office).
Office = Annotated[Principal, Depends(require_roles("evaluator", "admin", refusal=errors.not_office))]
#: Overseers: supervisors, evaluators, administrators (reading pads and flags; 403 evaluation.not_office).
Overseer = Annotated[Principal, Depends(require_roles(*sorted(OVERSEERS), refusal=errors.not_office))]
#: Who sets ranking rules: evaluators and administrators (403 evaluation.not_evaluator).
RuleSetter = Annotated[Principal, Depends(require_roles("evaluator", "admin", refusal=errors.not_evaluator))]


@dataclasses.dataclass(frozen=True)
class ClerkAtWindow:
    """A window clerk and the window (unit code) they work at."""

    principal: Principal
    window: str


async def clerk_at_window(
    principal: Annotated[Principal, Depends(require_roles("window_clerk", refusal=errors.not_window_clerk))],
) -> ClerkAtWindow:
    """The window clerk with their window (administrators not included: a visit is the clerk's own);
    a clerk whose token names no unit is refused like anyone else (403 evaluation.not_window_clerk)."""
    if not principal.org_unit:
        raise errors.not_window_clerk()
    return ClerkAtWindow(principal, principal.org_unit)


#: A window clerk at their window (registering window visits).
WindowClerk = Annotated[ClerkAtWindow, Depends(clerk_at_window)]
