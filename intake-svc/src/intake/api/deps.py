"""Route dependencies: the unit of work (session, caller, clock, settings).

`CtxDep` is the typed actor: an `ActorCtx`, whose `actor` is a `Principal` (never None), so a
route or a service it calls needs no check. An anonymous call is answered 401 before it is built."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, cast

from fastapi import Depends, Request

from yiwang_shared.auth import CurrentPrincipal
from yiwang_shared.db import SessionDep
from yiwang_shared.orm import utcnow

from ..config import Settings
from ..services.context import ActorCtx


def now_of(request: Request) -> datetime:
    """The service clock (app.state.clock: a test may set a fixed day; default: real time)."""
    clock = cast(Callable[[], datetime], getattr(request.app.state, "clock", utcnow))
    return clock()


async def get_ctx(request: Request, session: SessionDep, principal: CurrentPrincipal) -> ActorCtx:
    """The request's unit of work, on behalf of the verified caller (401 without a token)."""
    settings: Settings = request.app.state.settings
    return ActorCtx(session, principal, now_of(request), settings)


#: The request's unit of work with its actor: what every route takes.
CtxDep = Annotated[ActorCtx, Depends(get_ctx)]
