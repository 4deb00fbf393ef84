"""The caller, with their organisation unit as a code.

identity-svc's tokens carry the unit's id (`org_unit`) and its code (`org_unit_code`); hotline keys
dispatch, visibility and indicators on unit codes (110105001-FWZX), so it takes the token's code, or
else looks the id up in the org read model. A token that already carries a code in `org_unit` (or a
unit the read model does not know yet) is left as it is.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import Depends

from yiwang_shared.auth import CurrentPrincipal, Principal
from yiwang_shared.db import SessionDep

from ..services.orgs import unit_code_of


async def hotline_principal(principal: CurrentPrincipal, session: SessionDep) -> Principal:
    """The caller with `org_unit` as a unit code."""
    if principal.org_unit:
        # The signed code spares the read model (and the step a statement).
        code = principal.org_unit_code or await unit_code_of(session, principal.org_unit)
        if code is not None:
            return replace(principal, org_unit=code)
    return principal


Actor = Annotated[Principal, Depends(hotline_principal)]
