"""Request dependencies shared by the routers."""

from __future__ import annotations

import dataclasses
from typing import Annotated

from fastapi import Depends

from yiwang_shared.auth import CurrentPrincipal, Principal
from yiwang_shared.db import SessionDep

from ..services.read_models import unit_code_of


async def unit_principal(principal: CurrentPrincipal, session: SessionDep) -> Principal:
    """The caller with `org_unit` translated from identity's unit id to the unit code."""
    if not principal.is_staff or not principal.org_unit:
        return principal
    code = principal.org_unit_code or await unit_code_of(session, principal.org_unit)
    return dataclasses.replace(principal, org_unit=code)


#: The authenticated caller, staff unit as a code (what evaluation keys units by).
UnitPrincipal = Annotated[Principal, Depends(unit_principal)]
