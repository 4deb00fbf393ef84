"""Route dependencies: the unit of work (session, caller, clock, settings)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, cast

from fastapi import Depends, Request

from yiwang_shared.auth import CurrentPrincipal
from yiwang_shared.db import SessionDep
from yiwang_shared.orm import utcnow

from ..config import Settings
from ..services.context import Ctx


def now_of(request: Request) -> datetime:
    """The service clock (app.state.clock: a test may set a fixed day; default: real time)."""
    clock = cast(Callable[[], datetime], getattr(request.app.state, "clock", utcnow))
    return clock()


async def get_ctx(request: Request, session: SessionDep, principal: CurrentPrincipal) -> Ctx:
    """The request's unit of work."""
    settings: Settings = request.app.state.settings
    return Ctx(session, principal, now_of(request), settings)


CtxDep = Annotated[Ctx, Depends(get_ctx)]
